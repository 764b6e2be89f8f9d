import { describe, expect, it } from "vitest";
import { randomBase64, randomHex } from "./random.js";

describe("pooled random identifiers", () => {
  it("gives the asked length, never repeats across pool refills, and spreads over every hex digit", () => {
    const seen = new Set<string>();
    const digits = new Map<string, number>();
    for (let i = 0; i < 5_000; i++) {
      const h = randomHex(8); // 5,000 × 8 bytes: about ten refills of the 4 KiB pool
      expect(h).toMatch(/^[0-9a-f]{16}$/);
      expect(seen.has(h)).toBe(false);
      seen.add(h);
      for (const d of h) digits.set(d, (digits.get(d) ?? 0) + 1);
    }
    expect(digits.size).toBe(16);
    // 80,000 digits: each should be near 5,000; a stuck or zeroed pool would be far off.
    for (const n of digits.values()) expect(Math.abs(n - 5_000)).toBeLessThan(500);
    expect(Buffer.from(randomBase64(24), "base64")).toHaveLength(24);
    expect(() => randomHex(5_000)).toThrow(RangeError);
  });
});
