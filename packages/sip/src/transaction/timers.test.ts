import { describe, expect, it } from "vitest";
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
