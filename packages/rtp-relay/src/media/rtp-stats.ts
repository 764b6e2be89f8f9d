/**
 * Receive statistics of one RTP stream as RFC 3550 Appendix A computes them: sequence numbers
 * extended over 16-bit wrap-around (A.1), expected vs received for loss (A.3), interarrival jitter
 * (§6.4.1, A.8). Pure: the caller passes the packet and its arrival time.
 */

/** RFC 3550 A.1: a jump larger than this is taken as a restart, not as loss. */
const MAX_DROPOUT = 3000;
const MAX_MISORDER = 100;
const RTP_SEQ_MOD = 0x10000;
const RTP_HEADER = 12;

export interface RtpStatsSnapshot {
  readonly packets: number;
  readonly bytes: number;
  /** Datagrams that were not RTP version 2 or shorter than the fixed header. */
  readonly errors: number;
  readonly expected: number;
  readonly lost: number;
  /** Interarrival jitter in RTP timestamp units, and in milliseconds at the stream's clock rate. */
  readonly jitter: number;
  readonly jitterMs: number;
  readonly ssrc: number | undefined;
}

export class RtpStats {
  packets = 0;
  bytes = 0;
  errors = 0;
  private started = false;
  private ssrc: number | undefined;
  private baseSeq = 0;
  private maxSeq = 0;
  private cycles = 0;
  private badSeq = RTP_SEQ_MOD + 1;
  private received = 0;
  private lastTransit: number | undefined;
  private jitter = 0;
  private clockRate = 8000;

  /** `clockRateOf` maps a payload type to its clock rate (from the SDP); unknown types use 8000. */
  constructor(private readonly clockRateOf: (pt: number) => number | undefined = () => undefined) {}

  /** Counts a datagram received at `arrivalMs` (milliseconds, any origin). */
  update(packet: Uint8Array, arrivalMs: number): void {
    this.packets++;
    this.bytes += packet.length;
    if (packet.length < RTP_HEADER || packet[0]! >> 6 !== 2) {
      this.errors++;
      return;
    }
    const pt = packet[1]! & 0x7f;
    const seq = (packet[2]! << 8) | packet[3]!;
    const ts = ((packet[4]! << 24) | (packet[5]! << 16) | (packet[6]! << 8) | packet[7]!) >>> 0;
    const ssrc = ((packet[8]! << 24) | (packet[9]! << 16) | (packet[10]! << 8) | packet[11]!) >>> 0;
    if (!this.started || ssrc !== this.ssrc) {
      this.started = true;
      this.ssrc = ssrc;
      this.clockRate = this.clockRateOf(pt) ?? 8000;
      this.initSeq(seq);
      this.lastTransit = undefined;
      this.jitter = 0;
    } else if (!this.updateSeq(seq)) {
      return;
    }
    this.received++;
    // §6.4.1: D(i-1,i) = (Rj - Ri) - (Sj - Si) in timestamp units; J += (|D| - J)/16.
    const arrival = (arrivalMs * this.clockRate) / 1000;
    const transit = arrival - ts;
    if (this.lastTransit !== undefined) {
      let d = transit - this.lastTransit;
      // The timestamp wraps at 2^32: bring the difference back into range.
      if (d > 2 ** 31) d -= 2 ** 32;
      else if (d < -(2 ** 31)) d += 2 ** 32;
      this.jitter += (Math.abs(d) - this.jitter) / 16;
    }
    this.lastTransit = transit;
  }

  private initSeq(seq: number): void {
    this.baseSeq = seq;
    this.maxSeq = seq;
    this.badSeq = RTP_SEQ_MOD + 1;
    this.cycles = 0;
    this.received = 0;
  }

  /** RFC 3550 A.1 update_seq (without the probation of a new source). */
  private updateSeq(seq: number): boolean {
    const udelta = (seq - this.maxSeq + RTP_SEQ_MOD) % RTP_SEQ_MOD;
    if (udelta < MAX_DROPOUT) {
      if (seq < this.maxSeq) this.cycles += RTP_SEQ_MOD;
      this.maxSeq = seq;
    } else if (udelta <= RTP_SEQ_MOD - MAX_MISORDER) {
      if (seq === this.badSeq) {
        // Two sequential packets after a big jump: the source restarted.
        this.initSeq(seq);
      } else {
        this.badSeq = (seq + 1) % RTP_SEQ_MOD;
        return false;
      }
    }
    // else: duplicate or reordered packet, counted as received.
    return true;
  }

  snapshot(): RtpStatsSnapshot {
    const expected = this.started ? this.cycles + this.maxSeq - this.baseSeq + 1 : 0;
    return {
      packets: this.packets,
      bytes: this.bytes,
      errors: this.errors,
      expected,
      lost: Math.max(0, expected - this.received),
      jitter: this.jitter,
      jitterMs: (this.jitter * 1000) / this.clockRate,
      ssrc: this.ssrc,
    };
  }
}
