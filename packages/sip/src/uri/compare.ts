import { unescapeExact } from "./escape.js";
import type { SipUri, TelUri, Uri } from "./types.js";

/** RFC 3261 §19.1.4: parameters that, present in only one URI, make them differ (transport per erratum 1). */
const MUST_MATCH_PARAMS = ["user", "ttl", "method", "maddr", "transport"] as const;

const lowerUnescaped = (s: string): string => unescapeExact(s).toLowerCase();

function sipEquals(a: SipUri, b: SipUri): boolean {
  if (a.scheme !== b.scheme) return false;
  // userinfo: case-sensitive, compared after unescaping
  if ((a.user === undefined) !== (b.user === undefined)) return false;
  if (a.user !== undefined && unescapeExact(a.user) !== unescapeExact(b.user!)) return false;
  if ((a.password ?? "") !== "" || (b.password ?? "") !== "") {
    if (unescapeExact(a.password ?? "") !== unescapeExact(b.password ?? "")) return false;
  }
  if (a.host.toLowerCase() !== b.host.toLowerCase()) return false;
  if (a.port !== b.port) return false;
  for (const [k, v] of a.params) {
    if (!b.params.has(k)) continue;
    const w = b.params.get(k)!;
    if ((v === null) !== (w === null)) return false;
    if (v !== null && lowerUnescaped(v) !== lowerUnescaped(w!)) return false;
  }
  for (const k of MUST_MATCH_PARAMS) if (a.params.has(k) !== b.params.has(k)) return false;
  // headers: never ignored; same set, names case-insensitive, values compared unescaped
  if (a.headers.length !== b.headers.length) return false;
  const bh = new Map(b.headers.map(([n, v]) => [n.toLowerCase(), unescapeExact(v)]));
  for (const [n, v] of a.headers) if (bh.get(n.toLowerCase()) !== unescapeExact(v)) return false;
  return true;
}

/** RFC 3966 §4: numbers compared without visual separators, parameters order-insensitive. */
function telEquals(a: TelUri, b: TelUri): boolean {
  const norm = (n: string): string => n.replace(/[\-.()]/g, "").toLowerCase();
  if (norm(a.number) !== norm(b.number)) return false;
  if (a.params.size !== b.params.size) return false;
  for (const [k, v] of a.params) {
    if (!b.params.has(k)) return false;
    const w = b.params.get(k)!;
    if ((v === null ? null : lowerUnescaped(v)) !== (w === null ? null : lowerUnescaped(w))) return false;
  }
  return true;
}

/** URI equivalence: RFC 3261 §19.1.4 for SIP/SIPS, RFC 3966 §4 for tel, exact text otherwise. */
export function uriEquals(a: Uri, b: Uri): boolean {
  if (a.kind === "sip" && b.kind === "sip") return sipEquals(a, b);
  if (a.kind === "tel" && b.kind === "tel") return telEquals(a, b);
  if (a.kind === "absolute" && b.kind === "absolute") {
    return a.scheme.toLowerCase() === b.scheme.toLowerCase() && a.opaque === b.opaque;
  }
  return false;
}
