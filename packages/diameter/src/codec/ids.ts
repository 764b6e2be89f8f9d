/**
 * Hop-by-hop and end-to-end identifiers (RFC 6733 §3). Hop-by-hop: unique per connection, increasing
 * from a random start. End-to-end: high 12 bits = low 12 bits of the start time in seconds, low 20
 * bits random, then incremented. Pure: the caller gives the time and a random source.
 */
export class IdGenerator {
  private hop: number;
  private e2e: number;

  constructor(nowMs: number, random: () => number = Math.random) {
    this.hop = Math.floor(random() * 0x100000000) >>> 0;
    const seconds = Math.floor(nowMs / 1000);
    this.e2e = (((seconds & 0xfff) << 20) | Math.floor(random() * 0x100000)) >>> 0;
  }

  nextHopByHop(): number {
    this.hop = (this.hop + 1) >>> 0;
    return this.hop;
  }

  nextEndToEnd(): number {
    this.e2e = (this.e2e + 1) >>> 0;
    return this.e2e;
  }

  /** Both ids for a new request. */
  next(): { hopByHop: number; endToEnd: number } {
    return { hopByHop: this.nextHopByHop(), endToEnd: this.nextEndToEnd() };
  }
}
