/**
 * Bytes kept off the V8 heap for a while, in recycled slabs: what tens of thousands of entries keep
 * (a completed transaction's response, a Diameter answer kept for duplicates) costs the garbage
 * collector one small object each, and does not pin the 8 KiB pool slab a small Buffer is cut from.
 */

/** A block of bytes that entries are appended to; reusable once no entry points into it. */
export class Slab {
  /** Entries stored here that have not expired yet. */
  live = 0;
  constructor(
    readonly bytes: Buffer,
    /** False for a slab made for one large entry: it is not reused. */
    readonly shared: boolean,
  ) {}
}

/** Bytes per slab: a few hundred SIP responses; an entry over a quarter of it gets a slab of its own. */
const SLAB_SIZE = 256 * 1024;
/** Emptied slabs kept for reuse (1 MiB); more are left to the collector. */
const SPARE_SLABS = 4;

/**
 * Byte strings appended one after the other into the current slab; a slab is reused once the last
 * entry in it was released. Made for entries released in about the order they were added (a fixed
 * lifetime): memory then follows the number of live entries, not their history.
 */
export class SlabStore {
  /** The slab being filled; made at the first add (a store that is never used costs nothing). */
  private current: Slab | undefined;
  private used = 0;
  private readonly spare: Slab[] = [];

  /** Copies `data` in; the caller keeps (slab, offset) and calls release(slab) when it is dropped. */
  add(data: Uint8Array): { slab: Slab; offset: number } {
    if (data.length > SLAB_SIZE / 4) {
      const own = new Slab(Buffer.allocUnsafeSlow(data.length), false);
      own.bytes.set(data);
      own.live = 1;
      return { slab: own, offset: 0 };
    }
    let slab = this.current;
    if (slab === undefined || this.used + data.length > SLAB_SIZE) {
      if (slab !== undefined && slab.live === 0) this.recycle(slab);
      slab = this.current = this.spare.pop() ?? new Slab(Buffer.allocUnsafeSlow(SLAB_SIZE), true);
      this.used = 0;
    }
    const offset = this.used;
    slab.bytes.set(data, offset);
    this.used += data.length;
    slab.live++;
    return { slab, offset };
  }

  release(slab: Slab): void {
    if (--slab.live === 0 && slab !== this.current && slab.shared) this.recycle(slab);
  }

  private recycle(slab: Slab): void {
    if (this.spare.length < SPARE_SLABS) this.spare.push(slab);
  }
}
