/**
 * RTP/RTCP port pairs from a configured range: RTP on an even port, RTCP on the next one
 * (RFC 3550 §11). Freed pairs go to the back of the queue so a port is not reused at once and a
 * late packet of a dead call does not land in a new one.
 */
import { err, ImsError, ok, type Result, type TaggedError } from "@ims/runtime";

export interface PortPair {
  readonly rtp: number;
  readonly rtcp: number;
}

export interface PortsExhausted extends TaggedError<"ports-exhausted"> {}

export class PortAllocator {
  private readonly free: number[] = [];
  private head = 0;
  private readonly inUse = new Set<number>();

  constructor(portMin: number, portMax: number) {
    if (!Number.isInteger(portMin) || !Number.isInteger(portMax) || portMin < 1024 || portMax > 65535 || portMin > portMax) {
      throw new ImsError("config", `port range ${portMin}-${portMax} is not within 1024-65535`);
    }
    for (let p = portMin + (portMin % 2); p + 1 <= portMax; p += 2) this.free.push(p);
    if (this.free.length === 0) throw new ImsError("config", `port range ${portMin}-${portMax} holds no even/odd pair`);
  }

  /** Pairs the range holds. */
  get capacity(): number {
    return this.free.length - this.head + this.inUse.size;
  }

  get used(): number {
    return this.inUse.size;
  }

  allocate(): Result<PortPair, PortsExhausted> {
    if (this.head === this.free.length) {
      return err({ tag: "ports-exhausted", reason: `all ${this.inUse.size} port pairs are in use` });
    }
    const rtp = this.free[this.head++]!;
    if (this.head > 1024 && this.head * 2 > this.free.length) {
      this.free.splice(0, this.head);
      this.head = 0;
    }
    this.inUse.add(rtp);
    return ok({ rtp, rtcp: rtp + 1 });
  }

  /** Returns a pair; freeing a pair that is not in use does nothing. */
  release(pair: PortPair): void {
    if (this.inUse.delete(pair.rtp)) this.free.push(pair.rtp);
  }
}
