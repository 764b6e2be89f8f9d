import { describe, expect, it } from "vitest";
import { FakeClock } from "@ims/runtime";
import { DuplicateCache } from "./duplicate-cache.js";

describe("DuplicateCache", () => {
  it("new → in progress → answered, keyed by Origin-Host and End-to-End id", () => {
    const c = new DuplicateCache(new FakeClock(), 1_000, 10);
    expect(c.check("a", 1)).toEqual({ kind: "new" });
    expect(c.check("a", 1)).toEqual({ kind: "in-progress" });
    expect(c.check("b", 1)).toEqual({ kind: "new" });
    c.answered("a", 1, Buffer.from([1, 2]));
    expect(c.check("a", 1)).toEqual({ kind: "answered", answer: Buffer.from([1, 2]) });
    c.forget("b", 1);
    expect(c.check("b", 1)).toEqual({ kind: "new" });
  });

  it("forgets answers after the window and keeps at most maxEntries", () => {
    const clock = new FakeClock();
    const c = new DuplicateCache(clock, 1_000, 3);
    c.check("a", 1);
    c.answered("a", 1, Buffer.from([1]));
    clock.advance(999);
    expect(c.check("a", 1).kind).toBe("answered");
    clock.advance(1);
    expect(c.check("a", 1).kind).toBe("new");
    for (let i = 2; i < 10; i++) c.check("a", i);
    expect(c.size).toBe(3);
    expect(c.check("a", 9).kind).toBe("in-progress");
    expect(c.check("a", 2).kind).toBe("new");
  });
});

describe("DuplicateCache chains", () => {
  it("keeps requests with the same End-to-End id from different hosts apart, through expiry and forget", () => {
    const clock = new FakeClock();
    const c = new DuplicateCache(clock, 1_000, 100);
    c.check("a", 5);
    clock.advance(500);
    c.check("b", 5);
    c.check("c", 5);
    c.answered("b", 5, Buffer.from([2]));
    c.forget("c", 5);
    expect(c.size).toBe(2);
    clock.advance(500); // "a" expires, "b" stays
    expect(c.check("b", 5)).toEqual({ kind: "answered", answer: Buffer.from([2]) });
    expect(c.size).toBe(1);
    expect(c.check("a", 5).kind).toBe("new");
    expect(c.check("c", 5).kind).toBe("new");
  });
});
