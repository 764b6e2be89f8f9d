/**
 * Time as an injected dependency. Every state machine in the project (SIP transactions, Diameter
 * peers, registrations) takes a Clock instead of calling Date.now()/setTimeout, so tests drive it
 * with a FakeClock and never sleep.
 */

/** An armed timer; cancel() is idempotent. */
export interface TimerHandle {
  cancel(): void;
}

export interface Clock {
  /** Milliseconds since an arbitrary, monotonic origin. */
  now(): number;
  /** Runs `fn` once after `ms` milliseconds. */
  setTimer(ms: number, fn: () => void): TimerHandle;
}

/** What a QueuedClock needs of the host: a clock and one-shot, unref'ed host timers. */
export interface TimerHost {
  now(): number;
  /** Arms a one-shot host timer that never keeps the process alive. */
  set(ms: number, fn: () => void): unknown;
  clear(timer: unknown): void;
}

/** Longest delay a Node timer takes (a larger one fires after 1 ms). */
const MAX_HOST_DELAY = 2 ** 31 - 1;

/** A timer in a DurationQueue: `fn` is dropped when it fires or is cancelled. */
class QueuedTimer implements TimerHandle {
  constructor(
    /** Deadline, rounded up to a whole ms (a small integer, not a boxed double). */
    readonly at: number,
    public fn: (() => void) | undefined,
    private readonly queue: DurationQueue,
  ) {}
  cancel(): void {
    if (this.fn === undefined) return;
    this.fn = undefined;
    this.queue.cancelled();
  }
}

/**
 * The timers armed with one duration: their deadlines come in arming order, so they wait in a FIFO
 * watched by a single host timer set for the oldest live one. Cancelling only marks the entry (and
 * drops its callback); cancelled entries are skipped when due and squeezed out once they outnumber
 * the live ones, or all at once when none is left alive. The FIFO is `items[head, tail)` in an array
 * that keeps its size (emptied slots are cleared, not cut off, so the next timers need no new array).
 */
class DurationQueue {
  private readonly items: (QueuedTimer | undefined)[] = [];
  private head = 0;
  private tail = 0;
  private live = 0;
  /** Cancelled entries still in `items[head, tail)`. */
  private dead = 0;
  private firing = false;
  /** The pending host timer (set for a deadline no later than the head's: it then re-arms). */
  private timer: unknown = undefined;
  private readonly onTimer = (): void => this.fire();

  constructor(
    private readonly owner: QueuedClock,
    readonly ms: number,
  ) {}

  add(fn: () => void): QueuedTimer {
    const host = this.owner.host;
    const t = new QueuedTimer(Math.ceil(host.now() + this.ms), fn, this);
    if (this.tail < this.items.length) this.items[this.tail] = t;
    else this.items.push(t);
    this.tail++;
    this.live++;
    if (this.timer === undefined && !this.firing) this.timer = host.set(Math.min(this.ms, MAX_HOST_DELAY), this.onTimer);
    return t;
  }

  cancelled(): void {
    this.live--;
    this.dead++;
    if (!this.firing) this.squeeze();
  }

  /** Drops cancelled entries: all of them when none is alive, else once they outnumber the live ones. */
  private squeeze(): void {
    const q = this.items;
    if (this.live === 0) {
      // The host timer stays: it fires once, finds nothing, and lets the queue go.
      for (let i = this.head; i < this.tail; i++) q[i] = undefined;
      this.head = this.tail = this.dead = 0;
    } else if (this.dead >= 32 && this.dead > this.live) {
      let w = 0;
      for (let r = this.head; r < this.tail; r++) {
        const t = q[r]!;
        if (t.fn !== undefined) q[w++] = t;
      }
      for (let i = w; i < this.tail; i++) q[i] = undefined;
      this.head = 0;
      this.tail = w;
      this.dead = 0;
    }
  }

  private fire(): void {
    this.timer = undefined;
    const now = this.owner.host.now();
    const q = this.items;
    // Only what was armed before this run: a callback re-arming with 0 ms runs on a later host timer.
    const end = this.tail;
    this.firing = true;
    try {
      while (this.head < end) {
        const t = q[this.head]!;
        const fn = t.fn;
        if (fn === undefined) {
          q[this.head++] = undefined;
          this.dead--;
          continue;
        }
        if (t.at > now) break; // never early: the host's timer may fire before our clock's deadline
        q[this.head++] = undefined;
        this.live--;
        t.fn = undefined;
        fn();
      }
    } finally {
      this.firing = false;
      this.afterFire();
    }
  }

  private afterFire(): void {
    const q = this.items;
    if (this.head > 1024 && this.head * 2 > this.tail) {
      q.copyWithin(0, this.head, this.tail);
      for (let i = this.tail - this.head; i < this.tail; i++) q[i] = undefined;
      this.tail -= this.head;
      this.head = 0;
    }
    this.squeeze();
    if (this.live === 0) {
      this.owner.drop(this);
      return;
    }
    // skip cancelled entries at the head, then wait for the first live one
    while (q[this.head]!.fn === undefined) {
      q[this.head++] = undefined;
      this.dead--;
    }
    const host = this.owner.host;
    const wait = Math.ceil(q[this.head]!.at - host.now());
    this.timer = host.set(Math.min(Math.max(1, wait), MAX_HOST_DELAY), this.onTimer);
  }

  /** True when nothing is armed and no host timer is pending (the owner may forget the queue). */
  get idle(): boolean {
    return this.live === 0 && this.timer === undefined && !this.firing;
  }
}

/**
 * A timer with a duration of its own (a deadline minus now(), fractional): its own host timer, which
 * re-arms if it fires before the deadline. The host is asked for whole milliseconds: Node keeps a
 * timer list per distinct duration, and fractional ones made a new list for almost every timer
 * (thousands alive in a CSCF under load). It fires at most 1 ms later for it, never earlier.
 */
class DirectTimer implements TimerHandle {
  private timer: unknown;
  constructor(
    private readonly host: TimerHost,
    private readonly at: number,
    private fn: (() => void) | undefined,
    ms: number,
  ) {
    this.timer = host.set(Math.min(Math.ceil(ms), MAX_HOST_DELAY), () => this.fire());
  }
  private fire(): void {
    const fn = this.fn;
    if (fn === undefined) return;
    const wait = Math.ceil(this.at - this.host.now());
    if (wait > 0) {
      this.timer = this.host.set(Math.min(wait, MAX_HOST_DELAY), () => this.fire());
      return;
    }
    this.fn = undefined;
    fn();
  }
  cancel(): void {
    if (this.fn === undefined) return;
    this.fn = undefined;
    this.host.clear(this.timer);
  }
}

/**
 * A Clock whose timers share host timers: one FIFO per duration (Timer E/F of every UDP client
 * transaction, Diameter request timeouts, branch timeouts all come in a few durations), each with a
 * single host timer, instead of a Node Timeout and a handle per timer. Timers of one duration fire
 * in arming order, never before their deadline by `now()`; cancel is O(1). Only whole-ms durations
 * are queued: a fractional one is a deadline minus now(), shared with no other timer, and gets a
 * host timer of its own (a queue would cost more than it saves).
 */
export class QueuedClock implements Clock {
  private readonly queues = new Map<number, DurationQueue>();

  constructor(readonly host: TimerHost) {}

  now(): number {
    return this.host.now();
  }

  setTimer(ms: number, fn: () => void): TimerHandle {
    const d = Math.max(0, ms);
    if (!Number.isInteger(d)) return new DirectTimer(this.host, this.host.now() + d, fn, d);
    let q = this.queues.get(d);
    if (q === undefined) this.queues.set(d, (q = new DurationQueue(this, d)));
    return q.add(fn);
  }

  /** Durations with a queue (tests, diagnostics). */
  get queueCount(): number {
    return this.queues.size;
  }

  /** @internal A queue with nothing left: forgotten, so one-off durations do not pile up. */
  drop(q: DurationQueue): void {
    if (q.idle && this.queues.get(q.ms) === q) this.queues.delete(q.ms);
  }
}

/** performance.now() and unref'ed Node timers: a pending timer never keeps the process alive. */
export const nodeTimerHost: TimerHost = {
  now: () => performance.now(),
  set(ms, fn) {
    const t = setTimeout(fn, ms);
    return t.unref();
  },
  clear(timer) {
    clearTimeout(timer as NodeJS.Timeout);
  },
};

/** The real clock: performance.now() and timers queued per duration on unref'ed Node timers. */
export const systemClock: Clock = new QueuedClock(nodeTimerHost);

interface FakeTimer {
  readonly at: number;
  readonly seq: number;
  readonly fn: () => void;
  cancelled: boolean;
}

/**
 * A clock that only moves when told to. Timers fire in deadline order (ties in arming order),
 * including timers armed by callbacks that run during an advance.
 */
export class FakeClock implements Clock {
  private current: number;
  private seq = 0;
  private timers: FakeTimer[] = [];

  constructor(start = 0) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimer(ms: number, fn: () => void): TimerHandle {
    const timer: FakeTimer = { at: this.current + Math.max(0, ms), seq: this.seq++, fn, cancelled: false };
    this.timers.push(timer);
    return {
      cancel: () => {
        timer.cancelled = true;
      },
    };
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way. */
  advance(ms: number): void {
    const target = this.current + ms;
    for (;;) {
      const next = this.nextDue(target);
      if (next === undefined) break;
      this.current = next.at;
      next.cancelled = true;
      next.fn();
    }
    this.current = target;
  }

  /** Fires every pending timer, however far away, and returns how far time moved. */
  runAll(limit = 100_000): number {
    const start = this.current;
    for (let i = 0; i < limit; i++) {
      const next = this.nextDue(Number.POSITIVE_INFINITY);
      if (next === undefined) return this.current - start;
      this.current = next.at;
      next.cancelled = true;
      next.fn();
    }
    throw new Error(`FakeClock.runAll: more than ${limit} timers fired; a timer re-arms itself forever`);
  }

  /** Number of armed, not cancelled timers. */
  pending(): number {
    this.timers = this.timers.filter((t) => !t.cancelled);
    return this.timers.length;
  }

  private nextDue(until: number): FakeTimer | undefined {
    let best: FakeTimer | undefined;
    for (const t of this.timers) {
      if (t.cancelled || t.at > until) continue;
      if (best === undefined || t.at < best.at || (t.at === best.at && t.seq < best.seq)) best = t;
    }
    if (best !== undefined) this.timers = this.timers.filter((t) => t !== best);
    return best;
  }
}
