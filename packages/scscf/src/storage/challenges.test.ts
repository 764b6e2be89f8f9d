import { FakeClock } from "@ims/runtime";
import { describe, expect, it } from "vitest";
import { type Challenge, ChallengeStore } from "./challenges.js";

const md5 = (createdAt: number, impi = "a@x"): Challenge => ({
  scheme: "SIP Digest",
  impi,
  impu: "sip:a@x",
  realm: "x",
  ha1: "0".repeat(32),
  qop: "auth",
  createdAt,
});

describe("ChallengeStore", () => {
  it("gives a challenge once only", () => {
    const store = new ChallengeStore(new FakeClock());
    store.add("n1", md5(0));
    expect(store.take("n1")).toMatchObject({ impi: "a@x" });
    expect(store.take("n1")).toBe("unknown");
  });

  it("reports a nonce past its lifetime as stale", () => {
    const clock = new FakeClock();
    const store = new ChallengeStore(clock, { lifetime: 1_000 });
    store.add("n1", md5(0));
    clock.advance(1_001);
    expect(store.take("n1")).toBe("stale");
  });

  it("is bounded and sweeps expired entries", () => {
    const clock = new FakeClock();
    const store = new ChallengeStore(clock, { lifetime: 1_000, maxEntries: 3 });
    for (let i = 0; i < 5; i++) store.add(`n${i}`, md5(clock.now()));
    expect(store.size()).toBe(3);
    expect(store.take("n0")).toBe("unknown");
    clock.advance(2_000);
    store.add("late", md5(clock.now()));
    expect(store.size()).toBe(1);
  });

  it("forgets every challenge of an IMPI", () => {
    const store = new ChallengeStore(new FakeClock());
    store.add("n1", md5(0, "a@x"));
    store.add("n2", md5(0, "b@x"));
    store.forget("a@x");
    expect(store.take("n1")).toBe("unknown");
    expect(store.take("n2")).not.toBe("unknown");
  });

  it("keeps its IMPI index in step: taken, swept, evicted and replaced nonces leave it", () => {
    const clock = new FakeClock();
    const store = new ChallengeStore(clock, { lifetime: 1_000, maxEntries: 2 });
    store.add("n1", md5(0, "a@x"));
    store.add("n2", md5(0, "b@x"));
    store.add("n3", md5(0, "c@x"));
    expect([store.size(), store.impiCount()]).toEqual([2, 2]);
    store.take("n2");
    expect(store.impiCount()).toBe(1);
    store.add("n3", md5(0, "d@x"));
    store.forget("c@x");
    expect(store.take("n3")).toMatchObject({ impi: "d@x" });
    clock.advance(5_000);
    store.add("n4", md5(clock.now(), "e@x"));
    expect([store.size(), store.impiCount()]).toEqual([1, 1]);
  });

  it("keeps at most maxPerImpi challenges of one IMPI, dropping its oldest, others untouched", () => {
    const store = new ChallengeStore(new FakeClock(), { maxPerImpi: 2 });
    store.add("b1", md5(0, "b@x"));
    store.add("a1", md5(0, "a@x"));
    store.add("a2", md5(0, "a@x"));
    store.add("a3", md5(0, "a@x"));
    expect(store.take("a1")).toBe("unknown");
    expect(store.take("a2")).toMatchObject({ impi: "a@x" });
    expect(store.take("a3")).toMatchObject({ impi: "a@x" });
    expect(store.take("b1")).toMatchObject({ impi: "b@x" });
  });
});
