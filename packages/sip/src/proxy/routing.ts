/**
 * Route handling of RFC 3261 §16.4 (pre-processing: strip a Route naming us, undo a strict router's
 * rewrite) and §16.6 steps 6-7 (strict-route fix-up and the next-hop URI), plus the default way of
 * turning a next-hop URI into a transport destination when no resolver (RFC 3263 DNS) is given.
 */
import type { Endpoint } from "@ims/runtime";
import { getNameAddrs, getRequestUri, removeFirstValue, serializeNameAddr } from "../headers/index.js";
import { type SipRequest, addHeader, getHeaders, isHeader } from "../message/index.js";
import type { Destination, TransportProtocol } from "../transport/types.js";
import { type SipUri, type Uri, serializeUri } from "../uri/index.js";

/** Turns the next-hop URI into a destination (DNS lives outside the stack: the CSCFs pass one). */
export type Resolver = (uri: SipUri) => Destination | undefined | Promise<Destination | undefined>;

const bare = (host: string) => (host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host);

/** RFC 3263 without DNS: numeric host (or any name, taken as is), port or 5060, transport param or UDP. */
export const literalResolver: Resolver = (uri) => {
  const t = uri.params.get("transport");
  const transport: TransportProtocol = typeof t === "string" && t.toLowerCase() === "tcp" ? "tcp" : "udp";
  if (uri.scheme === "sips") return undefined;
  const maddr = uri.params.get("maddr");
  const host = typeof maddr === "string" ? maddr : bare(uri.host);
  return { transport, address: host, port: uri.port ?? 5060 };
};

/** Does this URI name this element (same host — one of `hosts` — and port, default 5060)? */
export function isLocalUri(uri: Uri | undefined, local: Endpoint, hosts: readonly string[] = []): boolean {
  if (uri === undefined || uri.kind !== "sip") return false;
  if ((uri.port ?? 5060) !== local.port) return false;
  const host = bare(uri.host);
  if (sameHost(host, local.address)) return true;
  for (const h of hosts) if (sameHost(host, h)) return true;
  return false;
}

/** Host names compare without case (lower-casing only when the lengths match and the texts differ). */
const sameHost = (a: string, b: string) => a === b || (a.length === b.length && a.toLowerCase() === b.toLowerCase());

/** URI of the top Route value, if any. */
export function topRouteUri(req: SipRequest): SipUri | undefined {
  const first = getNameAddrs(req, "route")?.[0];
  return first?.uri.kind === "sip" ? first.uri : undefined;
}

/**
 * §16.4: if the Request-URI is a value we put in a Record-Route (a strict router before us), take
 * the real one from the last Route; then if the top Route names us, remove it. `isLocal` decides
 * what names us. Returns the removed Route naming us: its user part and parameters can carry
 * meaning for this element (the "orig" of an IMS Service-Route, an ODI token).
 */
export function preprocessRoute(req: SipRequest, isLocal: (uri: Uri) => boolean): SipUri | undefined {
  const ruri = getRequestUri(req);
  if (ruri !== undefined && isLocal(ruri)) {
    const routes = getNameAddrs(req, "route");
    const last = routes?.at(-1);
    if (last !== undefined) {
      req.uri = serializeUri(last.uri);
      removeLastRoute(req);
    }
  }
  const top = topRouteUri(req);
  if (top === undefined || !isLocal(top)) return undefined;
  removeFirstValue(req, "route");
  return top;
}

function removeLastRoute(req: SipRequest): void {
  for (let i = req.headers.length - 1; i >= 0; i--) {
    const h = req.headers[i]!;
    if (!isHeader(h, "route")) continue;
    const list = getNameAddrs({ headers: [h] }, "route") ?? [];
    if (list.length <= 1) req.headers.splice(i, 1);
    else req.headers[i] = { name: h.name, value: list.slice(0, -1).map(serializeNameAddr).join(", ") };
    return;
  }
}

/**
 * §16.6 step 6-7: when the top Route is a strict router (no `lr`), put the Request-URI at the end
 * of the Route set and move that Route into the Request-URI. Returns the URI to resolve: the top
 * Route when there is one (loose routing), else the Request-URI.
 */
export function nextHopUri(req: SipRequest): SipUri | undefined {
  const top = topRouteUri(req);
  if (top !== undefined && !top.params.has("lr")) {
    const old = req.uri;
    removeFirstValue(req, "route");
    addHeader(req, "Route", `<${old}>`, "last");
    req.uri = serializeUri(top);
    return top;
  }
  if (top !== undefined) return top;
  const ruri = getRequestUri(req);
  return ruri?.kind === "sip" ? ruri : undefined;
}

/** The Route set a UAC uses for requests in a dialog: Record-Route of the 2xx, reversed (§12.1.2). */
export function routeSetFromResponse(recordRoutes: readonly string[]): string[] {
  const out: string[] = [];
  for (const line of recordRoutes) {
    const r = parseNameAddrs(line);
    for (const na of r) out.push(serializeNameAddr(na));
  }
  return out.reverse();
}

function parseNameAddrs(line: string) {
  return getNameAddrs({ headers: [{ name: "Route", value: line }] }, "route") ?? [];
}

/** Record-Route / Route values of a message, raw, in order. */
export const routeValues = (req: SipRequest, name: "route" | "record-route"): string[] =>
  getHeaders(req, name).flatMap((l) => parseNameAddrs(l).map(serializeNameAddr));
