/**
 * The transport seam: what transactions, the proxy and UAs need of a transport. `NetTransport`
 * implements it over real UDP/TCP sockets, `FakeNetwork` in memory for unit tests.
 */
import type { Endpoint } from "@ims/runtime";
import type { SipMessage, SipRequest, SipResponse } from "../message/index.js";

export type TransportProtocol = "udp" | "tcp";

/** Where a message goes to or came from. */
export interface Destination {
  readonly transport: TransportProtocol;
  readonly address: string;
  readonly port: number;
}

/** A message as received, after §18.2.1 processing (received/rport added to a request's top Via). */
export type Inbound =
  | { readonly kind: "request"; readonly message: SipRequest; readonly source: Destination; readonly local: Endpoint }
  | { readonly kind: "response"; readonly message: SipResponse; readonly source: Destination; readonly local: Endpoint };

export interface SipTransport {
  /** The node's own address and port: every message leaves from here, Via/Record-Route name it. */
  readonly local: Endpoint;
  /** Transports this node listens on. */
  readonly protocols: readonly TransportProtocol[];
  /**
   * Sends a message; rejects on a transport error (no route, connection refused, closed). `bytes`,
   * when given, is `message` already serialized (the caller keeps it, e.g. to retransmit).
   */
  send(message: SipMessage, dest: Destination, bytes?: Buffer): Promise<void>;
  /** Registers the receiver of every well-formed inbound message (one receiver). */
  onMessage(handler: (inbound: Inbound) => void): void;
  close(): Promise<void>;
}

/** True for transports where the transaction layer does not retransmit. */
export function isReliable(t: TransportProtocol): boolean {
  return t !== "udp";
}

/** "SIP/2.0/UDP" etc. as used in Via (RFC 3261 §20.42). */
export function viaTransportToken(t: TransportProtocol): string {
  return `SIP/2.0/${t.toUpperCase()}`;
}
