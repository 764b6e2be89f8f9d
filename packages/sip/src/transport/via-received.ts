/**
 * Server transport processing of a received request's top Via (RFC 3261 §18.2.1, RFC 3581 §4) and
 * the destination of a response (§18.2.2, RFC 3581 §4). Pure.
 */
import type { Endpoint } from "@ims/runtime";
import type { SipMessage, SipResponse } from "../message/index.js";
import { formatVia, getTopVia, replaceTopVia } from "./top-via.js";
import type { Destination, TransportProtocol } from "./types.js";

/** Strips IPv6 brackets so a Via host compares with a socket address. */
const bare = (host: string) => (host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host);

/**
 * Adds `received` when the sent-by host differs from the packet's source address, and fills an
 * empty `rport` with the source port (which also requires `received`, RFC 3581 §4).
 */
export function stampReceived(msg: SipMessage, source: Endpoint): void {
  const via = getTopVia(msg);
  if (via === undefined) return;
  const params = new Map(via.params);
  let changed = false;
  const rportEmpty = params.has("rport") && params.get("rport") === null;
  if (bare(via.host) !== source.address || rportEmpty) {
    params.set("received", source.address);
    changed = true;
  }
  if (rportEmpty) {
    params.set("rport", String(source.port));
    changed = true;
  }
  if (changed) replaceTopVia(msg, formatVia({ transport: via.transport, host: via.host, port: via.port, params }));
}

const DEFAULT_PORT = 5060;

/**
 * Where to send a response (§18.2.2): over a reliable transport, back to the source of the request
 * (the connection to it is reused); over UDP to `received` (else the sent-by host) at `rport`
 * (else the sent-by port, else 5060). `maddr` is not supported (multicast).
 */
export function responseDestination(response: SipResponse): Destination | undefined {
  const via = getTopVia(response);
  if (via === undefined) return undefined;
  const transport = via.transport.toLowerCase();
  if (transport !== "udp" && transport !== "tcp") return undefined;
  const received = via.params.get("received");
  const rport = via.params.get("rport");
  const address = received !== undefined && received !== null ? received : bare(via.host);
  const rportNum = rport !== undefined && rport !== null && /^\d+$/.test(rport) ? Number(rport) : undefined;
  const port = rportNum ?? via.port ?? DEFAULT_PORT;
  return { transport: transport as TransportProtocol, address, port };
}
