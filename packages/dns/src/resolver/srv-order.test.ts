import { describe, expect, it } from "vitest";
import { orderSrv } from "./srv-order.js";

/** Deterministic [0,1) sequence (a linear congruential generator). */
function lcg(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

describe("orderSrv (RFC 2782)", () => {
  it("orders by ascending priority", () => {
    const out = orderSrv([{ priority: 20, weight: 1, id: "c" }, { priority: 0, weight: 1, id: "a" }, { priority: 10, weight: 1, id: "b" }], Math.random);
    expect(out.map((r) => r.id)).toEqual(["a", "b", "c"]);
  });

  it("picks first within a priority in proportion to weight", () => {
    const random = lcg(42);
    const firsts: Record<string, number> = { heavy: 0, light: 0, zero: 0 };
    const records = [{ priority: 0, weight: 0, id: "zero" }, { priority: 0, weight: 30, id: "heavy" }, { priority: 0, weight: 10, id: "light" }];
    for (let i = 0; i < 4000; i++) {
      const out = orderSrv(records, random);
      expect(out).toHaveLength(3);
      firsts[(out[0] as { id: string }).id]! += 1;
    }
    expect(firsts["heavy"]! / 4000).toBeGreaterThan(0.68);
    expect(firsts["heavy"]! / 4000).toBeLessThan(0.78);
    expect(firsts["light"]! / 4000).toBeGreaterThan(0.2);
    expect(firsts["zero"]! / 4000).toBeLessThan(0.05); // weight 0: "a very small chance of being selected"
  });

  it("keeps every record exactly once", () => {
    const records = Array.from({ length: 9 }, (_, i) => ({ priority: i % 3, weight: i, id: i }));
    const out = orderSrv(records, lcg(7));
    expect(out.map((r) => r.id).sort()).toEqual(records.map((r) => r.id).sort());
    expect(out.map((r) => r.priority)).toEqual([0, 0, 0, 1, 1, 1, 2, 2, 2]);
  });
});
