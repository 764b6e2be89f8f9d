/**
 * A packet tap: transports report every datagram or stream chunk they send or receive, with the real
 * addresses, so the lab can write a capture without root, iptables or dumpcap. A transport given no
 * tap does nothing extra.
 */
export interface Endpoint {
  readonly address: string;
  readonly port: number;
}

export interface TappedPacket {
  readonly transport: "udp" | "tcp";
  /** "out" for what the node sent, "in" for what it received. */
  readonly direction: "in" | "out";
  readonly src: Endpoint;
  readonly dst: Endpoint;
  readonly data: Uint8Array;
  /** Milliseconds since the epoch; the tap fills it in when absent. */
  readonly time?: number;
}

export type PacketTap = (packet: TappedPacket) => void;
