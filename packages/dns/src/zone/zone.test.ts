import { describe, expect, it } from "vitest";
import { Zone, ZoneSet } from "./zone.js";
import { RR_TYPE } from "../wire/types.js";

const SOA = { ttl: 300, mname: "ns.z.test", rname: "root.z.test", serial: 7, refresh: 1, retry: 1, expire: 1, minimum: 60 };

describe("Zone", () => {
  it("refuses records it could not answer correctly", () => {
    expect(() => Zone.create("z.test", SOA, [{ name: "a.other.test", ttl: 1, data: { type: "A", address: "127.3.4.1" } }])).toThrow(/outside the zone/);
    expect(() => Zone.create("z.test", SOA, [{ name: "w.z.test", ttl: 1, data: { type: "CNAME", host: "a.z.test" } }])).toThrow(/not supported/);
    expect(() => Zone.create("z.test", SOA, [{ name: "sub.z.test", ttl: 1, data: { type: "NS", host: "ns.sub.z.test" } }])).toThrow(/delegation/);
    expect(() => Zone.create("z.test", SOA, [{ name: "a.z.test", ttl: -1, data: { type: "A", address: "127.3.4.1" } }])).toThrow(/TTL/);
    expect(() => Zone.create("z.test", SOA, [{ name: "a..z.test", ttl: 1, data: { type: "A", address: "127.3.4.1" } }])).toThrow(/valid domain name/);
  });

  it("answers ANY with every record at the name, and the negative TTL is min(SOA TTL, MINIMUM)", () => {
    const z = Zone.create("z.test", SOA, [
      { name: "a.z.test", ttl: 5, data: { type: "A", address: "127.3.4.1" } },
      { name: "a.z.test", ttl: 5, data: { type: "AAAA", address: "fd00::4" } },
    ]);
    const any = z.lookup("a.z.test", RR_TYPE.ANY);
    expect(any.kind === "answer" && any.records.map((r) => r.data.type)).toEqual(["A", "AAAA"]);
    const nx = z.lookup("b.z.test", RR_TYPE.A);
    expect(nx.kind === "nxdomain" && nx.soa.ttl).toBe(60);
    expect(z.records()[0]?.data.type).toBe("SOA");
  });

  it("ZoneSet picks the most specific zone", () => {
    const parent = Zone.create("z.test", SOA, []);
    const child = Zone.create("sub.z.test", SOA, []);
    const set = new ZoneSet([parent, child]);
    expect(set.find("x.sub.z.test")).toBe(child);
    expect(set.find("x.z.test")).toBe(parent);
    expect(set.find("Z.TEST")).toBe(parent);
    expect(set.find("z.test.example")).toBeUndefined();
    expect(set.find("xz.test")).toBeUndefined();
  });
});
