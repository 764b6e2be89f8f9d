import { FakeClock } from "@ims/runtime";
import { describe, expect, it } from "vitest";
import { TimerSet } from "./machine.js";
import { DEFAULT_TIMER_BASE, type TimerName, nextInterval, timerValue } from "./timers.js";

describe("timer table (RFC 3261 Table 4, RFC 6026)", () => {
  const b = DEFAULT_TIMER_BASE;
  const names: TimerName[] = ["A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M"];
  it("unreliable values", () => {
    expect(names.map((n) => timerValue(n, b, false))).toEqual([
      500, 32000, 181000, 32000, 500, 32000, 500, 32000, 5000, 32000, 5000, 32000, 32000,
    ]);
  });
  it("reliable values: no A/E/G, zero D/I/J/K", () => {
    expect(names.map((n) => timerValue(n, b, true))).toEqual([
      undefined, 32000, 181000, 0, undefined, 32000, undefined, 32000, 0, 0, 0, 32000, 32000,
    ]);
  });
  it("derives from a configured T1/T4 and caps E/G at T2 but not A", () => {
    const fast = { t1: 50, t2: 400, t4: 1000 };
    expect(timerValue("B", fast, false)).toBe(3200);
    expect(timerValue("D", fast, false)).toBe(32000); // D is at least 32 s
    expect(timerValue("K", fast, false)).toBe(1000);
    expect(nextInterval("E", 300, fast)).toBe(400);
    expect(nextInterval("G", 300, fast)).toBe(400);
    expect(nextInterval("A", 300, fast)).toBe(600);
  });
});

describe("TimerSet", () => {
  it("arms named timers (re-arming a name replaces it), cancels one or all, forgets those that fired", () => {
    const clock = new FakeClock();
    const set = new TimerSet(clock);
    const fired: string[] = [];
    expect(set.armed()).toEqual([]);
    set.cancelAll(); // nothing armed yet: no-op
    for (const [name, ms] of [["E", 500], ["F", 32_000], ["K", 5_000], ["D", 100]] as const) set.arm(name, ms, () => fired.push(name));
    expect(set.armed()).toEqual(["D", "E", "F", "K"]); // more than three still work
    set.arm("E", 700, () => fired.push("E2"));
    expect(set.armed()).toEqual(["D", "E", "F", "K"]);
    expect(clock.pending()).toBe(4);
    clock.advance(100);
    expect(fired).toEqual(["D"]);
    expect(set.armed()).toEqual(["E", "F", "K"]);
    set.cancel("K");
    set.cancel("K");
    expect(set.armed()).toEqual(["E", "F"]);
    clock.advance(600);
    expect(fired).toEqual(["D", "E2"]);
    set.arm("A", 10, () => fired.push("A"));
    set.cancelAll();
    expect(set.armed()).toEqual([]);
    clock.advance(100_000);
    expect(fired).toEqual(["D", "E2"]);
    set.arm("B", 1, () => fired.push("B"));
    set.close();
    set.arm("B", 1, () => fired.push("B"));
    clock.advance(10);
    expect(fired).toEqual(["D", "E2"]);
    expect(clock.pending()).toBe(0);
  });
});
