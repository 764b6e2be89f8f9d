/**
 * Garbage to the lab's DNS responder (RFC 1035 §4.1): FORMERR when a header can be read, silence
 * when not; over TCP a length prefix that lies closes the connection. Afterwards it still answers,
 * and the P-CSCF still finds the I-CSCF by it (a UE registers).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type InProcessLab, startInProcessLab, testLabConfig } from "../support/in-process-lab.js";
import { ScriptedUe } from "../support/scripted-ue.js";
import { type Target, TcpProbe, UdpProbe, prng, randomBytes, sleep } from "./raw.js";

const NET = 64;
const RCODE_FORMERR = 1;
let lab: InProcessLab;
let udp: UdpProbe;
let id = 100;

beforeAll(async () => {
  lab = await startInProcessLab(testLabConfig(NET), undefined, { recordWire: false });
  udp = await UdpProbe.open(`127.5.${NET}.200`);
});
afterAll(async () => {
  await udp?.close();
  await lab?.stop();
});

const dns = (): Target => ({ address: lab.config.dns.address, port: lab.config.dns.port });

function encodeName(name: string): Buffer {
  return Buffer.concat([...name.split(".").map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l, "latin1")])), Buffer.from([0])]);
}

/** A DNS header: id, flags, and the four counts. */
function header(flags: number, qd: number, an = 0, ns = 0, ar = 0): Buffer {
  const h = Buffer.alloc(12);
  h.writeUInt16BE(++id & 0xffff, 0);
  h.writeUInt16BE(flags, 2);
  h.writeUInt16BE(qd, 4);
  h.writeUInt16BE(an, 6);
  h.writeUInt16BE(ns, 8);
  h.writeUInt16BE(ar, 10);
  return h;
}

const question = (name: Buffer, type = 1): Buffer => Buffer.concat([name, Buffer.from([0, type, 0, 1])]);
const query = (name: string, type = 1): Buffer => Buffer.concat([header(0x0100, 1), question(encodeName(name), type)]);

interface DnsReply {
  id: number;
  qr: boolean;
  rcode: number;
  answers: number;
}
function readReply(text: string | undefined): DnsReply | undefined {
  if (text === undefined) return undefined;
  const b = Buffer.from(text, "latin1");
  if (b.length < 12) return undefined;
  return { id: b.readUInt16BE(0), qr: (b[2]! & 0x80) !== 0, rcode: b[3]! & 0x0f, answers: b.readUInt16BE(6) };
}

/** Malformed queries whose header is readable: the responder says FORMERR (RFC 1035 §4.1.1). */
const FORMERR_CASES: { name: string; bytes: () => Buffer }[] = [
  { name: "QDCOUNT 1 and no question", bytes: () => header(0x0100, 1) },
  { name: "QDCOUNT 65535 with one question", bytes: () => Buffer.concat([header(0x0100, 0xffff), question(encodeName("ns.domain.imsprovider.org"))]) },
  { name: "two questions", bytes: () => Buffer.concat([header(0x0100, 2), question(encodeName("a.b")), question(encodeName("c.d"))]) },
  { name: "a compression pointer to itself", bytes: () => Buffer.concat([header(0x0100, 1), Buffer.from([0xc0, 12, 0, 1, 0, 1])]) },
  { name: "two pointers pointing at each other", bytes: () => Buffer.concat([header(0x0100, 1), Buffer.from([0xc0, 14, 0xc0, 12, 0, 1, 0, 1])]) },
  { name: "a pointer past the end", bytes: () => Buffer.concat([header(0x0100, 1), Buffer.from([0xc3, 0xff, 0, 1, 0, 1])]) },
  { name: "a label longer than the packet", bytes: () => Buffer.concat([header(0x0100, 1), Buffer.from([63, 0x61, 0x62])]) },
  { name: "a name of more than 255 octets", bytes: () => Buffer.concat([header(0x0100, 1), question(encodeName(Array.from({ length: 10 }, () => "x".repeat(60)).join(".")))]) },
  { name: "a question cut before its class", bytes: () => Buffer.concat([header(0x0100, 1), encodeName("ns.domain.imsprovider.org"), Buffer.from([0, 1])]) },
  { name: "ANCOUNT 9 with no records", bytes: () => Buffer.concat([header(0x0100, 1, 9), question(encodeName("ns.domain.imsprovider.org"))]) },
];

describe("DNS garbage to the running responder", () => {
  it("queries with a readable header but a broken body get FORMERR with the same id", async () => {
    const results = [];
    for (const c of FORMERR_CASES) {
      const bytes = c.bytes();
      const reply = readReply(await udp.exchange(dns(), bytes, 500));
      results.push(`${c.name}: ${reply === undefined ? "silence" : reply.id === bytes.readUInt16BE(0) && reply.qr ? `rcode ${reply.rcode}` : "bad reply"}`);
    }
    expect(results).toEqual(FORMERR_CASES.map((c) => `${c.name}: rcode ${RCODE_FORMERR}`));
  });

  it("fewer than 12 bytes, responses, and 2,000 random datagrams: never a crash, never an answer to a response", async () => {
    for (const short of [Buffer.alloc(0), Buffer.from([1]), Buffer.alloc(11, 0xff)]) expect(await udp.exchange(dns(), short, 150)).toBeUndefined();
    // A datagram with QR=1 is a response: answering it could start a loop between two servers.
    expect(await udp.exchange(dns(), Buffer.concat([header(0x8180, 1), question(encodeName("ns.domain.imsprovider.org"))]), 200)).toBeUndefined();
    const next = prng(64);
    for (let i = 0; i < 2000; i++) {
      await udp.send(dns(), randomBytes(next, Math.floor(next() * 600)));
      if (i % 100 === 99) await sleep(2);
    }
    await sleep(100);
    const reply = readReply(await udp.exchange(dns(), query(`pcscf1.${lab.config.domain}`), 1000));
    expect(reply?.rcode).toBe(0);
    expect(reply?.answers).toBeGreaterThan(0);
  });

  it("over TCP: a length prefix bigger than what follows, a zero length, then random bytes; a fresh connection is served", async () => {
    const stall = await TcpProbe.open(dns(), `127.5.${NET}.201`);
    await stall.write(Buffer.from([0xff, 0xff, 1, 2, 3]));
    const zero = await TcpProbe.open(dns(), `127.5.${NET}.202`);
    await zero.write(Buffer.from([0, 0]));
    const noise = await TcpProbe.open(dns(), `127.5.${NET}.203`);
    await noise.write(randomBytes(prng(7), 4096));
    await noise.until((p) => p.closed, 1000);
    const good = await TcpProbe.open(dns(), `127.5.${NET}.204`);
    const q = query(`icscf.${lab.config.domain}`);
    await good.write(Buffer.concat([Buffer.from([q.length >> 8, q.length & 0xff]), q]));
    expect(await good.until((p) => p.data.length >= 14)).toBe(true);
    expect(readReply(good.data.subarray(2).toString("latin1"))?.rcode).toBe(0);
    for (const p of [stall, zero, noise, good]) p.close();
  });

  it("afterwards the CSCFs still resolve each other: a UE registers", async () => {
    const p = lab.config.pcscf[0]!;
    const ue = await ScriptedUe.start({ address: `127.5.${NET}.111`, port: 5566, domain: lab.config.domain, user: "a", password: "apass", proxy: p });
    try {
      expect((await ue.register()).final.status).toBe(200);
    } finally {
      await ue.stop();
    }
  });
});
