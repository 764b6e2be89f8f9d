import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSocket } from "node:dgram";
import { connect } from "node:net";
import { randomBytes } from "node:crypto";
import { type PacketTap, systemClock } from "@ims/runtime";
import { type DnsResponder, startResponder } from "./responder.js";
import { buildLabZone, LAB_DNS_DEFAULTS } from "../zone/lab-zone.js";
import { Zone, type ZoneRecord } from "../zone/zone.js";
import { createSipResolver } from "../resolver/create-resolver.js";
import { DnsClient } from "../resolver/dns-client.js";
import { encodeMessage } from "../wire/encode.js";
import { decodeMessage } from "../wire/decode.js";
import { type DnsMessage, RCODE, RR_TYPE } from "../wire/types.js";

// This file's addresses: 127.3.0.1-127.3.0.9, ports 15301-15399.
const ADDRESS = "127.3.0.1";
const PORT = 15353;
const D = "domain.imsprovider.org";

const many: ZoneRecord[] = [];
for (let i = 1; i <= 120; i++) many.push({ name: "big.lab.test", ttl: 60, data: { type: "A", address: `127.3.9.${i}` } });
const big = Zone.create("lab.test", { ttl: 60, mname: "ns.lab.test", rname: "root.lab.test", serial: 1, refresh: 1, retry: 1, expire: 1, minimum: 60 }, many);

let responder: DnsResponder;
beforeAll(async () => {
  responder = await startResponder({ zones: [buildLabZone(LAB_DNS_DEFAULTS), big], address: ADDRESS, port: PORT });
});
afterAll(async () => {
  await responder.stop();
});

function query(id: number, name: string, type: number): Uint8Array {
  return encodeMessage({
    header: { id, qr: false, opcode: 0, aa: false, tc: false, rd: false, ra: false, rcode: 0 },
    questions: [{ name, type, qclass: 1 }],
    answers: [],
    authorities: [],
    additionals: [],
  });
}

/** Sends raw datagrams and collects what comes back for a while. */
async function udpExchange(packets: readonly Uint8Array[], waitMs = 150): Promise<DnsMessage[]> {
  const s = createSocket("udp4");
  const got: DnsMessage[] = [];
  s.on("message", (m) => {
    const d = decodeMessage(m);
    if (d.ok) got.push(d.value);
  });
  await new Promise<void>((r) => s.bind(0, "127.3.0.2", () => r()));
  for (const p of packets) s.send(p, PORT, ADDRESS);
  await new Promise((r) => setTimeout(r, waitMs));
  s.close();
  return got;
}

describe("responder over real sockets", () => {
  it("the resolver finds the I-CSCF through NAPTR/SRV/A from the responder, from its own source address", async () => {
    const resolver = createSipResolver({ clock: systemClock, server: { address: ADDRESS, port: PORT, localAddress: "127.3.0.3" } });
    expect(await resolver.resolve({ host: D })).toEqual({
      ok: true,
      value: [
        { transport: "udp", address: "127.0.0.55", port: 4060 },
        { transport: "tcp", address: "127.0.0.55", port: 4060 },
      ],
    });
    const p = await resolver.resolve({ host: `pcscf1.${D}`, transport: "tcp" });
    expect(p.ok && p.value).toEqual([{ transport: "tcp", address: "127.0.0.33", port: 5060 }]);
    const missing = await resolver.resolve({ host: `nobody.${D}` });
    expect(!missing.ok && [missing.error.tag, missing.error.sipStatus]).toEqual(["dns-no-target", 503]);
    resolver.close();
  });

  it("retries a truncated UDP answer over TCP and gets it all", async () => {
    const client = new DnsClient({ address: ADDRESS, port: PORT }, systemClock);
    const r = await client.query("big.lab.test", RR_TYPE.A);
    expect(r.ok && r.value.answers).toHaveLength(120); // > 1232 octets: TC over UDP, then TCP
    client.close();
  });

  it("answers several queries pipelined on one TCP connection", async () => {
    const frames = [query(1, `icscf.${D}`, RR_TYPE.A), query(2, `nope.${D}`, RR_TYPE.A)].map((q) => {
      const f = Buffer.alloc(q.length + 2);
      f.writeUInt16BE(q.length, 0);
      f.set(q, 2);
      return f;
    });
    const answers = await new Promise<DnsMessage[]>((resolve, reject) => {
      const s = connect({ host: ADDRESS, port: PORT, localAddress: "127.3.0.4" });
      let buf = Buffer.alloc(0);
      const out: DnsMessage[] = [];
      s.on("data", (c: Buffer) => {
        buf = Buffer.concat([buf, c]);
        while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
          const d = decodeMessage(buf.subarray(2, 2 + buf.readUInt16BE(0)));
          buf = buf.subarray(2 + buf.readUInt16BE(0));
          if (d.ok) out.push(d.value);
          if (out.length === 2) {
            s.destroy();
            resolve(out);
          }
        }
      });
      s.on("error", reject);
      s.write(Buffer.concat(frames));
    });
    expect(answers.map((m) => [m.header.id, m.header.rcode, m.header.aa])).toEqual([
      [1, RCODE.NOERROR, true],
      [2, RCODE.NXDOMAIN, true],
    ]);
  });

  it("answers a malformed query with FORMERR and REFUSED outside its zone, then keeps answering", async () => {
    const broken = query(77, `icscf.${D}`, RR_TYPE.A).subarray(0, 20);
    const got = await udpExchange([broken, query(78, "example.com", RR_TYPE.A), query(79, `icscf.${D}`, RR_TYPE.A)]);
    const byId = new Map(got.map((m) => [m.header.id, m]));
    expect(byId.get(77)?.header.rcode).toBe(RCODE.FORMERR);
    expect(byId.get(78)?.header).toMatchObject({ rcode: RCODE.REFUSED, aa: false });
    expect(byId.get(79)?.answers.map((r) => r.data)).toEqual([{ type: "A", address: "127.0.0.55" }]);
  });

  it("survives garbage over UDP and TCP (fuzz) and still answers", async () => {
    const seed = query(5, `_sip._udp.${D}`, RR_TYPE.SRV);
    const garbage: Uint8Array[] = [];
    for (let i = 0; i < 1500; i++) {
      if (i % 2) garbage.push(randomBytes(i % 120));
      else {
        const b = Uint8Array.from(seed);
        b[2] = 0; // keep QR=0 so most mutants are answered
        for (let k = 0; k < 4; k++) b[(i * 5 + k * 11) % b.length] = randomBytes(1)[0] as number;
        garbage.push(b);
      }
    }
    await udpExchange(garbage, 50);
    for (let i = 0; i < 20; i++) {
      await new Promise<void>((resolve) => {
        const s = connect({ host: ADDRESS, port: PORT, localAddress: "127.3.0.5" }, () => s.end(randomBytes(5 + i * 13)));
        s.on("error", () => resolve());
        s.on("close", () => resolve());
        s.resume();
      });
    }
    const after = await udpExchange([query(6, `_sip._udp.${D}`, RR_TYPE.SRV)]);
    expect(after.find((m) => m.header.id === 6)?.answers[0]?.data).toMatchObject({ type: "SRV", port: 4060 });
  });

  it("reports every packet to a tap, with the real addresses, on both sides", async () => {
    const seen: string[] = [];
    const tap: PacketTap = (p) => seen.push(`${p.transport} ${p.direction} ${p.src.address}:${p.src.port === 15354 ? 15354 : "*"} > ${p.dst.address}:${p.dst.port === 15354 ? 15354 : "*"}`);
    const tapped = await startResponder({ zones: big, address: "127.3.0.8", port: 15354, tap });
    const client = new DnsClient({ address: "127.3.0.8", port: 15354, localAddress: "127.3.0.9", tap }, systemClock);
    const r = await client.query("big.lab.test", RR_TYPE.A);
    client.close();
    await tapped.stop();
    expect(r.ok).toBe(true);
    expect(seen).toEqual(expect.arrayContaining([
      "udp out 127.3.0.9:* > 127.3.0.8:15354",
      "udp in 127.3.0.9:* > 127.3.0.8:15354",
      "udp out 127.3.0.8:15354 > 127.3.0.9:*",
      "udp in 127.3.0.8:15354 > 127.3.0.9:*",
      "tcp out 127.3.0.9:* > 127.3.0.8:15354",
      "tcp in 127.3.0.9:* > 127.3.0.8:15354",
      "tcp out 127.3.0.8:15354 > 127.3.0.9:*",
      "tcp in 127.3.0.8:15354 > 127.3.0.9:*",
    ]));
  });

  it("explains a port already in use, with the fixes", async () => {
    const failure = await startResponder({ zones: big, address: ADDRESS, port: PORT }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(failure).toMatchObject({ tag: "dns-bind" });
    const message = (failure as Error).message;
    expect(message).toContain(`${ADDRESS}:${PORT}/udp`);
    expect(message).toContain("already in use");
    expect(message).toContain("sudo setcap cap_net_bind_service=+ep $(readlink -f $(which node))");
    expect(message).toMatch(/another port .*5353/);
  });

  it("times out (408) against a silent server, sending from the configured address", async () => {
    const silent = createSocket("udp4");
    const seen: string[] = [];
    silent.on("message", (_m, rinfo) => seen.push(rinfo.address));
    await new Promise<void>((r) => silent.bind(15399, "127.3.0.6", () => r()));
    const resolver = createSipResolver({ clock: systemClock, server: { address: "127.3.0.6", port: 15399, localAddress: "127.3.0.7", timeoutMs: 60, attempts: 2 } });
    const r = await resolver.resolve({ host: D });
    silent.close();
    resolver.close();
    expect(!r.ok && [r.error.tag, r.error.sipStatus]).toEqual(["dns-timeout", 408]);
    expect(seen).toEqual(["127.3.0.7", "127.3.0.7"]);
  });
});
