import { describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { answerQuery } from "./answer-query.js";
import { buildLabZone, LAB_DNS_DEFAULTS } from "../zone/lab-zone.js";
import { Zone, ZoneSet, type ZoneRecord } from "../zone/zone.js";
import { decodeMessage } from "../wire/decode.js";
import { encodeMessage } from "../wire/encode.js";
import { type DnsMessage, type ResourceRecord, RCODE, RR_CLASS, RR_TYPE } from "../wire/types.js";

const D = "domain.imsprovider.org";
const zones = new ZoneSet([buildLabZone(LAB_DNS_DEFAULTS)]);

function query(name: string, type: number, extra: { opcode?: number; qclass?: number; opt?: ResourceRecord[]; qd?: number } = {}): Uint8Array {
  const q = { name, type, qclass: extra.qclass ?? RR_CLASS.IN };
  return encodeMessage({
    header: { id: 4242, qr: false, opcode: extra.opcode ?? 0, aa: false, tc: false, rd: true, ra: false, rcode: 0 },
    questions: new Array(extra.qd ?? 1).fill(q),
    answers: [],
    authorities: [],
    additionals: extra.opt ?? [],
  });
}

function ask(bytes: Uint8Array, zs = zones, transport: "udp" | "tcp" = "udp"): DnsMessage {
  const out = answerQuery(zs, bytes, transport);
  if (out === undefined) throw new Error("no answer");
  const m = decodeMessage(out.response);
  if (!m.ok) throw new Error(m.error.reason);
  return m.value;
}

const opt = (payload: number, version = 0): ResourceRecord => ({ name: "", rrclass: payload, ttl: version << 16, data: { type: "OPT", options: new Uint8Array(0) } });

describe("answerQuery", () => {
  it("answers authoritatively, echoing id, RD and the question", () => {
    const m = ask(query(`_sip._udp.${D}`, RR_TYPE.SRV));
    expect(m.header).toMatchObject({ id: 4242, qr: true, aa: true, rd: true, ra: false, tc: false, rcode: RCODE.NOERROR });
    expect(m.questions).toEqual([{ name: `_sip._udp.${D}`, type: RR_TYPE.SRV, qclass: 1 }]);
    expect(m.answers.map((r) => r.data)).toEqual([{ type: "SRV", priority: 0, weight: 0, port: 4060, target: `icscf.${D}` }]);
    expect(m.additionals.map((r) => r.data)).toEqual([{ type: "A", address: "127.0.0.55" }]);
  });

  it("NXDOMAIN with the SOA in authority", () => {
    const m = ask(query(`nobody.${D}`, RR_TYPE.A));
    expect(m.header).toMatchObject({ aa: true, rcode: RCODE.NXDOMAIN });
    expect(m.answers).toHaveLength(0);
    expect(m.authorities.map((r) => [r.name, r.data.type])).toEqual([[D, "SOA"]]);
  });

  it("NOERROR/NODATA with the SOA in authority", () => {
    const m = ask(query(`hss.${D}`, RR_TYPE.SRV));
    expect(m.header).toMatchObject({ aa: true, rcode: RCODE.NOERROR });
    expect(m.answers).toHaveLength(0);
    expect(m.authorities.map((r) => r.data.type)).toEqual(["SOA"]);
  });

  it.each([
    ["a name outside the zone", query("example.com", RR_TYPE.A)],
    ["the parent of the zone", query("imsprovider.org", RR_TYPE.A)],
    ["the root", query("", RR_TYPE.NS)],
    ["a CHAOS query", query("version.bind", RR_TYPE.TXT, { qclass: RR_CLASS.CH })],
    ["a zone transfer", query(D, RR_TYPE.AXFR)],
  ])("REFUSES %s (never an open resolver), without AA", (_what, bytes) => {
    const m = ask(bytes);
    expect(m.header).toMatchObject({ rcode: RCODE.REFUSED, aa: false, ra: false });
    expect(m.answers).toHaveLength(0);
  });

  it("NOTIMP for opcodes other than QUERY", () => {
    expect(ask(query(D, RR_TYPE.SOA, { opcode: 5 })).header.rcode).toBe(RCODE.NOTIMP);
  });

  it.each([
    ["two questions", query(D, RR_TYPE.A, { qd: 2 })],
    ["no question", query(D, RR_TYPE.A, { qd: 0 })],
    ["two OPT records", query(D, RR_TYPE.A, { opt: [opt(1232), opt(1232)] })],
    ["an OPT as question type", query(D, RR_TYPE.OPT)],
    ["a truncated question", query(D, RR_TYPE.A).subarray(0, 20)],
  ])("FORMERR for %s, echoing the id", (_what, bytes) => {
    const m = ask(bytes);
    expect(m.header).toMatchObject({ id: 4242, qr: true, rcode: RCODE.FORMERR });
  });

  it("drops what must not be answered: short packets and responses", () => {
    expect(answerQuery(zones, new Uint8Array(5), "udp")).toBeUndefined();
    const response = query(D, RR_TYPE.A);
    response[2] = (response[2] as number) | 0x80;
    expect(answerQuery(zones, response, "udp")).toBeUndefined();
  });

  it("answers EDNS with an OPT, and BADVERS for EDNS version 1", () => {
    const m = ask(query(D, RR_TYPE.NAPTR, { opt: [opt(4096)] }));
    expect(m.additionals.at(-1)?.data.type).toBe("OPT");
    const bad = answerQuery(zones, query(D, RR_TYPE.A, { opt: [opt(4096, 1)] }), "udp");
    expect(bad?.rcode).toBe(RCODE.BADVERS);
    const decoded = bad && decodeMessage(bad.response);
    expect(decoded?.ok && decoded.value.additionals[0]?.ttl).toBe(1 << 24);
  });

  describe("large answers", () => {
    const many: ZoneRecord[] = [];
    for (let i = 1; i <= 60; i++) many.push({ name: "big.lab.test", ttl: 60, data: { type: "A", address: `127.3.9.${i}` } });
    const soa = { ttl: 60, mname: "ns.lab.test", rname: "root.lab.test", serial: 1, refresh: 1, retry: 1, expire: 1, minimum: 60 };
    const big = new ZoneSet([Zone.create("lab.test", soa, many)]);

    it("sets TC over UDP (question only) when the answer exceeds 512 octets", () => {
      const out = answerQuery(big, query("big.lab.test", RR_TYPE.A), "udp");
      expect(out?.truncated).toBe(true);
      expect(out && out.response.length).toBeLessThanOrEqual(512);
      const m = ask(query("big.lab.test", RR_TYPE.A), big);
      expect(m.header.tc).toBe(true);
      expect(m.questions).toHaveLength(1);
      expect(m.answers).toHaveLength(0);
    });

    it("fits under an EDNS payload size, and sends everything over TCP", () => {
      expect(ask(query("big.lab.test", RR_TYPE.A, { opt: [opt(4096)] }), big).answers).toHaveLength(60);
      const tcp = ask(query("big.lab.test", RR_TYPE.A), big, "tcp");
      expect(tcp.header.tc).toBe(false);
      expect(tcp.answers).toHaveLength(60);
    });
  });

  it("never throws on random bytes (fuzz)", () => {
    const seedQuery = query(`_sip._udp.${D}`, RR_TYPE.SRV);
    for (let i = 0; i < 5000; i++) {
      let bytes: Uint8Array;
      if (i % 2 === 0) bytes = randomBytes(i % 80);
      else {
        bytes = Uint8Array.from(seedQuery);
        for (let k = 0; k < 3; k++) bytes[(i * 7 + k * 13) % bytes.length] = randomBytes(1)[0] as number;
      }
      expect(() => answerQuery(zones, bytes, i % 3 === 0 ? "tcp" : "udp")).not.toThrow();
    }
  });
});
