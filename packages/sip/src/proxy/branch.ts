/**
 * The Via a proxy adds and the loop check it enables (RFC 3261 §16.6 step 8, §16.3 step 4).
 * Branch = "z9hG4bK" + loop hash + "." + random: the random part makes it unique per branch, the
 * loop hash (over what identifies the request at this hop: Request-URI, From/To tags, Call-ID,
 * CSeq number, Route, Proxy-Require, Proxy-Authorization) tells a loop from a spiral. The received
 * Via is left out of the hash: in a loop it is the previous hop's, not the original one.
 */
import { createHash } from "node:crypto";
import { getCSeq, getFrom, getTo, getVias } from "../headers/index.js";
import { BRANCH_MAGIC_COOKIE, type SipRequest, addHeader, getHeader, getHeaders } from "../message/index.js";
import { type Endpoint, randomHex } from "@ims/runtime";
import type { TransportProtocol } from "../transport/types.js";

export function loopHash(req: SipRequest): string {
  const h = createHash("md5");
  for (const part of [
    req.uri,
    getFrom(req)?.tag ?? "",
    getTo(req)?.tag ?? "",
    getHeader(req, "call-id") ?? "",
    String(getCSeq(req)?.seq ?? ""),
    ...getHeaders(req, "route"),
    ...getHeaders(req, "proxy-require"),
    ...getHeaders(req, "proxy-authorization"),
  ])
    h.update(part).update("\n");
  return h.digest("hex").slice(0, 10);
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
  for (const v of getVias(req) ?? []) {
    const ours = (v.host === local.address || hosts.includes(v.host)) && (v.port ?? 5060) === local.port;
    if (ours && v.branch?.startsWith(`${BRANCH_MAGIC_COOKIE}${hash}.`)) return true;
  }
  return false;
}

/** Pushes our Via (with `rport`, RFC 3581) on top. */
export function pushVia(req: SipRequest, transport: TransportProtocol, sentBy: Endpoint & { host?: string }, branch: string): void {
  // what serializeVia writes for { SIP/2.0, transport, host, port, params: branch, rport }
  const t = transport === "udp" ? "UDP" : transport === "tcp" ? "TCP" : (transport as string).toUpperCase();
  addHeader(req, "Via", `SIP/2.0/${t} ${sentBy.host ?? sentBy.address}:${sentBy.port};branch=${branch};rport`, "first");
}
