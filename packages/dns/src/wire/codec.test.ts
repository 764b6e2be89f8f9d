import { describe, expect, it } from "vitest";
import { createRequire } from "node:module";
import { decodeMessage } from "./decode.js";
import { encodeMessage } from "./encode.js";
import { readName, WireWriter } from "./name.js";
import { type DnsMessage, RR_CLASS, RR_TYPE } from "./types.js";

// dns2 is an independent codec: our bytes must read the same through it.
const require = createRequire(import.meta.url);
const dns2 = require("dns2") as {
  Packet: { parse(b: Buffer): { answers: Array<Record<string, unknown>>; questions: Array<Record<string, unknown>>; header: Record<string, unknown> } };
};

const message: DnsMessage = {
  header: { id: 0x1234, qr: true, opcode: 0, aa: true, tc: false, rd: true, ra: false, rcode: 0 },
  questions: [{ name: "_sip._udp.domain.imsprovider.org", type: RR_TYPE.SRV, qclass: RR_CLASS.IN }],
  answers: [
    { name: "_sip._udp.domain.imsprovider.org", rrclass: 1, ttl: 86400, data: { type: "SRV", priority: 0, weight: 5, port: 4060, target: "icscf.domain.imsprovider.org" } },
    { name: "domain.imsprovider.org", rrclass: 1, ttl: 60, data: { type: "NAPTR", order: 10, preference: 20, flags: "s", service: "SIP+D2T", regexp: "", replacement: "_sip._tcp.domain.imsprovider.org" } },
    { name: "icscf.domain.imsprovider.org", rrclass: 1, ttl: 1, data: { type: "A", address: "127.0.0.55" } },
    { name: "icscf.domain.imsprovider.org", rrclass: 1, ttl: 1, data: { type: "AAAA", address: "fd00::55" } },
  ],
  authorities: [
    {
      name: "domain.imsprovider.org",
      rrclass: 1,
      ttl: 86400,
      data: { type: "SOA", mname: "localhost", rname: "root.localhost", serial: 1, refresh: 10800, retry: 900, expire: 604800, minimum: 86400 },
    },
  ],
  additionals: [{ name: "", rrclass: 1232, ttl: 0, data: { type: "OPT", options: new Uint8Array(0) } }],
};

describe("DNS wire codec", () => {
  it("round-trips every record type", () => {
    const bytes = encodeMessage(message);
    const back = decodeMessage(bytes);
    expect(back.ok).toBe(true);
    if (back.ok) expect(back.value).toEqual(message);
  });

  it("compresses repeated names", () => {
    const bytes = encodeMessage(message);
    const plain = Buffer.from(bytes).toString("latin1");
    expect(plain.split("imsprovider").length - 1).toBeLessThanOrEqual(5); // question + uncompressed SRV/NAPTR rdata names
  });

  it("is read identically by dns2", () => {
    const mixed = { ...message, questions: [{ name: "_sip._udp.Domain.imsprovider.org", type: RR_TYPE.SRV, qclass: RR_CLASS.IN }] };
    const p = dns2.Packet.parse(Buffer.from(encodeMessage(mixed)));
    expect(p.header["id"]).toBe(0x1234);
    expect(p.header["aa"]).toBe(1);
    expect(p.questions[0]?.["name"]).toBe("_sip._udp.Domain.imsprovider.org");
    expect(p.answers[0]).toMatchObject({ priority: 0, weight: 5, port: 4060, target: "icscf.domain.imsprovider.org" });
    expect(p.answers[2]).toMatchObject({ address: "127.0.0.55" });
  });

  it("escapes dots and odd bytes inside labels and encodes them back", () => {
    const w = new WireWriter();
    w.name("a\\.b.c\\000d");
    const bytes = w.result();
    expect([...bytes]).toEqual([3, 0x61, 0x2e, 0x62, 3, 0x63, 0, 0x64, 0]);
    const r = readName(bytes, 0);
    expect(r.ok && r.value.name).toBe("a\\.b.c\\000d");
  });

  it.each([
    ["shorter than a header", [0, 1, 0, 0]],
    ["question count past the end", [0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]],
    ["pointer loop", [0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 12, 0, 1, 0, 1]],
    ["forward pointer", [0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 20, 0, 1, 0, 1, 1, 0x61, 0]],
    ["label past the end", [0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 9, 0x61]],
    ["reserved label type", [0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0x41, 0, 0, 1, 0, 1]],
    ["trailing bytes", [0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0xff]],
    ["A record with 3 bytes", [0, 1, 0x80, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 1, 0, 3, 1, 2, 3]],
  ])("rejects %s as a FORMERR, never throwing", (_what, bytes) => {
    const r = decodeMessage(Uint8Array.from(bytes));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.tag).toBe("dns-decode");
  });

  it("rejects a name longer than 255 octets", () => {
    const labels: number[] = [];
    for (let i = 0; i < 5; i++) labels.push(63, ...new Array<number>(63).fill(0x61));
    const r = readName(Uint8Array.from([...labels, 0]), 0);
    expect(r.ok).toBe(false);
  });

  it("keeps the header when the body is malformed, so a FORMERR can echo the id", () => {
    const r = decodeMessage(Uint8Array.from([0xab, 0xcd, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 5, 0x61]));
    expect(!r.ok && r.error.header?.id).toBe(0xabcd);
  });
});
