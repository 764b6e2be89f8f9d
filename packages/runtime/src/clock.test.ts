import { describe, expect, it } from "vitest";
import { FakeClock, systemClock } from "./clock.js";

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
