/**
 * The Via a proxy adds and the loop check it enables (RFC 3261 §16.6 step 8, §16.3 step 4).
 * Branch = "z9hG4bK" + loop hash + "." + random: the random part makes it unique per branch, the
 * loop hash (over what identifies the request at this hop: Request-URI, From/To tags, Call-ID,
 * CSeq number, Route, Proxy-Require, Proxy-Authorization) tells a loop from a spiral. The received
 * Via is left out of the hash: in a loop it is the previous hop's, not the original one.
 */
import { getCSeq, getFrom, getTo, parsedHeader, parseVia } from "../headers/index.js";
import { isKey } from "../message/header-line.js";
import { BRANCH_MAGIC_COOKIE, type SipRequest, addHeader, getHeader } from "../message/index.js";
import { type Endpoint, randomHex } from "@ims/runtime";
import type { TransportProtocol } from "../transport/types.js";

// Two 32-bit FNV-1a style lanes with different multipliers (40 bits kept): loop detection needs a
// hash that tells a spiral from a loop, not a cryptographic one, and this one allocates nothing.
let lane1 = 0;
let lane2 = 0;
function mix(s: string): void {
  let a = lane1;
  let b = lane2;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  // a separator, so that ("ab", "c") and ("a", "bc") differ
  lane1 = Math.imul(a ^ 10, 0x01000193);
  lane2 = Math.imul(b ^ 10, 0x5bd1e995);
}

/**
 * The loop hash of a request: over its Request-URI, From/To tags, Call-ID, CSeq number, Route,
 * Proxy-Require and Proxy-Authorization. A proxy passes the Request-URI and Route lines the request
 * had when it arrived (`uri`, `routes`): §16.4 pre-processing removes our own Route entry, and that
 * entry is what tells a spiral (S-CSCF orig, then term) from a loop. Default: as the request is now.
 */
export function loopHash(req: SipRequest, uri: string = req.uri, routes?: readonly string[]): string {
  lane1 = 0x811c9dc5;
  lane2 = 0x3c6ef372;
  mix(uri);
  mix(getFrom(req)?.tag ?? "");
  mix(getTo(req)?.tag ?? "");
  mix(getHeader(req, "call-id") ?? "");
  mix(String(getCSeq(req)?.seq ?? ""));
  mix("R");
  if (routes !== undefined) for (const r of routes) mix(r);
  else for (const h of req.headers) if (isKey(h, "route")) mix(h.value);
  mix("P");
  for (const h of req.headers) if (isKey(h, "proxy-require")) mix(h.value);
  mix("A");
  for (const h of req.headers) if (isKey(h, "proxy-authorization")) mix(h.value);
  // 40 bits, 10 hex digits (the branch format stays as it was with MD5)
  return (lane1 >>> 0).toString(16).padStart(8, "0") + (lane2 >>> 24).toString(16).padStart(2, "0");
}

/** A branch carrying the loop hash of the request as it arrived at this proxy. */
export function proxyBranch(hash: string): string {
  return `${BRANCH_MAGIC_COOKIE}${hash}.${randomHex(6)}`;
}

/**
 * §16.3 step 4: true when a Via with our sent-by carries the loop hash the request has now (a
 * spiral through us has a different Request-URI or Route, hence a different hash).
 */
export function isLoop(req: SipRequest, local: Endpoint, hosts: readonly string[] = [], hash = loopHash(req)): boolean {
  // line by line over the cached parses (getVias would concatenate the lines' lists)
  for (const h of req.headers) {
    if (!isKey(h, "via")) continue;
    const vias = parsedHeader(h, parseVia);
    if (!vias.ok) return false; // a malformed Via line ends the search (getVias reads none then)
    for (const v of vias.value) {
      const ours = (v.host === local.address || hosts.includes(v.host)) && (v.port ?? 5060) === local.port;
      const b = v.branch;
      if (ours && b !== undefined && b.startsWith(BRANCH_MAGIC_COOKIE) && b.startsWith(hash, BRANCH_MAGIC_COOKIE.length) && b.charCodeAt(BRANCH_MAGIC_COOKIE.length + hash.length) === 46 /* . */) return true;
    }
  }
  return false;
}

/** Pushes our Via (with `rport`, RFC 3581) on top. */
export function pushVia(req: SipRequest, transport: TransportProtocol, sentBy: Endpoint & { host?: string }, branch: string): void {
  // what serializeVia writes for { SIP/2.0, transport, host, port, params: branch, rport }
  const t = transport === "udp" ? "UDP" : transport === "tcp" ? "TCP" : (transport as string).toUpperCase();
  addHeader(req, "Via", `SIP/2.0/${t} ${sentBy.host ?? sentBy.address}:${sentBy.port};branch=${branch};rport`, "first");
}
