import type { Clock, TimerHandle } from "@ims/runtime";

/** What the queue needs of an entry; `settled` is set by `settle` (or by the queue when it expires). */
export interface Expiring {
  deadline: number;
  settled: boolean;
}

interface Bucket<T extends Expiring> {
  readonly ms: number;
  /** Slots before `head` are emptied as they are passed: a settled request is not kept reachable. */
  items: (T | undefined)[];
  head: number;
  timer: TimerHandle | undefined;
}

/**
 * Request timeouts without a timer per request: entries with the same timeout go into one FIFO (their
 * deadlines are then in order) watched by a single clock timer set for its oldest live entry. Answers
 * mostly come in order, so settling pops the dead entries at the head at once and a FIFO holds about
 * as many entries as there are requests in flight.
 */
export class TimeoutQueue<T extends Expiring> {
  private readonly buckets = new Map<number, Bucket<T>>();

  constructor(
    private readonly clock: Clock,
    private readonly onTimeout: (entry: T) => void,
  ) {}

  /** Sets `entry.deadline` to now + ms and watches it. */
  add(entry: T, ms: number): void {
    let b = this.buckets.get(ms);
    if (b === undefined) this.buckets.set(ms, (b = { ms, items: [], head: 0, timer: undefined }));
    entry.deadline = this.clock.now() + ms;
    entry.settled = false;
    b.items.push(entry);
    if (b.timer === undefined) this.arm(b, ms);
  }

  /** The entry got its answer (or failed otherwise): it will not time out. */
  settle(entry: T, ms: number): void {
    entry.settled = true;
    const b = this.buckets.get(ms);
    if (b !== undefined) this.popSettled(b);
  }

  private popSettled(b: Bucket<T>): void {
    while (b.head < b.items.length && (b.items[b.head] as T).settled) b.items[b.head++] = undefined;
    if (b.head === b.items.length) {
      b.items = [];
      b.head = 0;
    } else if (b.head > 1024 && b.head * 2 > b.items.length) {
      b.items = b.items.slice(b.head);
      b.head = 0;
    }
  }

  private arm(b: Bucket<T>, ms: number): void {
    b.timer = this.clock.setTimer(Math.max(0, ms), () => this.fire(b));
  }

  private fire(b: Bucket<T>): void {
    b.timer = undefined;
    const now = this.clock.now();
    this.popSettled(b);
    while (b.head < b.items.length) {
      const e = b.items[b.head] as T;
      if (e.settled) {
        b.items[b.head++] = undefined;
        continue;
      }
      if (e.deadline > now) break;
      b.items[b.head++] = undefined;
      e.settled = true;
      this.onTimeout(e);
    }
    this.popSettled(b);
    // A callback may have added an entry (and armed a timer): re-arm once, for the oldest.
    (b.timer as TimerHandle | undefined)?.cancel();
    b.timer = undefined;
    const next = b.items[b.head];
    if (next !== undefined) this.arm(b, next.deadline - now);
  }
}
