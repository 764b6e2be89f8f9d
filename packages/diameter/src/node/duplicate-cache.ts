import { type Clock, type Slab, SlabStore } from "@ims/runtime";

/** What the cache knows about a request key. */
export type DuplicateLookup =
  | { readonly kind: "new" }
  /** Still being handled: drop the copy, the first answer will go out. */
  | { readonly kind: "in-progress" }
  /** `answer` is a view into the cache's store: copy it before keeping it. */
  | { readonly kind: "answered"; readonly answer: Uint8Array };

interface Entry {
  readonly originHost: string;
  readonly endToEnd: number;
  readonly at: number;
  /** Where the answer's bytes are (off the V8 heap), once answered. */
  slab: Slab | undefined;
  offset: number;
  length: number;
  /** Another request with the same End-to-End id from another host. */
  next: Entry | undefined;
  live: boolean;
}

const NEW: DuplicateLookup = { kind: "new" };
const IN_PROGRESS: DuplicateLookup = { kind: "in-progress" };

/**
 * Duplicate request detection (RFC 6733 §6.1.3, §3 End-to-End Identifier): a request is identified by
 * its Origin-Host and End-to-End id. Answers are kept for `windowMs` (bounded by `maxEntries`, oldest
 * dropped first) and sent again when a duplicate arrives, typically a T-flagged retransmission after
 * the sender failed over. The Map is keyed by the End-to-End id (a number: no string building per
 * request) with a short chain per Origin-Host; entries expire from a FIFO of arrivals (time order),
 * never by iterating the Map (iterating a Map whose head was deleted walks every hole). Answers are
 * copied into a SlabStore: an encoded answer is often a slice of an 8 KiB pool slab, which tens of
 * thousands of kept answers would otherwise pin.
 */
export class DuplicateCache {
  private readonly byId = new Map<number, Entry>();
  private readonly answers = new SlabStore();
  private fifo: (Entry | undefined)[] = [];
  private head = 0;
  private count = 0;

  constructor(
    private readonly clock: Clock,
    private readonly windowMs: number,
    private readonly maxEntries: number,
  ) {}

  get size(): number {
    return this.count;
  }

  /** Looks the request up and, when new, records it as in progress. */
  check(originHost: string, endToEnd: number): DuplicateLookup {
    const now = this.clock.now();
    this.expire(now);
    const first = this.byId.get(endToEnd);
    for (let e = first; e !== undefined; e = e.next) {
      if (e.originHost === originHost) {
        const slab = e.slab;
        return slab === undefined ? IN_PROGRESS : { kind: "answered", answer: slab.bytes.subarray(e.offset, e.offset + e.length) };
      }
    }
    const entry: Entry = { originHost, endToEnd, at: now, slab: undefined, offset: 0, length: 0, next: first, live: true };
    this.byId.set(endToEnd, entry);
    this.fifo.push(entry);
    this.count++;
    while (this.count > this.maxEntries && this.head < this.fifo.length) this.dropOldest();
    return NEW;
  }

  /** Stores the encoded answer for later duplicates. */
  answered(originHost: string, endToEnd: number, answer: Uint8Array): void {
    const e = this.find(originHost, endToEnd);
    if (e === undefined || e.slab !== undefined) return;
    const { slab, offset } = this.answers.add(answer);
    e.slab = slab;
    e.offset = offset;
    e.length = answer.length;
  }

  /** Forgets a request whose handling produced no answer, so a retransmission is handled afresh. */
  forget(originHost: string, endToEnd: number): void {
    const e = this.find(originHost, endToEnd);
    if (e !== undefined) this.unlink(e);
  }

  private find(originHost: string, endToEnd: number): Entry | undefined {
    for (let e = this.byId.get(endToEnd); e !== undefined; e = e.next) if (e.originHost === originHost) return e;
    return undefined;
  }

  private expire(now: number): void {
    while (this.head < this.fifo.length && now - (this.fifo[this.head] as Entry).at >= this.windowMs) this.dropOldest();
    if (this.head > 1024 && this.head * 2 > this.fifo.length) {
      // moved down in place: slice would allocate a new array of up to maxEntries
      const q = this.fifo;
      q.copyWithin(0, this.head);
      q.length -= this.head;
      this.head = 0;
    }
  }

  private dropOldest(): void {
    const e = this.fifo[this.head] as Entry;
    // emptied as passed: a dropped entry is not kept until the FIFO is compacted
    this.fifo[this.head++] = undefined;
    if (e.live) this.unlink(e);
  }

  private unlink(target: Entry): void {
    target.live = false;
    this.count--;
    if (target.slab !== undefined) {
      this.answers.release(target.slab);
      target.slab = undefined;
    }
    const first = this.byId.get(target.endToEnd);
    if (first === target) {
      if (target.next === undefined) this.byId.delete(target.endToEnd);
      else this.byId.set(target.endToEnd, target.next);
      return;
    }
    for (let e = first; e !== undefined; e = e.next) {
      if (e.next === target) {
        e.next = target.next;
        return;
      }
    }
  }
}
