/**
 * Server transport processing of a received request's top Via (RFC 3261 §18.2.1, RFC 3581 §4) and
 * the destination of a response (§18.2.2, RFC 3581 §4). Pure.
 */
import type { Endpoint } from "@ims/runtime";
import { viaSentBy } from "../headers/index.js";
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
  // serializeVia of the Via with received (and rport) set, written directly: no copy of the Via
  // or of its params (a set keeps a parameter's place; a new one goes last).
  let params = "";
  let hadReceived = false;
  for (const [k, v] of via.params) {
    if (k === "received") {
      hadReceived = true;
      params += `;received=${source.address}`;
    } else if (k === "rport" && rportEmpty) params += `;rport=${source.port}`;
    else params += v === null ? `;${k}` : `;${k}=${v}`;
  }
  if (!hadReceived) params += `;received=${source.address}`;
  const hostport = via.port === undefined ? via.host : `${via.host}:${via.port}`;
  replaceTopVia(msg, `${via.protocol}/${via.transport} ${hostport}${params}`);
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
