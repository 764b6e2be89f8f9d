import { type SipHeader, type SipResponse, headerLine, keyOf, parseAuth, serializeAuth, unquote } from "@ims/sip";
import { SecurityKeys } from "./storage/security-keys.js";

/** The auth parameters only the P-CSCF may see (TS 33.203 §7.2, TS 24.229 §5.2.2.1). */
const KEY_PARAMS = ["ck", "ik"] as const;

/**
 * A challenge that names a key: every challenge parameter ck or ik that parses matches too (a
 * parameter name follows the scheme's LWS or a comma), so a value it does not match is left as it
 * is, parsed or not. One that does not parse but matches is dropped rather than leaked.
 */
const NAMES_A_KEY = /(^|[\s,])(ck|ik)\s*=/i;

export interface FilteredChallenge {
  /** The keys of the first challenge that carried both; undefined when none did. */
  readonly keys?: SecurityKeys;
  /** Challenge lines rewritten (keys removed) or dropped (unparsable and naming a key). */
  readonly changed: number;
}

const UNCHANGED: FilteredChallenge = Object.freeze({ changed: 0 });

/** Challenge headers that may carry the keys (TS 24.229 §5.2.2.1: ck/ik in WWW-Authenticate). */
const isChallenge = (h: SipHeader): boolean => {
  const n = h.name.length;
  return (n === 16 || n === 18) && (keyOf(h) === "www-authenticate" || keyOf(h) === "proxy-authenticate");
};

/**
 * Removes ck= and ik= from every challenge of a response in place, before it goes to the UE, and
 * returns the keys. A challenge that does not parse but mentions ck/ik is removed whole: a UE that
 * gets no usable challenge is better than one that learns the keys. Responses without a challenge
 * naming a key (every one but the 401) are only looked at: their header list stays as it is.
 */
export function stripChallengeKeys(res: SipResponse): FilteredChallenge {
  const hs = res.headers;
  let keys: SecurityKeys | undefined;
  let changed = 0;
  let out: SipHeader[] | undefined;
  for (let i = 0; i < hs.length; i++) {
    const h = hs[i]!;
    const s = isChallenge(h) && NAMES_A_KEY.test(h.value) ? challengeWithoutKeys(h.value) : undefined;
    if (s === undefined) {
      out?.push(h);
      continue;
    }
    out ??= hs.slice(0, i);
    changed++;
    if (s.value !== undefined) out.push(headerLine(h.name, s.value));
    if (keys === undefined && s.ck !== undefined && s.ik !== undefined) keys = new SecurityKeys(s.ck, s.ik);
  }
  if (out === undefined) return UNCHANGED;
  res.headers = out;
  return keys === undefined ? { changed } : { keys, changed };
}

/** One challenge with its keys taken out. */
export interface ChallengeWithoutKeys {
  /** The challenge to relay; undefined: drop it (it names a key but does not parse). */
  readonly value: string | undefined;
  readonly ck?: string | undefined;
  readonly ik?: string | undefined;
}

/**
 * A challenge value without ck and ik, as `serializeAuth` writes it, and the keys; undefined when
 * it has neither (it is relayed as it came).
 */
export function challengeWithoutKeys(value: string): ChallengeWithoutKeys | undefined {
  return withoutKeysAsWritten(value) ?? withoutKeysParsed(value);
}

/** Parsing the challenge and serializing it again without the keys (any spelling). */
function withoutKeysParsed(value: string): ChallengeWithoutKeys | undefined {
  const parsed = parseAuth(value);
  if (!parsed.ok) return NAMES_A_KEY.test(value) ? { value: undefined } : undefined;
  const params = parsed.value.params;
  if (!KEY_PARAMS.some((k) => params.has(k))) return undefined;
  const ck = params.get("ck");
  const ik = params.get("ik");
  for (const k of KEY_PARAMS) params.delete(k);
  return { value: serializeAuth(parsed.value, "challenge"), ck, ik };
}

/** Parameters serializeAuth writes without quotes in a challenge (RFC 2617 §3.2.1). */
const isBareParam = (s: string, start: number, end: number): boolean =>
  (end - start === 9 && s.startsWith("algorithm", start)) || (end - start === 5 && s.startsWith("stale", start));

/** Offsets of the parameters of the challenge being read: name start, name end, value start, value end. */
const SPANS: number[] = [];

const isTokenChar = (c: number): boolean =>
  (c >= 0x61 && c <= 0x7a) ||
  (c >= 0x41 && c <= 0x5a) ||
  (c >= 0x30 && c <= 0x39) ||
  c === 0x2d || c === 0x2e || c === 0x21 || c === 0x25 || c === 0x2a || c === 0x5f || c === 0x2b || c === 0x60 || c === 0x27 || c === 0x7e;
const isUpper = (c: number): boolean => c >= 0x41 && c <= 0x5a;

/** Same characters at s[a..a+n) and s[b..b+n). */
function sameText(s: string, a: number, b: number, n: number): boolean {
  for (let k = 0; k < n; k++) if (s.charCodeAt(a + k) !== s.charCodeAt(b + k)) return false;
  return true;
}

/**
 * The same result as `withoutKeysParsed` for a challenge written the way `serializeAuth` writes one
 * (what an S-CSCF of this core sends): `Scheme name="value", name=bare` with lower-case names,
 * unrepeated, quoted values except algorithm and stale, quoted-pairs only for '"' and '\', one
 * space after the scheme and ", " between parameters. The parameters other than ck and ik are
 * copied from the text. Null when the value is written otherwise (the caller parses it).
 */
function withoutKeysAsWritten(value: string): ChallengeWithoutKeys | undefined | null {
  const n = value.length;
  let i = 0;
  while (i < n && isTokenChar(value.charCodeAt(i))) i++;
  const schemeEnd = i;
  if (schemeEnd === 0 || i >= n || value.charCodeAt(i) !== 0x20) return null;
  i++;
  let count = 0;
  let ck = -1;
  let ik = -1;
  for (;;) {
    const ns = i;
    while (i < n && isTokenChar(value.charCodeAt(i))) {
      if (isUpper(value.charCodeAt(i))) return null;
      i++;
    }
    const ne = i;
    if (ne === ns || i >= n || value.charCodeAt(i) !== 0x3d) return null;
    const vs = ++i;
    if (isBareParam(value, ns, ne)) {
      // read up to ',' SP HTAB by the parser; only visible characters other than '"' and ',' here
      while (i < n) {
        const c = value.charCodeAt(i);
        if (c <= 0x20 || c >= 0x7f || c === 0x2c) break;
        if (c === 0x22) return null;
        i++;
      }
      if (i === vs) return null;
    } else {
      if (i >= n || value.charCodeAt(i) !== 0x22) return null;
      i++;
      for (;;) {
        if (i >= n) return null;
        const c = value.charCodeAt(i);
        if (c === 0x22) break;
        if (c === 0x5c) {
          const e = value.charCodeAt(i + 1);
          if (e !== 0x22 && e !== 0x5c) return null;
          i++;
        }
        i++;
      }
      i++;
    }
    const ve = i;
    for (let k = 0; k < count; k += 4) {
      if (SPANS[k + 1]! - SPANS[k]! === ne - ns && sameText(value, SPANS[k]!, ns, ne - ns)) return null;
    }
    if (ne - ns === 2 && value.charCodeAt(ns + 1) === 0x6b /* k */) {
      if (value.charCodeAt(ns) === 0x63 /* c */) ck = count;
      else if (value.charCodeAt(ns) === 0x69 /* i */) ik = count;
    }
    SPANS[count++] = ns;
    SPANS[count++] = ne;
    SPANS[count++] = vs;
    SPANS[count++] = ve;
    if (i === n) break;
    if (value.charCodeAt(i) !== 0x2c || value.charCodeAt(i + 1) !== 0x20) return null;
    i += 2;
  }
  if (ck < 0 && ik < 0) return undefined;
  let out = value.slice(0, schemeEnd);
  let first = true;
  for (let k = 0; k < count; k += 4) {
    if (k === ck || k === ik) continue;
    out += (first ? " " : ", ") + value.slice(SPANS[k]!, SPANS[k + 3]!);
    first = false;
  }
  return {
    value: out,
    ck: ck < 0 ? undefined : unquote(value.slice(SPANS[ck + 2]!, SPANS[ck + 3]!)),
    ik: ik < 0 ? undefined : unquote(value.slice(SPANS[ik + 2]!, SPANS[ik + 3]!)),
  };
}
