import { describe, expect, it } from "vitest";
import { type Result, ok, err } from "@ims/runtime";
import { SipResolver } from "./sip-resolver.js";
import { type DnsAnswer, type DnsQueryError, type DnsSource, HostsSource, ZoneSource } from "./source.js";
import { buildLabZone, LAB_DNS_DEFAULTS } from "../zone/lab-zone.js";
import { Zone, type ZoneRecord } from "../zone/zone.js";
import { RR_TYPE, rrTypeName } from "../wire/types.js";

const D = "domain.imsprovider.org";
const lab = buildLabZone(LAB_DNS_DEFAULTS);
const SOA = { ttl: 60, mname: "ns.t.test", rname: "root.t.test", serial: 1, refresh: 1, retry: 1, expire: 1, minimum: 30 };

/** Records every question, so tests can assert how many round trips a resolution costs. */
class Recording implements DnsSource {
  readonly asked: string[] = [];
  constructor(private readonly inner: DnsSource) {}
  query(name: string, type: number): Promise<Result<DnsAnswer, DnsQueryError>> {
    this.asked.push(`${rrTypeName(type)} ${name}`);
    return this.inner.query(name, type);
  }
}

const failing = (tag: DnsQueryError["tag"]): DnsSource => ({
  query: (name, type) => Promise.resolve(err({ tag, reason: "test", name, type })),
});

function resolver(source: DnsSource, extra: Partial<ConstructorParameters<typeof SipResolver>[0]> = {}): SipResolver {
  return new SipResolver({ source, random: () => 0, ...extra });
}

function zoneOf(records: ZoneRecord[]): Zone {
  return Zone.create("t.test", SOA, records);
}

describe("SipResolver (RFC 3263 §4) against the lab zone", () => {
  it("follows NAPTR → SRV → A for the domain (the I-CSCF), UDP first, in one query thanks to additionals", async () => {
    const src = new Recording(new ZoneSource([lab]));
    const r = await resolver(src).resolve({ host: D });
    expect(r).toEqual(ok([
      { transport: "udp", address: "127.0.0.55", port: 4060 },
      { transport: "tcp", address: "127.0.0.55", port: 4060 },
    ]));
    expect(src.asked).toEqual([`NAPTR ${D}`]);
  });

  it.each([
    [`pcscf1.${D}`, "127.0.0.33", 5060],
    [`scscf1.${D}`, "127.0.0.11", 6060],
  ])("resolves %s to its SIP port", async (host, address, port) => {
    const r = await resolver(new ZoneSource([lab])).resolve({ host });
    expect(r.ok && r.value[0]).toEqual({ transport: "udp", address, port });
  });

  it("uses the SRV of an explicit transport parameter", async () => {
    const src = new Recording(new ZoneSource([lab]));
    expect(await resolver(src).resolve({ host: D, transport: "tcp" })).toEqual(ok([{ transport: "tcp", address: "127.0.0.55", port: 4060 }]));
    expect(src.asked).toEqual([`SRV _sip._tcp.${D}`]);
  });

  it("skips NAPTR and SRV when a port is given: A lookup, UDP", async () => {
    const src = new Recording(new ZoneSource([lab]));
    expect(await resolver(src).resolve({ host: `pcscf1.${D}`, port: 5070 })).toEqual(ok([{ transport: "udp", address: "127.0.0.33", port: 5070 }]));
    expect(src.asked).toEqual([`A pcscf1.${D}`, `AAAA pcscf1.${D}`]);
  });

  it("falls back to A on port 5060/UDP when there is neither NAPTR nor SRV", async () => {
    expect(await resolver(new ZoneSource([lab])).resolve({ host: `hss.${D}` })).toEqual(ok([{ transport: "udp", address: "127.0.0.77", port: 5060 }]));
  });

  it("uses a numeric IP as is, without DNS", async () => {
    const src = new Recording(new ZoneSource([lab]));
    const r = resolver(src, { transports: ["udp", "tcp", "tls"] });
    expect(await r.resolve({ host: "127.0.0.5" })).toEqual(ok([{ transport: "udp", address: "127.0.0.5", port: 5060 }]));
    expect(await r.resolve({ host: "127.0.0.5", transport: "tcp", port: 7 })).toEqual(ok([{ transport: "tcp", address: "127.0.0.5", port: 7 }]));
    expect(await r.resolve({ host: "[fd00::1]", secure: true })).toEqual(ok([{ transport: "tls", address: "fd00::1", port: 5061 }]));
    expect(src.asked).toEqual([]);
  });

  it("refuses SIPS and unknown transports when this node has no TLS, with 503", async () => {
    const r = resolver(new ZoneSource([lab]));
    const a = await r.resolve({ host: D, secure: true });
    expect(!a.ok && [a.error.tag, a.error.sipStatus]).toEqual(["unsupported-transport", 503]);
    const b = await r.resolve({ host: "127.0.0.1", transport: "tls" });
    expect(!b.ok && b.error.tag).toBe("unsupported-transport");
  });

  it("NXDOMAIN is dns-no-target → 503", async () => {
    const r = await resolver(new ZoneSource([lab])).resolve({ host: `nobody.${D}` });
    expect(!r.ok && [r.error.tag, r.error.sipStatus, r.error.host]).toEqual(["dns-no-target", 503, `nobody.${D}`]);
  });

  it("a time-out is dns-timeout → 408, and stops at the first query", async () => {
    const src = new Recording(failing("dns-timeout"));
    const r = await resolver(src).resolve({ host: D });
    expect(!r.ok && [r.error.tag, r.error.sipStatus]).toEqual(["dns-timeout", 408]);
    expect(src.asked).toHaveLength(1);
  });

  it("a failing server is dns-server-failure → 503", async () => {
    const r = await resolver(failing("dns-server-failure")).resolve({ host: D });
    expect(!r.ok && [r.error.tag, r.error.sipStatus]).toEqual(["dns-server-failure", 503]);
  });
});

describe("SipResolver without NAPTR", () => {
  const zone = zoneOf([
    { name: "_sip._udp.t.test", ttl: 60, data: { type: "SRV", priority: 10, weight: 0, port: 5080, target: "b.t.test" } },
    { name: "_sip._udp.t.test", ttl: 60, data: { type: "SRV", priority: 0, weight: 0, port: 5070, target: "a.t.test" } },
    { name: "_sip._tcp.t.test", ttl: 60, data: { type: "SRV", priority: 0, weight: 0, port: 5090, target: "a.t.test" } },
    { name: "a.t.test", ttl: 60, data: { type: "A", address: "127.3.1.1" } },
    { name: "a.t.test", ttl: 60, data: { type: "AAAA", address: "fd00::1" } },
    { name: "b.t.test", ttl: 60, data: { type: "A", address: "127.3.1.2" } },
    { name: "_sip._udp.gone.t.test", ttl: 60, data: { type: "SRV", priority: 0, weight: 0, port: 0, target: "" } },
    { name: "n.t.test", ttl: 60, data: { type: "NAPTR", order: 1, preference: 1, flags: "s", service: "SIPS+D2T", regexp: "", replacement: "_sips._tcp.n.t.test" } },
    { name: "n.t.test", ttl: 60, data: { type: "A", address: "127.3.1.3" } },
  ]);

  it("queries SRV per transport in the node's order, by priority, A before AAAA", async () => {
    const r = await resolver(new ZoneSource([zone])).resolve({ host: "t.test" });
    expect(r).toEqual(ok([
      { transport: "udp", address: "127.3.1.1", port: 5070 },
      { transport: "udp", address: "fd00::1", port: 5070 },
      { transport: "udp", address: "127.3.1.2", port: 5080 },
      { transport: "tcp", address: "127.3.1.1", port: 5090 },
      { transport: "tcp", address: "fd00::1", port: 5090 },
    ]));
    const tcpFirst = await resolver(new ZoneSource([zone]), { transports: ["tcp", "udp"], families: [4] }).resolve({ host: "t.test" });
    expect(tcpFirst.ok && tcpFirst.value[0]).toEqual({ transport: "tcp", address: "127.3.1.1", port: 5090 });
  });

  it("treats an SRV target of '.' as no service", async () => {
    const r = await resolver(new ZoneSource([zone])).resolve({ host: "gone.t.test", transport: "udp" });
    expect(!r.ok && r.error.tag).toBe("dns-no-target");
  });

  it("ignores NAPTR services it cannot use and falls back to A on 5060", async () => {
    const r = await resolver(new ZoneSource([zone]), { families: [4] }).resolve({ host: "n.t.test" });
    expect(r).toEqual(ok([{ transport: "udp", address: "127.3.1.3", port: 5060 }]));
  });

  it("resolves static hosts when no DNS server is configured", async () => {
    const src = new HostsSource({ "pcscf1.lab": "127.3.2.1", "v6.lab": ["fd00::2", "127.3.2.2"] });
    expect(await resolver(src).resolve({ host: "pcscf1.lab" })).toEqual(ok([{ transport: "udp", address: "127.3.2.1", port: 5060 }]));
    const v6 = await resolver(src).resolve({ host: "v6.lab", transport: "tcp" });
    expect(v6.ok && v6.value.map((d) => d.address)).toEqual(["127.3.2.2", "fd00::2"]);
    expect((await resolver(src).resolve({ host: "other.lab" })).ok).toBe(false);
  });
});

it("asks the A and AAAA of every SRV target only when the additional section lacks them", async () => {
  const zone = zoneOf([{ name: "_sip._udp.x.t.test", ttl: 60, data: { type: "SRV", priority: 0, weight: 0, port: 1, target: "elsewhere.t.test" } }]);
  const src = new Recording(new ZoneSource([zone]));
  const r = await resolver(src).resolve({ host: "x.t.test", transport: "udp" });
  expect(!r.ok && r.error.tag).toBe("dns-no-target");
  expect(src.asked).toEqual(["SRV _sip._udp.x.t.test", "A elsewhere.t.test", "AAAA elsewhere.t.test", "A x.t.test", "AAAA x.t.test"]);
  expect(RR_TYPE.SRV).toBe(33);
});

describe("SipResolver result cache (with a clock)", () => {
  it("keeps a choice-free result for min(TTL, 5 s), then walks again; a weighted SRV choice is never kept", async () => {
    const { FakeClock } = await import("@ims/runtime");
    const clock = new FakeClock();
    const src = new Recording(new ZoneSource([lab]));
    const r = resolver(src, { clock });
    expect(r.cached({ host: `scscf1.${D}` })).toBeUndefined();
    const first = await r.resolve({ host: `scscf1.${D}` });
    const asked = src.asked.length;
    expect(asked).toBeGreaterThan(0);
    clock.advance(4_000);
    // what resolve would answer from its cache, without waiting
    expect(first.ok && r.cached({ host: `scscf1.${D}` })).toEqual(first.ok && first.value);
    expect(r.cached({ host: `scscf1.${D}`, transport: "tcp" })).toBeUndefined();
    expect(await r.resolve({ host: `scscf1.${D}` })).toEqual(first);
    expect(src.asked).toHaveLength(asked); // answered from the result cache
    clock.advance(1_500);
    expect(r.cached({ host: `scscf1.${D}` })).toBeUndefined();
    expect(await r.resolve({ host: `scscf1.${D}` })).toEqual(first);
    expect(src.asked).toHaveLength(asked * 2); // 5 s passed: the NAPTR → SRV → A walk again

    // Two SRV targets of equal priority: each resolution draws again, nothing is kept.
    const spread = new Recording(
      new ZoneSource([
        zoneOf([
          { name: "_sip._udp.t.test", ttl: 60, data: { type: "SRV", priority: 0, weight: 50, port: 5070, target: "a.t.test" } },
          { name: "_sip._udp.t.test", ttl: 60, data: { type: "SRV", priority: 0, weight: 50, port: 5080, target: "b.t.test" } },
          { name: "a.t.test", ttl: 60, data: { type: "A", address: "127.9.0.1" } },
          { name: "b.t.test", ttl: 60, data: { type: "A", address: "127.9.0.2" } },
        ]),
      ]),
    );
    let n = 0;
    const draws = [0, 0, 0.99, 0.99]; // two picks per resolution
    const weighted = new SipResolver({ source: spread, clock, random: () => draws[n++ % 4]!, transports: ["udp"] });
    const a = await weighted.resolve({ host: "t.test" });
    const b = await weighted.resolve({ host: "t.test" });
    expect(a.ok && a.value[0]!.port).toBe(5070);
    expect(b.ok && b.value[0]!.port).toBe(5080);
    expect(weighted.cached({ host: "t.test" })).toBeUndefined();

    // Errors are not kept either.
    const down = new Recording(failing("dns-timeout"));
    const d = resolver(down, { clock });
    await d.resolve({ host: "x.t.test" });
    const tries = down.asked.length;
    await d.resolve({ host: "x.t.test" });
    expect(down.asked.length).toBe(tries * 2);
  });
});
