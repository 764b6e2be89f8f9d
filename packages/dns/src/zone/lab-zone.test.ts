import { describe, expect, it } from "vitest";
import { LAB_DNS_DEFAULTS, buildLabZone } from "./lab-zone.js";
import { RR_TYPE } from "../wire/types.js";

const zone = buildLabZone(LAB_DNS_DEFAULTS);
const D = "domain.imsprovider.org";

describe("buildLabZone (the tutorial's zone)", () => {
  it("has the tutorial's SOA and NS", () => {
    expect(zone.soa.data).toEqual({ type: "SOA", mname: "localhost", rname: "root.localhost", serial: 1, refresh: 10800, retry: 900, expire: 604800, minimum: 86400 });
    const ns = zone.lookup(D, RR_TYPE.NS);
    expect(ns.kind === "answer" && ns.records.map((r) => r.data)).toEqual([{ type: "NS", host: `ns.${D}` }]);
    expect(ns.kind === "answer" && ns.additionals.map((r) => r.data)).toEqual([{ type: "A", address: "127.0.0.66" }]);
  });

  it.each([
    ["pcscf1", "127.0.0.33"],
    ["scscf1", "127.0.0.11"],
    ["icscf", "127.0.0.55"],
    ["hss", "127.0.0.77"],
    ["ns", "127.0.0.66"],
    ["rtp", "127.0.0.88"],
  ])("has an A record for %s", (name, address) => {
    const a = zone.lookup(`${name}.${D}`, RR_TYPE.A);
    expect(a.kind === "answer" && a.records.map((r) => [r.ttl, r.data])).toEqual([[86400, { type: "A", address }]]);
  });

  it.each([
    [`_sip._udp.${D}`, 4060, `icscf.${D}`],
    [`_sip._tcp.${D}`, 4060, `icscf.${D}`],
    [`_sip._udp.pcscf1.${D}`, 5060, `pcscf1.${D}`],
    [`_sip._tcp.pcscf1.${D}`, 5060, `pcscf1.${D}`],
    [`_sip._udp.scscf1.${D}`, 6060, `scscf1.${D}`],
    [`_sip._tcp.scscf1.${D}`, 6060, `scscf1.${D}`],
  ])("has SRV %s → %i %s with the target's A in additionals", (name, port, target) => {
    const srv = zone.lookup(name, RR_TYPE.SRV);
    expect(srv.kind === "answer" && srv.records.map((r) => r.data)).toEqual([{ type: "SRV", priority: 0, weight: 0, port, target }]);
    expect(srv.kind === "answer" && srv.additionals.map((r) => r.name)).toEqual([target]);
  });

  it("publishes NAPTR SIP+D2U before SIP+D2T for the domain and each SIP node", () => {
    for (const owner of [D, `pcscf1.${D}`, `scscf1.${D}`, `icscf.${D}`]) {
      const n = zone.lookup(owner, RR_TYPE.NAPTR);
      expect(n.kind).toBe("answer");
      if (n.kind !== "answer") continue;
      expect(n.records.map((r) => r.data.type === "NAPTR" && [r.data.order, r.data.preference, r.data.flags, r.data.service, r.data.replacement])).toEqual([
        [10, 10, "s", "SIP+D2U", `_sip._udp.${owner}`],
        [10, 20, "s", "SIP+D2T", `_sip._tcp.${owner}`],
      ]);
      // SRV and the A they point at ride along (RFC 3403 §4.2).
      expect(n.additionals.filter((r) => r.data.type === "SRV")).toHaveLength(2);
      expect(n.additionals.filter((r) => r.data.type === "A")).toHaveLength(1);
    }
    expect(zone.lookup(`hss.${D}`, RR_TYPE.NAPTR).kind).toBe("nodata");
  });

  it("distinguishes NXDOMAIN from NODATA (empty non-terminals exist), with the negative-TTL SOA", () => {
    expect(zone.lookup(`nope.${D}`, RR_TYPE.A).kind).toBe("nxdomain");
    expect(zone.lookup(`hss.${D}`, RR_TYPE.AAAA).kind).toBe("nodata");
    expect(zone.lookup(`_udp.${D}`, RR_TYPE.A).kind).toBe("nodata");
    const neg = zone.lookup(`x.${D}`, RR_TYPE.A);
    expect(neg.kind === "nxdomain" && neg.soa.ttl).toBe(86400);
  });

  it("matches names case-insensitively and answers with the asked spelling", () => {
    const a = zone.lookup(`PCSCF1.Domain.ImsProvider.org`, RR_TYPE.A);
    expect(a.kind === "answer" && a.records[0]?.name).toBe("PCSCF1.Domain.ImsProvider.org");
  });

  it("adds AAAA when configured, and other TTLs and domains", () => {
    const z = buildLabZone({ domain: "lab.test.", ttl: 30, domainSipNode: "p", nameserverNode: "p", nodes: [{ name: "p", address: "127.3.0.1", ipv6: "fd00::1", sipPort: 5070 }] });
    const aaaa = z.lookup("p.lab.test", RR_TYPE.AAAA);
    expect(aaaa.kind === "answer" && aaaa.records.map((r) => [r.ttl, r.data])).toEqual([[30, { type: "AAAA", address: "fd00::1" }]]);
    const srv = z.lookup("_sip._udp.lab.test", RR_TYPE.SRV);
    expect(srv.kind === "answer" && srv.additionals.map((r) => r.data.type)).toEqual(["A", "AAAA"]);
  });

  it.each([
    [{ nodes: [{ name: "bad_name", address: "127.0.0.1" }] }, /nodes\[0\]\.name/],
    [{ nodes: [{ name: "a", address: "127.0.0.300" }] }, /nodes\[0\]\.address/],
    [{ nodes: [{ name: "a", address: "127.0.0.1", sipPort: 70000 }] }, /nodes\[0\]\.sipPort/],
    [{ nodes: [{ name: "a", address: "127.0.0.1", ipv6: "fd00:::1" }] }, /nodes\[0\]\.ipv6/],
    [{ nodes: [{ name: "ns", address: "127.0.0.1" }] }, /domainSipNode/],
    [{ nodes: [{ name: "icscf", address: "127.0.0.1", sipPort: 1 }] }, /nameserverNode/],
  ])("rejects a bad config naming the key (%#)", (partial, key) => {
    expect(() => buildLabZone({ domain: D, ...partial })).toThrow(key);
  });
});
