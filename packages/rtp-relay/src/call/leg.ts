/**
 * One side of one media stream as the relay sees it: the relay's port pair that this side's peer
 * sends to, where that peer is (SDP address, then latched source), and what arrived from it.
 * A packet arriving on a leg goes out of the *other* leg's socket to the other peer, so each peer
 * talks to one relay address:port only (symmetric RTP, RFC 4961).
 */
import type { Endpoint } from "@ims/runtime";
import type { SdpMedia } from "../sdp/sdp.js";
import { Latch } from "../media/latch.js";
import type { PortPair } from "../media/port-allocator.js";
import { RtpStats, type RtpStatsSnapshot } from "../media/rtp-stats.js";

/** What a leg has seen, as reported (by this thread, or by the media thread that owns its sockets). */
export interface LegSnapshot {
  readonly rtp: RtpStatsSnapshot;
  readonly rtcpPackets: number;
  readonly rtcpBytes: number;
  readonly dropped: number;
  readonly rtpDestination: Endpoint | undefined;
  readonly rtcpDestination: Endpoint | undefined;
  readonly rtpLatched: boolean;
  readonly rtcpLatched: boolean;
}

export class Leg {
  readonly rtpLatch: Latch;
  readonly rtcpLatch: Latch;
  readonly rtp: RtpStats;
  rtcpPackets = 0;
  rtcpBytes = 0;
  /** Packets that could not be forwarded: no destination known yet. */
  dropped = 0;
  /** Clock time of the last packet received on this leg (RTP or RTCP); -Infinity before any. */
  lastPacket = Number.NEGATIVE_INFINITY;
  peer: Leg | undefined;
  media: SdpMedia | undefined;
  /** Set when another thread forwards this leg's packets and reports its counters. */
  remote: LegSnapshot | undefined;

  constructor(
    readonly callId: string,
    /** "A" = the side of the first offer's from-tag, "B" = the answerer's. */
    readonly side: "A" | "B",
    readonly index: number,
    readonly ports: PortPair,
    relatchAfterMs: number,
  ) {
    this.rtpLatch = new Latch(undefined, relatchAfterMs);
    this.rtcpLatch = new Latch(undefined, relatchAfterMs);
    this.rtp = new RtpStats((pt) => this.media?.clockRates.get(pt));
  }

  snapshot(): LegSnapshot {
    return (
      this.remote ?? {
        rtp: this.rtp.snapshot(),
        rtcpPackets: this.rtcpPackets,
        rtcpBytes: this.rtcpBytes,
        dropped: this.dropped,
        rtpDestination: this.rtpLatch.destination,
        rtcpDestination: this.rtcpLatch.destination,
        rtpLatched: this.rtpLatch.isLatched,
        rtcpLatched: this.rtcpLatch.isLatched,
      }
    );
  }

  /** Takes this side's SDP description of the stream. */
  describe(media: SdpMedia): void {
    this.media = media;
    this.rtpLatch.setAdvertised(media.rtp);
    this.rtcpLatch.setAdvertised(media.rtcp);
  }
}

export type PacketKind = "rtp" | "rtcp";

/**
 * Accounts a packet received on `leg` from `src` and says where to send it: the other leg's peer,
 * via the other leg's socket. Undefined when that peer is not known yet (the packet is dropped).
 */
export function routePacket(leg: Leg, kind: PacketKind, data: Uint8Array, srcAddress: string, srcPort: number, nowMs: number): { via: Leg; to: Endpoint } | undefined {
  leg.lastPacket = nowMs;
  if (kind === "rtp") {
    leg.rtpLatch.seen(srcAddress, srcPort, nowMs);
    leg.rtp.update(data, nowMs);
  } else {
    leg.rtcpLatch.seen(srcAddress, srcPort, nowMs);
    leg.rtcpPackets++;
    leg.rtcpBytes += data.length;
  }
  const via = leg.peer;
  const to = via === undefined ? undefined : kind === "rtp" ? via.rtpLatch.destination : via.rtcpLatch.destination;
  if (via === undefined || to === undefined) {
    leg.dropped++;
    return undefined;
  }
  return { via, to };
}
