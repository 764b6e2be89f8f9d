import { connect, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { FakeClock } from "@ims/runtime";
import { type DiameterMessage, CMD_FLAG, DiameterFramer, decodeMessage, encodeMessage, getValue } from "../codec/index.js";
import { buildCer } from "../peer/index.js";
import { DiameterNode } from "./node.js";
import type { NodeEvent } from "./types.js";
import { CX_APP, HSS, MAR, REALM, SCSCF, maa, mar, startPair } from "./test-nodes.js";

/** Real sockets on 127.2.2.x; protocol timers on a FakeClock so no test waits for Tw/Tc. */
const HSS_IP = "127.2.2.77";
const SCSCF_IP = "127.2.2.11";
const PORT = 3868;
let running: DiameterNode[] = [];
let sockets: Socket[] = [];

async function until(cond: () => boolean, ms = 3_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function pair(clock: FakeClock): Promise<{ hss: DiameterNode; scscf: DiameterNode }> {
  const p = await startPair({ clock, hssAddress: HSS_IP, scscfAddress: SCSCF_IP, port: PORT });
  running.push(p.hss, p.scscf);
  await until(() => p.scscf.peerStatus(HSS)?.state === "I-Open" && p.hss.peerStatus(SCSCF)?.state === "R-Open");
  return p;
}

function hssAlone(clock: FakeClock): Promise<DiameterNode> {
  return DiameterNode.start({ clock, originHost: HSS, originRealm: REALM, bindAddress: HSS_IP, listenPort: PORT, peers: [{ host: SCSCF, address: SCSCF_IP, connect: false }] });
}

/** A raw TCP client on its own address, collecting the Diameter messages it receives. */
async function raw(from: string): Promise<{ sock: Socket; got: DiameterMessage[]; closed: () => boolean }> {
  const sock = connect({ host: HSS_IP, port: PORT, localAddress: from });
  sockets.push(sock);
  await new Promise((r) => sock.once("connect", r));
  const got: DiameterMessage[] = [];
  const framer = new DiameterFramer();
  let closed = false;
  sock.on("data", (d: Buffer) => {
    const r = framer.push(d);
    if (r.ok) for (const f of r.value) {
      const m = decodeMessage(f);
      if (m.ok) got.push(m.value);
    }
  });
  sock.on("error", () => undefined);
  sock.on("close", () => (closed = true));
  return { sock, got, closed: () => closed };
}

afterEach(async () => {
  for (const s of sockets) s.destroy();
  sockets = [];
  await Promise.all(running.map((n) => n.stop()));
  running = [];
});

describe("DiameterNode over TCP", () => {
  it("two nodes connect from their own addresses, exchange CER/CEA, then request/answer", async () => {
    const { hss, scscf } = await pair(new FakeClock());
    hss.handle(CX_APP, MAR, (req) => maa(req));
    const r = await scscf.request(mar(scscf.nextIds()));
    expect(r.ok && getValue(r.value, "Result-Code")).toBe(2001);
    expect(hss.peerStatus(SCSCF)?.capabilities?.hostIpAddresses).toEqual([SCSCF_IP]);
    const many = await Promise.all(Array.from({ length: 200 }, () => scscf.request(mar(scscf.nextIds()))));
    expect(many.every((x) => x.ok && getValue(x.value, "Result-Code") === 2001)).toBe(true);
  });

  it("a request without an answer fails with a typed timeout on the node's clock", async () => {
    const clock = new FakeClock();
    const { hss, scscf } = await pair(clock);
    let got = false;
    hss.handle(CX_APP, MAR, () => {
      got = true;
      return new Promise<DiameterMessage>(() => undefined);
    });
    const pending = scscf.request(mar(scscf.nextIds()), { timeoutMs: 1_000 });
    await until(() => got);
    clock.advance(1_000);
    expect(await pending).toMatchObject({ ok: false, error: { kind: "timeout" } });
  });

  it("stop sends DPR (REBOOTING): the peer sees Rcv-DPR, its pending requests fail fast; it reconnects after Tc", async () => {
    const clock = new FakeClock();
    const { hss, scscf } = await pair(clock);
    hss.handle(CX_APP, MAR, () => new Promise<DiameterMessage>(() => undefined));
    const events: NodeEvent[] = [];
    scscf.subscribe((e) => events.push(e));
    const pending = scscf.request(mar(scscf.nextIds()), { timeoutMs: 60_000 });
    await hss.stop("REBOOTING");
    expect(await pending).toMatchObject({ ok: false, error: { kind: "peer-down", peer: HSS } });
    expect(events).toContainEqual(expect.objectContaining({ type: "peer-state", to: "Closed", reason: "Rcv-DPR (REBOOTING)" }));
    expect(await scscf.request(mar(scscf.nextIds()))).toMatchObject({ ok: false, error: { kind: "no-route" } });

    const again = await hssAlone(clock);
    running.push(again);
    again.handle(CX_APP, MAR, (req) => maa(req));
    clock.advance(29_000);
    await new Promise((r) => setTimeout(r, 50));
    expect(scscf.peerStatus(HSS)?.state).toBe("Closed");
    clock.advance(1_000);
    await until(() => scscf.peerStatus(HSS)?.state === "I-Open");
    const r = await scscf.request(mar(scscf.nextIds()));
    expect(r.ok && getValue(r.value, "Result-Code")).toBe(2001);
  });

  it("a peer that vanishes without DPR is detected by the socket close: Closed, requests fail fast", async () => {
    const clock = new FakeClock();
    const { hss, scscf } = await pair(clock);
    hss.handle(CX_APP, MAR, () => new Promise<DiameterMessage>(() => undefined));
    const pending = scscf.request(mar(scscf.nextIds()), { timeoutMs: 60_000 });
    await new Promise((r) => setTimeout(r, 20));
    // Tear the HSS's sockets down without DPR.
    (hss as unknown as { conns: Map<number, { stream?: { conn: { close(): void } } }> }).conns.forEach((c) => c.stream?.conn.close());
    expect(await pending).toMatchObject({ ok: false, error: { kind: "peer-down" } });
    expect(scscf.peerStatus(HSS)?.state).toBe("Closed");
  });

  it("malformed bytes never crash the node: bad version or huge length → disconnect; unknown peer → CEA 3010", async () => {
    const clock = new FakeClock();
    const { hss, scscf } = await pair(clock);
    hss.handle(CX_APP, MAR, (req) => maa(req));

    const a = await raw("127.2.2.101");
    a.sock.write(Buffer.from([2, 0, 0, 20, 0, 0, 0, 0]));
    await until(a.closed);

    const b = await raw("127.2.2.102");
    b.sock.write(Buffer.from([1, 0xff, 0xff, 0xfc]));
    await until(b.closed);

    const c = await raw("127.2.2.103");
    const cer = buildCer({ ...hss.identity, originHost: "intruder.example.org", hostIpAddresses: ["127.2.2.103"] }, { hopByHop: 5, endToEnd: 6 });
    c.sock.write(encodeMessage(cer));
    await until(c.closed);
    expect(c.got.map((m) => [m.commandCode, getValue(m, "Result-Code"), (m.flags & CMD_FLAG.E) !== 0])).toEqual([[257, 3010, true]]);

    const d = await raw("127.2.2.104");
    d.sock.write(Buffer.alloc(64, 0x01)); // version 1, then a nonsense length
    await until(d.closed);

    const r = await scscf.request(mar(scscf.nextIds()));
    expect(r.ok && getValue(r.value, "Result-Code")).toBe(2001);
  });
});
