import { ok, type Result } from "@ims/runtime";
import { headerFail, quote, readQuoted, skipLws, tokenEnd, type HeaderParseError } from "./lex.js";

/**
 * WWW-Authenticate / Proxy-Authenticate challenges and Authorization / Proxy-Authorization
 * credentials (RFC 3261 §20.27, §20.7, §22; RFC 2617 digest; RFC 3310 AKA; TS 24.229 / TS 33.203
 * adds ck, ik, integrity-protected, auts). Parameter names are lower-cased; values unquoted.
 */
export interface AuthHeader {
  /** "Digest", or any other scheme as received. */
  scheme: string;
  params: Map<string, string>;
}

/** Typed view of the digest parameters we use. Values are unquoted strings. */
export interface DigestParams {
  readonly realm?: string;
  readonly nonce?: string;
  readonly opaque?: string;
  readonly algorithm?: string;
  readonly qop?: string;
  readonly stale?: string;
  readonly domain?: string;
  readonly username?: string;
  readonly uri?: string;
  readonly response?: string;
  readonly cnonce?: string;
  readonly nc?: string;
  readonly auts?: string;
  readonly ck?: string;
  readonly ik?: string;
  readonly "integrity-protected"?: string;
}

/**
 * Parameters written without quotes: RFC 2617 §3.2.1/§3.2.2 (algorithm, stale, nc; qop is quoted
 * in a challenge and a bare token in credentials).
 */
const UNQUOTED = {
  challenge: new Set(["algorithm", "stale"]),
  credentials: new Set(["algorithm", "nc", "qop"]),
} as const;

/** Whether the last `quotedEnd` crossed a quoted-pair ("\\x"). */
let quotedPairs = false;

/** Index after the closing quote of the quoted string at s[i] === '"', or -1 (as lex.ts quotedEnd). */
function quotedEnd(s: string, i: number): number {
  quotedPairs = false;
  for (let j = i + 1; j < s.length; j++) {
    const c = s.charCodeAt(j);
    if (c === 0x5c) {
      quotedPairs = true;
      j++;
    } else if (c === 0x22) return j + 1;
  }
  return -1;
}

/** Parameter names of challenges and credentials, lower-case: a name read is one of these strings, not a new one. */
const KNOWN_NAMES = [
  "realm", "nonce", "opaque", "algorithm", "qop", "stale", "domain", "username", "uri", "response",
  "cnonce", "nc", "auts", "ck", "ik", "integrity-protected",
];

/** s[i, e) lower-cased: a known parameter name without a new string, any other name sliced. */
function paramName(s: string, i: number, e: number): string {
  for (let k = 0; k < KNOWN_NAMES.length; k++) {
    const n = KNOWN_NAMES[k] as string;
    if (n.length !== e - i) continue;
    let j = 0;
    while (j < n.length) {
      const c = s.charCodeAt(i + j);
      if ((c >= 0x41 && c <= 0x5a ? c | 0x20 : c) !== n.charCodeAt(j)) break;
      j++;
    }
    if (j === n.length) return n;
  }
  return s.slice(i, e).toLowerCase();
}

export function parseAuth(value: string): Result<AuthHeader, HeaderParseError> {
  const s = value.trim();
  const se = tokenEnd(s, 0);
  if (se === 0) return headerFail("missing auth scheme");
  const scheme = s.slice(0, se);
  const params = new Map<string, string>();
  let i = skipLws(s, se);
  if (i < s.length && i === se) return headerFail("auth scheme not followed by LWS");
  while (i < s.length) {
    const ne = tokenEnd(s, i);
    if (ne === i) return headerFail(`malformed auth parameter at "${s.slice(i, i + 20)}"`);
    const name = paramName(s, i, ne);
    let j = skipLws(s, ne);
    if (s.charCodeAt(j) !== 0x3d) return headerFail(`auth parameter ${name} has no value`);
    j = skipLws(s, j + 1);
    let v: string;
    if (s.charCodeAt(j) === 0x22) {
      const qe = quotedEnd(s, j);
      if (qe < 0) return headerFail(`unterminated quoted value for ${name}`);
      // without a quoted-pair the value is the text between the quotes (no object per value)
      v = quotedPairs ? readQuoted(s, j)!.value : s.slice(j + 1, qe - 1);
      j = qe;
    } else {
      let e = j;
      while (e < s.length && s.charCodeAt(e) !== 0x2c && s.charCodeAt(e) !== 0x20 && s.charCodeAt(e) !== 0x09) e++;
      if (e === j) return headerFail(`auth parameter ${name} has an empty value`);
      v = s.slice(j, e);
      j = e;
    }
    if (params.has(name)) return headerFail(`duplicate auth parameter ${name}`);
    params.set(name, v);
    j = skipLws(s, j);
    if (j < s.length) {
      if (s.charCodeAt(j) !== 0x2c) return headerFail(`expected ',' after ${name}`);
      j = skipLws(s, j + 1);
      if (j >= s.length) return headerFail("trailing ',' in auth header");
    }
    i = j;
  }
  return ok({ scheme, params });
}

/** The digest parameters as a typed record (a view over `params`). */
export function digestParams(h: AuthHeader): DigestParams {
  return Object.fromEntries(h.params) as DigestParams;
}

/**
 * Serialize a challenge ("challenge": WWW-/Proxy-Authenticate) or credentials ("credentials":
 * Authorization / Proxy-Authorization), quoting per RFC 2617. Parameters keep their map order.
 */
export function serializeAuth(h: AuthHeader, role: "challenge" | "credentials"): string {
  const bare = UNQUOTED[role];
  const parts: string[] = [];
  for (const [k, v] of h.params) parts.push(bare.has(k) ? `${k}=${v}` : `${k}=${quote(v)}`);
  return parts.length === 0 ? h.scheme : `${h.scheme} ${parts.join(", ")}`;
}

/** Build an AuthHeader from a record, skipping undefined values (order as given). */
export function authHeader(scheme: string, params: Readonly<Record<string, string | undefined>>): AuthHeader {
  const m = new Map<string, string>();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) m.set(k.toLowerCase(), v);
  return { scheme, params: m };
}

/**
 * A challenge value without some parameters (the P-CSCF removes ck and ik from the S-CSCF's
 * WWW-Authenticate before the UE sees it, TS 24.229 §5.2.2.1). Undefined if the value is malformed.
 */
export function challengeWithout(value: string, names: readonly string[]): string | undefined {
  const r = parseAuth(value);
  if (!r.ok) return undefined;
  for (const n of names) r.value.params.delete(n.toLowerCase());
  return serializeAuth(r.value, "challenge");
}
