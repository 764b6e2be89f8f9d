import { describe, expect, it } from "vitest";
import { FakeClock, type Result, ok } from "@ims/runtime";
import { CachingSource } from "./cache.js";
import type { DnsAnswer, DnsQueryError, DnsSource } from "./source.js";
import { ZoneSource } from "./source.js";
import { Zone } from "../zone/zone.js";
import { RR_TYPE } from "../wire/types.js";

const zone = Zone.create("c.test", { ttl: 300, mname: "ns.c.test", rname: "r.c.test", serial: 1, refresh: 1, retry: 1, expire: 1, minimum: 20 }, [
  { name: "a.c.test", ttl: 60, data: { type: "A", address: "127.3.3.1" } },
]);

class Counting implements DnsSource {
  calls = 0;
  constructor(private readonly inner: DnsSource) {}
  query(name: string, type: number): Promise<Result<DnsAnswer, DnsQueryError>> {
    this.calls++;
    return this.inner.query(name, type);
  }
}

describe("CachingSource", () => {
  it("serves a positive answer for its TTL, then asks again", async () => {
    const clock = new FakeClock();
    const inner = new Counting(new ZoneSource([zone]));
    const cache = new CachingSource(inner, clock);
    await cache.query("a.c.test", RR_TYPE.A);
    clock.advance(59_999);
    await cache.query("A.C.test", RR_TYPE.A);
    expect(inner.calls).toBe(1);
    clock.advance(1);
    await cache.query("a.c.test", RR_TYPE.A);
    expect(inner.calls).toBe(2);
  });

  it("caches NXDOMAIN and NODATA for min(SOA TTL, MINIMUM)", async () => {
    const clock = new FakeClock();
    const inner = new Counting(new ZoneSource([zone]));
    const cache = new CachingSource(inner, clock);
    await cache.query("x.c.test", RR_TYPE.A);
    await cache.query("a.c.test", RR_TYPE.AAAA);
    clock.advance(19_000);
    await cache.query("x.c.test", RR_TYPE.A);
    await cache.query("a.c.test", RR_TYPE.AAAA);
    expect(inner.calls).toBe(2);
    clock.advance(1_000);
    await cache.query("x.c.test", RR_TYPE.A);
    expect(inner.calls).toBe(3);
  });

  it("does not cache a negative answer without SOA, nor failures", async () => {
    const clock = new FakeClock();
    let calls = 0;
    const cache = new CachingSource(
      {
        query: (name, type) => {
          calls++;
          return Promise.resolve(calls % 2 ? ok({ rcode: "NXDOMAIN", answers: [], authorities: [], additionals: [] }) : { ok: false, error: { tag: "dns-timeout", reason: "t", name, type } });
        },
      },
      clock,
    );
    await cache.query("q", 1);
    await cache.query("q", 1);
    await cache.query("q", 1);
    expect(calls).toBe(3);
    expect(cache.size()).toBe(0);
  });

  it("shares one lookup between concurrent identical queries", async () => {
    const inner = new Counting(new ZoneSource([zone]));
    const cache = new CachingSource(inner, new FakeClock());
    await Promise.all([cache.query("a.c.test", 1), cache.query("a.c.test", 1), cache.query("a.c.test", 1)]);
    expect(inner.calls).toBe(1);
  });

  it("stays within maxEntries", async () => {
    const cache = new CachingSource(new ZoneSource([zone]), new FakeClock(), { maxEntries: 2 });
    for (const n of ["a", "b", "c", "d"]) await cache.query(`${n}.c.test`, RR_TYPE.A);
    expect(cache.size()).toBe(2);
  });
});
