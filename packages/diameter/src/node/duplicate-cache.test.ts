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

describe("DuplicateCache memory", () => {
  it("keeps a copy of an answer, not the buffer it was cut from", async () => {
    const { setFlagsFromString } = await import("node:v8");
    const { runInNewContext } = await import("node:vm");
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as () => void;
    const arrayBuffers = async () => {
      await new Promise((r) => setImmediate(r));
      gc();
      gc();
      return process.memoryUsage().arrayBuffers;
    };
    const c = new DuplicateCache(new FakeClock(), 30_000, 100);
    const before = await arrayBuffers();
    (() => {
      // an encoded answer is often a slice of a larger buffer (a pool slab, a read chunk)
      const big = Buffer.alloc(4 * 1024 * 1024, 7);
      c.check("a", 1);
      c.answered("a", 1, big.subarray(100, 164));
      big.fill(9, 100, 164); // and that buffer is reused afterwards
    })();
    const after = await arrayBuffers();
    expect(after - before).toBeLessThan(1024 * 1024); // the 4 MiB buffer is not pinned by the cache
    const dup = c.check("a", 1);
    expect(dup.kind === "answered" && Buffer.from(dup.answer).equals(Buffer.alloc(64, 7))).toBe(true);
  });

  it("answers correctly through many windows of traffic while keeping at most maxEntries", () => {
    const clock = new FakeClock();
    const c = new DuplicateCache(clock, 1_000, 5_000);
    for (let i = 0; i < 100_000; i++) {
      c.check("hss", i);
      c.answered("hss", i, Buffer.from(`answer ${i}`));
      if (i % 100 === 0) clock.advance(10);
    }
    expect(c.size).toBe(5_000);
    const last = c.check("hss", 99_999);
    expect(last.kind === "answered" && Buffer.from(last.answer).toString()).toBe("answer 99999");
    expect(c.check("hss", 94_999).kind).toBe("new"); // dropped: the cap keeps the newest 5,000
  });
});
