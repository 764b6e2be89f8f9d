/**
 * 10,000 random and mutated datagrams (seeded, so a failure replays) to the running P-CSCF, I-CSCF
 * and S-CSCF, and TCP clients that stall or never end their header block: no node dies, memory
 * does not keep growing, and a UE still registers through the P-CSCF afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type InProcessLab, startInProcessLab, testLabConfig } from "../support/in-process-lab.js";
import { ScriptedUe } from "../support/scripted-ue.js";
import { type Target, TcpProbe, UdpProbe, memoryUsed, prng, randomBytes, sleep, statusLine } from "./raw.js";
import { request } from "./sip-messages.js";

const NET = 61;
const SEED = 0x1a2b3c;
let lab: InProcessLab;
let udp: UdpProbe;
let ueAddress = 111;

beforeAll(async () => {
  lab = await startInProcessLab(testLabConfig(NET), undefined, { recordWire: false });
  udp = await UdpProbe.open(`127.5.${NET}.200`);
});
afterAll(async () => {
  await udp?.close();
  await lab?.stop();
});

function targets(): Target[] {
  const c = lab.config;
  return [
    { address: c.pcscf[0]!.address, port: c.pcscf[0]!.port },
    { address: c.icscf.address, port: c.icscf.port },
    { address: c.scscf[0]!.address, port: c.scscf[0]!.port },
  ];
}

async function registers(transport: "udp" | "tcp" = "udp"): Promise<number> {
  const p = lab.config.pcscf[0]!;
  const ue = await ScriptedUe.start({ address: `127.5.${NET}.${ueAddress++}`, port: 5566, transport, domain: lab.config.domain, user: "a", password: "apass", proxy: p });
  try {
    return (await ue.register()).final.status;
  } finally {
    await ue.stop();
  }
}

/** One datagram: random bytes, or a valid request with bytes flipped, cut, or repeated. */
function datagram(next: () => number, n: number): Buffer {
  const kind = Math.floor(next() * 4);
  if (kind === 0) return randomBytes(next, Math.floor(next() * 1400));
  const method = ["OPTIONS", "REGISTER", "INVITE", "MESSAGE", "ACK", "BYE"][Math.floor(next() * 6)]!;
  const base = Buffer.from(request({ transport: "UDP", local: udp.local, domain: lab.config.domain, branch: `fz${n}` }, { method }), "latin1");
  if (kind === 1) {
    for (let i = 0, flips = 1 + Math.floor(next() * 8); i < flips; i++) base[Math.floor(next() * base.length)] = Math.floor(next() * 256);
    return base;
  }
  if (kind === 2) return base.subarray(0, Math.floor(next() * base.length));
  const at = Math.floor(next() * base.length);
  return Buffer.concat([base.subarray(0, at), randomBytes(next, Math.floor(next() * 64)), base.subarray(at)]);
}

/** Status lines of the answers, kept apart from the datagrams (which are dropped, so they weigh nothing in the memory figures). */
const statuses: string[] = [];

async function fuzz(next: () => number, from: number, count: number): Promise<void> {
  const to = targets();
  for (let n = from; n < from + count; n++) {
    await udp.send(to[n % to.length]!, datagram(next, n));
    // Let the nodes read what is queued now and then, so the datagrams are parsed, not dropped by the kernel.
    if (n % 50 === 49) await sleep(2);
  }
  await sleep(200);
  for (const r of udp.received.splice(0)) statuses.push(statusLine(r.data.toString("latin1")) ?? "");
}

describe("fuzzing the running CSCFs", () => {
  it(`10,000 seeded random datagrams (seed ${SEED}): nodes alive, memory bounded, registration works`, async () => {
    const next = prng(SEED);
    expect(await registers()).toBe(200);
    await fuzz(next, 0, 1000);
    const warm = await memoryUsed();
    await fuzz(next, 1000, 4500);
    const mid = await memoryUsed();
    await fuzz(next, 5500, 4500);
    const end = await memoryUsed();
    // The answers prove the nodes parsed what they were sent.
    expect(statuses.length).toBeGreaterThan(100);
    // 501 (unknown method), 505 (version) and 513 are answers to the input; a 500 would be a node's own fault.
    expect(statuses.some((l) => l.startsWith("SIP/2.0 400 "))).toBe(true);
    expect(statuses.filter((l) => l.startsWith("SIP/2.0 500"))).toEqual([]);
    console.log(`memory MB (heap + buffers): warm ${(warm / 2 ** 20).toFixed(1)}, after 5,500 ${(mid / 2 ** 20).toFixed(1)}, after 10,000 ${(end / 2 ** 20).toFixed(1)}`);
    expect(end - warm).toBeLessThan(64 * 2 ** 20);
    expect(end - mid).toBeLessThan(32 * 2 ** 20);
    expect(await registers()).toBe(200);
    expect(await registers("tcp")).toBe(200);
  }, 40_000);

  it("a TCP client that sends a header block and stalls holds up no one", async () => {
    const p = targets()[0]!;
    const stalled = await TcpProbe.open(p, `127.5.${NET}.202`);
    const half = request({ transport: "TCP", local: { address: `127.5.${NET}.202`, port: 5060 }, domain: lab.config.domain, branch: "stall" }, { body: "x".repeat(10), contentLength: "100" });
    await stalled.write(half);
    const noEnd = await TcpProbe.open(p, `127.5.${NET}.203`);
    await noEnd.write(`REGISTER sip:${lab.config.domain} SIP/2.0\r\nVia: SIP/2.0/TCP 127.5.${NET}.203:5060;branch=z9hG4bKne\r\n`);
    expect(await registers()).toBe(200);
    expect(await registers("tcp")).toBe(200);
    expect(stalled.closed).toBe(false);
    await stalled.write("y".repeat(90));
    expect(await stalled.until((s) => s.text.includes("\r\n\r\n"))).toBe(true);
    expect(statusLine(stalled.text)).toMatch(/^SIP\/2\.0 403 /);
    stalled.close();
    noEnd.close();
  });

  it("a TCP connection sending 1 MB without CRLFCRLF is closed, and the node is still there", async () => {
    const before = await memoryUsed();
    for (const t of targets()) {
      const flood = await TcpProbe.open(t, `127.5.${NET}.204`);
      await flood.write(`INVITE sip:x@${lab.config.domain} SIP/2.0\r\nX-Junk: `);
      for (let i = 0; i < 16 && !flood.closed; i++) await flood.write("z".repeat(64 * 1024));
      expect(await flood.until((f) => f.closed, 3000)).toBe(true);
      flood.close();
    }
    expect(await memoryUsed() - before).toBeLessThan(16 * 2 ** 20);
    expect(await registers("tcp")).toBe(200);
  });
});
