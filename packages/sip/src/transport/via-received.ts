/**
 * Server transport processing of a received request's top Via (RFC 3261 §18.2.1, RFC 3581 §4) and
 * the destination of a response (§18.2.2, RFC 3581 §4). Pure.
 */
import type { Endpoint } from "@ims/runtime";
import { serializeVia, viaSentBy } from "../headers/index.js";
import type { SipMessage, SipResponse } from "../message/index.js";
import { getTopVia, replaceTopVia } from "./top-via.js";
import type { Destination } from "./types.js";

/** Strips IPv6 brackets so a Via host compares with a socket address. */
const bare = (host: string) => (host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host);

/**
 * Adds `received` when the sent-by host differs from the packet's source address, and fills an
 * empty `rport` with the source port (which also requires `received`, RFC 3581 §4).
 */
export function stampReceived(msg: SipMessage, source: Endpoint): void {
  const via = getTopVia(msg);
  if (via === undefined) return;
  const rportEmpty = via.rport === null;
  if (bare(via.host) === source.address && !rportEmpty) return;
  const params = new Map(via.params);
  params.set("received", source.address);
  if (rportEmpty) params.set("rport", String(source.port));
  replaceTopVia(msg, serializeVia({ ...via, params }));
}

/**
 * Where to send a response (§18.2.2): to `received` (else the sent-by host) at `rport` (else the
 * sent-by port, else the transport's default). Over TCP the transaction layer first tries the
 * connection the request came on. `maddr` (multicast) is not supported.
 */
export function responseDestination(response: SipResponse): Destination | undefined {
  const via = getTopVia(response);
  if (via === undefined) return undefined;
  const transport = via.transport.toLowerCase();
  if (transport !== "udp" && transport !== "tcp") return undefined;
  const address = via.received ?? bare(via.host);
  const port = typeof via.rport === "number" ? via.rport : viaSentBy(via).port;
  return { transport, address, port };
}
