/**
 * What non-INVITE transactions over UDP keep once Completed (RFC 3261 §17.1.2.2, §17.2.2): a client
 * its key for Timer K (5 s), a server its final response for Timer J (32 s). Under load tens of
 * thousands of them wait at any moment, so each is one small object in a FIFO, the response bytes
 * are off the V8 heap in recycled slabs, and the garbage collector marks a key and an entry, not a
 * kilobyte string, a Destination and its address per transaction.
 */
import { type Clock, type Slab, SlabStore } from "@ims/runtime";
import type { Destination } from "../transport/types.js";

/** An entry of an ExpiringQueue: the map and the FIFO share it. */
export interface Expiring {
  readonly key: string;
  /** Deadline, a whole ms (a small integer, not a boxed double). */
  readonly at: number;
}

/**
 * Keys that expire a fixed time after they were set: one FIFO (every entry lives equally long) and
 * one clock timer for the oldest entry, instead of a timer per entry. `passed` sees every entry the
 * FIFO drops, including one whose key was set again since.
 */
export class ExpiringQueue<E extends Expiring> {
  private readonly map = new Map<string, E>();
  private readonly queue: (E | undefined)[] = [];
  private head = 0;
  private armed = false;

  constructor(
    private readonly clock: Clock,
    readonly ttl: number,
    private readonly passed: (e: E) => void = () => undefined,
  ) {}

  get size(): number {
    return this.map.size;
  }
  get(key: string): E | undefined {
    return this.map.get(key);
  }
  has(key: string): boolean {
    return this.map.has(key);
  }

  /** The deadline of an entry set now. */
  deadline(): number {
    return Math.ceil(this.clock.now() + this.ttl);
  }

  /** Adds `e` (made with `deadline()`); false, and nothing kept, when the TTL is 0 (reliable timers). */
  set(e: E): boolean {
    if (this.ttl <= 0) return false;
    this.map.set(e.key, e);
    this.queue.push(e);
    if (!this.armed) this.arm(this.ttl);
    return true;
  }

  private arm(ms: number): void {
    this.armed = true;
    this.clock.setTimer(ms, () => this.expire());
  }

  private expire(): void {
    this.armed = false;
    const now = this.clock.now();
    while (this.head < this.queue.length && this.queue[this.head]!.at <= now) {
      const e = this.queue[this.head]!;
      // emptied as passed: an expired entry is not kept until the queue is compacted
      this.queue[this.head++] = undefined;
      // A key set again later keeps its newer entry.
      if (this.map.get(e.key) === e) this.map.delete(e.key);
      this.passed(e);
    }
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      // moved down in place: splice would also build an array of the (thousands of) removed entries
      const q = this.queue;
      q.copyWithin(0, this.head);
      q.length -= this.head;
      this.head = 0;
    }
    if (this.head < this.queue.length) this.arm(Math.max(1, this.queue[this.head]!.at - now));
  }
}

/** A completed server transaction: where its final response's bytes are, and where it goes. */
export interface CompletedServer extends Expiring {
  readonly slab: Slab;
  readonly offset: number;
  readonly length: number;
  readonly source: Destination;
}

/** Completed non-INVITE server transactions over UDP, kept for Timer J. */
export class CompletedServers {
  private readonly bytes = new SlabStore();
  private readonly queue: ExpiringQueue<CompletedServer>;

  constructor(clock: Clock, ttl: number) {
    this.queue = new ExpiringQueue<CompletedServer>(clock, ttl, (e) => this.bytes.release(e.slab));
  }

  get size(): number {
    return this.queue.size;
  }

  set(key: string, response: Uint8Array, source: Destination): void {
    if (this.queue.ttl <= 0) return;
    const { slab, offset } = this.bytes.add(response);
    this.queue.set({ key, at: this.queue.deadline(), slab, offset, length: response.length, source });
  }

  /** The final response kept for `key` (a copy: the slab is reused after Timer J), if any. */
  response(key: string): { readonly bytes: Buffer; readonly source: Destination } | undefined {
    const e = this.queue.get(key);
    if (e === undefined) return undefined;
    return { bytes: Buffer.from(e.slab.bytes.subarray(e.offset, e.offset + e.length)), source: e.source };
  }
}
