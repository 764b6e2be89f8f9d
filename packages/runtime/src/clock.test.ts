import { describe, expect, it } from "vitest";
import { FakeClock, QueuedClock, type TimerHandle, type TimerHost, systemClock } from "./clock.js";

describe("FakeClock", () => {
  it("fires timers in deadline order, ties in arming order", () => {
    const clock = new FakeClock();
    const fired: string[] = [];
    clock.setTimer(500, () => fired.push("b"));
    clock.setTimer(100, () => fired.push("a"));
    clock.setTimer(500, () => fired.push("c"));
    clock.advance(499);
    expect(fired).toEqual(["a"]);
    clock.advance(1);
    expect(fired).toEqual(["a", "b", "c"]);
    expect(clock.now()).toBe(500);
  });

  it("does not fire a cancelled timer", () => {
    const clock = new FakeClock();
    let fired = false;
    const t = clock.setTimer(10, () => {
      fired = true;
    });
    t.cancel();
    clock.advance(100);
    expect(fired).toBe(false);
    expect(clock.pending()).toBe(0);
  });

  it("fires timers armed by a callback within the same advance, at their own time", () => {
    const clock = new FakeClock();
    const at: number[] = [];
    clock.setTimer(100, () => {
      at.push(clock.now());
      clock.setTimer(100, () => at.push(clock.now()));
    });
    clock.advance(250);
    expect(at).toEqual([100, 200]);
  });

  it("runAll stops a timer that re-arms itself forever", () => {
    const clock = new FakeClock();
    const rearm = (): void => {
      clock.setTimer(1, rearm);
    };
    rearm();
    expect(() => clock.runAll(50)).toThrow(/re-arms itself/);
  });
});

describe("systemClock", () => {
  it("fires a timer after its delay, and a cancelled one never", async () => {
    const fired: string[] = [];
    systemClock.setTimer(5, () => fired.push("kept"));
    const cancelled = systemClock.setTimer(5, () => fired.push("cancelled"));
    cancelled.cancel();
    cancelled.cancel(); // idempotent
    await new Promise((r) => setTimeout(r, 30));
    expect(fired).toEqual(["kept"]);
  });
});

/**
 * A host whose time moves only when told to. `early` makes host timers fire that many ms before
 * their delay is up (as a Node timer does when the loop's cached time lags behind performance.now()).
 */
class ManualHost implements TimerHost {
  time = 0;
  early = 0;
  /** Host timers armed so far (a QueuedClock should need few). */
  armedCount = 0;
  private pendingTimers: { due: number; seq: number; fn: () => void }[] = [];
  private seq = 0;
  now(): number {
    return this.time;
  }
  set(ms: number, fn: () => void): unknown {
    this.armedCount++;
    const t = { due: this.time + Math.max(Math.min(ms, 1), ms - this.early), seq: this.seq++, fn };
    this.pendingTimers.push(t);
    return t;
  }
  clear(timer: unknown): void {
    this.pendingTimers = this.pendingTimers.filter((t) => t !== timer);
  }
  get pending(): number {
    return this.pendingTimers.length;
  }
  advance(ms: number): void {
    const target = this.time + ms;
    for (;;) {
      let best: { due: number; seq: number; fn: () => void } | undefined;
      for (const t of this.pendingTimers)
        if (t.due <= target && (best === undefined || t.due < best.due || (t.due === best.due && t.seq < best.seq))) best = t;
      if (best === undefined) break;
      this.pendingTimers = this.pendingTimers.filter((t) => t !== best);
      this.time = Math.max(this.time, best.due);
      best.fn();
    }
    this.time = target;
  }
}

describe("QueuedClock", () => {
  const setup = () => {
    const host = new ManualHost();
    return { host, clock: new QueuedClock(host) };
  };

  it("fires timers of one duration in arming order, each at its own deadline, on one host timer", () => {
    const { host, clock } = setup();
    const fired: string[] = [];
    clock.setTimer(500, () => fired.push(`a@${host.time}`));
    host.advance(10);
    clock.setTimer(500, () => fired.push(`b@${host.time}`));
    clock.setTimer(500, () => fired.push(`c@${host.time}`));
    expect(host.armedCount).toBe(1);
    host.advance(489);
    expect(fired).toEqual([]);
    host.advance(1);
    expect(fired).toEqual(["a@500"]);
    host.advance(10);
    expect(fired).toEqual(["a@500", "b@510", "c@510"]);
    expect(host.armedCount).toBe(2);
    expect(host.pending).toBe(0);
    expect(clock.queueCount).toBe(0);
  });

  it("keeps durations apart: each fires at its deadline whatever the others", () => {
    const { host, clock } = setup();
    const fired: string[] = [];
    for (const ms of [300, 100, 32_000, 100, 4000, 0]) clock.setTimer(ms, () => fired.push(`${ms}@${host.time}`));
    expect(clock.queueCount).toBe(5);
    host.advance(40_000);
    expect(fired).toEqual(["0@0", "100@100", "100@100", "300@300", "4000@4000", "32000@32000"]);
    expect(clock.queueCount).toBe(0);
  });

  it("never fires early when the host timer does, and orders timers due together by arming", () => {
    const { host, clock } = setup();
    host.early = 3;
    const fired: number[] = [];
    for (let i = 0; i < 5; i++) clock.setTimer(100, () => fired.push(host.time));
    host.advance(99);
    expect(fired).toEqual([]);
    host.advance(1);
    expect(fired).toEqual([100, 100, 100, 100, 100]);
  });

  it("does not fire a cancelled timer; cancel is idempotent and harmless after firing", () => {
    const { host, clock } = setup();
    const fired: string[] = [];
    const a = clock.setTimer(100, () => fired.push("a"));
    const b = clock.setTimer(100, () => fired.push("b"));
    const c = clock.setTimer(100, () => fired.push("c"));
    b.cancel();
    b.cancel();
    host.advance(100);
    expect(fired).toEqual(["a", "c"]);
    a.cancel();
    c.cancel();
    const d = clock.setTimer(100, () => fired.push("d"));
    host.advance(100);
    expect(fired).toEqual(["a", "c", "d"]);
    d.cancel();
  });

  it("lets a queue whose timers were all cancelled go without firing them, and a new timer still fires on time", () => {
    const { host, clock } = setup();
    const fired: number[] = [];
    const all = Array.from({ length: 100 }, () => clock.setTimer(500, () => fired.push(-1)));
    for (const t of all) t.cancel();
    host.advance(200);
    clock.setTimer(500, () => fired.push(host.time));
    host.advance(299); // the first host timer wakes up at 500, finds the new timer not due yet
    expect(fired).toEqual([]);
    host.advance(401);
    expect(fired).toEqual([700]);
    expect(clock.queueCount).toBe(0);
  });

  it("squeezes out cancelled timers among live ones and keeps the rest in order", () => {
    const { host, clock } = setup();
    const fired: number[] = [];
    const handles = Array.from({ length: 1000 }, (_, i) => clock.setTimer(1000, () => fired.push(i)));
    for (let i = 0; i < 1000; i++) if (i % 10 !== 0) handles[i]!.cancel();
    host.advance(1000);
    expect(fired).toEqual(Array.from({ length: 100 }, (_, i) => i * 10));
  });

  it("handles thousands of timers spread over time with most cancelled (as Timer E under load)", () => {
    const { host, clock } = setup();
    const fired: number[] = [];
    let expected = 0;
    for (let i = 0; i < 5000; i++) {
      const h = clock.setTimer(500, () => fired.push(host.time - i));
      if (i % 7 === 0) expected++;
      else h.cancel();
      host.advance(1);
    }
    host.advance(1000);
    expect(fired.length).toBe(expected);
    expect(fired.every((late) => late === 500)).toBe(true);
    // one host timer per live deadline, none for the cancelled ones
    expect(host.armedCount).toBeLessThanOrEqual(expected + 1);
  });

  it("needs about one host timer per duration period when every timer is cancelled soon after arming", () => {
    const { host, clock } = setup();
    let previous: TimerHandle | undefined;
    for (let i = 0; i < 5000; i++) {
      previous?.cancel();
      previous = clock.setTimer(500, () => undefined);
      host.advance(1);
    }
    expect(host.armedCount).toBeLessThanOrEqual(5000 / 500 + 1);
  });

  it("runs a timer armed by a callback at its own time, also with the same duration and with 0 ms", () => {
    const { host, clock } = setup();
    const at: string[] = [];
    clock.setTimer(100, () => {
      at.push(`a@${host.time}`);
      clock.setTimer(100, () => at.push(`b@${host.time}`));
      clock.setTimer(0, () => {
        at.push(`z@${host.time}`);
        clock.setTimer(0, () => at.push(`zz@${host.time}`));
      });
    });
    clock.setTimer(100, () => at.push(`a2@${host.time}`));
    host.advance(250);
    // the 0 ms timer armed while its queue fires waits for a later host timer (Node makes 0 ms 1 ms anyway)
    expect(at).toEqual(["a@100", "a2@100", "z@100", "zz@101", "b@200"]);
  });

  it("fires a timer armed after a long idle at its deadline", () => {
    const { host, clock } = setup();
    const fired: number[] = [];
    clock.setTimer(500, () => fired.push(host.time));
    host.advance(10 * 3600_000);
    expect(host.pending).toBe(0);
    clock.setTimer(500, () => fired.push(host.time));
    host.advance(500);
    expect(fired).toEqual([500, 10 * 3600_000 + 500]);
  });

  it("splits a delay longer than a Node timer takes and still fires at the deadline", () => {
    const { host, clock } = setup();
    const fired: number[] = [];
    const days = 30 * 24 * 3600_000;
    clock.setTimer(days, () => fired.push(host.time));
    host.advance(days - 1);
    expect(fired).toEqual([]);
    host.advance(1);
    expect(fired).toEqual([days]);
  });

  it("gives a fractional duration (a deadline minus now) its own host timer, never early, cancellable", () => {
    const { host, clock } = setup();
    host.early = 2;
    const delays: number[] = [];
    const set = host.set.bind(host);
    host.set = (ms, fn) => {
      delays.push(ms);
      return set(ms, fn);
    };
    const fired: number[] = [];
    clock.setTimer(99.5, () => fired.push(host.time));
    const cancelled = clock.setTimer(50.25, () => fired.push(-1));
    expect(clock.queueCount).toBe(0);
    cancelled.cancel();
    cancelled.cancel();
    host.advance(99);
    expect(fired).toEqual([]);
    host.advance(1);
    expect(fired).toEqual([100]); // the next whole ms after the deadline, as a host can only count those
    expect(host.pending).toBe(0);
    // whole milliseconds only: Node keeps a timer list per distinct duration
    expect(delays.length).toBeGreaterThanOrEqual(3); // 99.5, 50.25, and a re-arm after the early firing
    expect(delays.every(Number.isInteger)).toBe(true);
  });

  it("keeps firing the others when a timer of the batch cancels one due with it", () => {
    const { host, clock } = setup();
    const fired: string[] = [];
    const handles: TimerHandle[] = [];
    handles.push(clock.setTimer(10, () => { fired.push("a"); handles[1]!.cancel(); }));
    handles.push(clock.setTimer(10, () => fired.push("b")));
    handles.push(clock.setTimer(10, () => fired.push("c")));
    host.advance(10);
    expect(fired).toEqual(["a", "c"]);
  });
});
