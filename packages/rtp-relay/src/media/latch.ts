/**
 * Symmetric latching (RFC 7362 §4): a peer behind NAT, or a client that sends from another
 * address than its SDP says (baresip sends from 127.0.0.1), is reached at the source address of
 * its own packets. Until a packet arrives the relay sends to the SDP address. Once latched, a
 * different source takes over only after the latched one has been silent for `relatchAfterMs`,
 * so a stray or spoofed packet cannot steal an active stream.
 */
import type { Endpoint } from "@ims/runtime";

export class Latch {
  private latched: Endpoint | undefined;
  private lastSeen = Number.NEGATIVE_INFINITY;
  /** Packets from a source other than the latched one. */
  foreign = 0;

  constructor(
    private advertised: Endpoint | undefined,
    private readonly relatchAfterMs = 2000,
  ) {}

  /** Where to send to this peer: the learned source, else the SDP address, else nowhere yet. */
  get destination(): Endpoint | undefined {
    return this.latched ?? this.advertised;
  }

  get isLatched(): boolean {
    return this.latched !== undefined;
  }

  /** A new SDP from the peer (re-INVITE): its address counts until a packet says otherwise. */
  setAdvertised(endpoint: Endpoint | undefined): void {
    this.advertised = endpoint;
  }

  /** Notes a packet from `address:port` at `nowMs`. */
  seen(address: string, port: number, nowMs: number): void {
    const cur = this.latched;
    if (cur !== undefined && cur.port === port && cur.address === address) {
      this.lastSeen = nowMs;
      return;
    }
    if (cur === undefined || nowMs - this.lastSeen >= this.relatchAfterMs) {
      this.latched = { address, port };
      this.lastSeen = nowMs;
      return;
    }
    this.foreign++;
  }
}
