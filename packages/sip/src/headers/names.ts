/**
 * Header names: compact forms, canonical keys (lower-case long form) and the spelling we emit.
 * Header names are case-insensitive (RFC 3261 §7.3.1); compact forms from §7.3.3 and later RFCs.
 */

/** Compact form → long form (lower case). RFC 3261 §7.3.3, RFC 3515 (r), 3892 (b), 6665 (o, u),
 * 4028 (x), 3841 (a, j, d), 4474 (y, n). */
export const COMPACT_FORMS = {
  i: "call-id",
  m: "contact",
  e: "content-encoding",
  l: "content-length",
  c: "content-type",
  f: "from",
  s: "subject",
  k: "supported",
  t: "to",
  v: "via",
  o: "event",
  r: "refer-to",
  b: "referred-by",
  u: "allow-events",
  x: "session-expires",
  a: "accept-contact",
  j: "reject-contact",
  d: "request-disposition",
  y: "identity",
  n: "identity-info",
} as const satisfies Record<string, string>;

/** How we spell a header we write (RFC 3261 §20 and the 3GPP P-headers, RFC 7315). */
const SPELLING: Readonly<Record<string, string>> = {
  "call-id": "Call-ID",
  cseq: "CSeq",
  "www-authenticate": "WWW-Authenticate",
  "p-asserted-identity": "P-Asserted-Identity",
  "p-preferred-identity": "P-Preferred-Identity",
  "p-associated-uri": "P-Associated-URI",
  "p-visited-network-id": "P-Visited-Network-ID",
  "p-charging-vector": "P-Charging-Vector",
  "p-charging-function-addresses": "P-Charging-Function-Addresses",
  "p-access-network-info": "P-Access-Network-Info",
  "p-called-party-id": "P-Called-Party-ID",
  "mime-version": "MIME-Version",
};

const keyCache = new Map<string, string>();
const MAX_CACHE = 2048;

/** Canonical key of a header name: lower-case long form ("v" → "via", "CALL-ID" → "call-id"). */
export function headerKey(name: string): string {
  const cached = keyCache.get(name);
  if (cached !== undefined) return cached;
  const lower = name.toLowerCase();
  const key = lower.length === 1 ? ((COMPACT_FORMS as Record<string, string>)[lower] ?? lower) : lower;
  if (keyCache.size < MAX_CACHE) keyCache.set(name, key);
  return key;
}

const spellingCache = new Map<string, string>();

/** The spelling used when we add a header by name: "call-id" → "Call-ID", "record-route" → "Record-Route". */
export function headerSpelling(name: string): string {
  const key = headerKey(name);
  const cached = spellingCache.get(key);
  if (cached !== undefined) return cached;
  const special = Object.hasOwn(SPELLING, key) ? SPELLING[key] : undefined;
  const spelled = special ?? key.replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase());
  if (spellingCache.size < MAX_CACHE) spellingCache.set(key, spelled);
  return spelled;
}

/** Headers that may appear at most once (RFC 3261 §20 table; §7.3.1: only list headers may repeat). */
export const SINGLE_VALUE_HEADERS = [
  "call-id",
  "cseq",
  "from",
  "to",
  "max-forwards",
  "content-length",
  "content-type",
  "expires",
] as const;
