function hexVal(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

function unescapeBytes(s: string): Buffer | undefined {
  if (s.indexOf("%") < 0) return undefined;
  const out: number[] = [];
  const raw = Buffer.from(s, "utf8");
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === 0x25 && i + 2 < raw.length + 0 && hexVal(raw[i + 1]!) >= 0 && hexVal(raw[i + 2]!) >= 0) {
      out.push(hexVal(raw[i + 1]!) * 16 + hexVal(raw[i + 2]!));
      i += 2;
    } else {
      out.push(c);
    }
  }
  return Buffer.from(out);
}

/**
 * Decode %HH escapes once (never recursively: "%2541" → "%41"), reading the bytes as UTF-8.
 * A '%' not followed by two hex digits is kept as is.
 */
export function unescapeUri(s: string): string {
  const b = unescapeBytes(s);
  return b === undefined ? s : b.toString("utf8");
}

/** Decode %HH escapes into a byte-exact (latin1) string, for comparisons. */
export function unescapeExact(s: string): string {
  const b = unescapeBytes(s);
  return b === undefined ? s : b.toString("latin1");
}

/** True when every '%' in `s` starts a valid %HH escape. */
export function validEscapes(s: string): boolean {
  for (let i = s.indexOf("%"); i >= 0; i = s.indexOf("%", i + 1)) {
    if (i + 2 >= s.length || hexVal(s.charCodeAt(i + 1)) < 0 || hexVal(s.charCodeAt(i + 2)) < 0) return false;
  }
  return true;
}

const UNRESERVED = /[A-Za-z0-9\-_.!~*'()]/;

/** Escape a user part: keeps unreserved and user-unreserved characters (RFC 3261 §25.1). */
export function escapeUser(s: string): string {
  let out = "";
  for (const ch of s) {
    if (UNRESERVED.test(ch) || "&=+$,;?/".includes(ch)) out += ch;
    else for (const b of Buffer.from(ch, "utf8")) out += `%${b.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}
