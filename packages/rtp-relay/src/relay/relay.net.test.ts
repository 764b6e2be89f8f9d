import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSocket, type RemoteInfo, type Socket } from "node:dgram";
import { startRtpRelay, type RtpRelay } from "./start-rtp-relay.js";
import { NgClient } from "../ng/ng-client.js";
import { buildRtpPacket } from "../media/rtp-packet.js";
import type { BDict, BValue } from "../ng/bencode.js";
import { existsSync } from "node:fs";

// The threaded media plane runs the compiled worker from dist/ (built by `tsc -b` before the tests).
const workerBuilt = existsSync(new URL("../../dist/relay/media-worker.js", import.meta.url));
const variants = [
  { threads: 0, RELAY: "127.5.7.1", SHORT: "127.5.7.3", base: 40000 },
  ...(workerBuilt ? [{ threads: 2, RELAY: "127.5.7.6", SHORT: "127.5.7.7", base: 42000 }] : []),
];

const A = "127.5.7.11";
const B = "127.5.7.12";
const B_NAT = "127.5.7.13";

const sdpOf = (addr: string, port: number) =>
  `v=0\r\no=- 1 1 IN IP4 ${addr}\r\ns=-\r\nc=IN IP4 ${addr}\r\nt=0 0\r\nm=audio ${port} RTP/AVP 8\r\na=rtpmap:8 PCMA/8000\r\na=rtcp:${port + 1}\r\n`;
const mPort = (sdp: string) => Number(/m=audio (\d+)/.exec(sdp)![1]);

interface Rx {
  msg: Buffer;
  from: RemoteInfo;
}
async function endpoint(address: string, port: number): Promise<{ socket: Socket; rx: Rx[] }> {
  const socket = createSocket("udp4");
  const rx: Rx[] = [];
  socket.on("message", (msg, from) => rx.push({ msg, from }));
  await new Promise<void>((resolve, reject) => {
    socket.once("error", reject);
    socket.bind(port, address, () => resolve());
  });
  return { socket, rx };
}
const until = async (cond: () => boolean, ms = 3000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 5));
  }
};
const get = (v: BValue | undefined, ...path: (string | number)[]): BValue | undefined =>
  path.reduce<BValue | undefined>((acc, k) => (acc === undefined || typeof acc !== "object" ? undefined : (acc as Record<string, BValue>)[k]), v);

describe.each(variants)("RTP relay over real sockets, $threads media threads", ({ threads, RELAY, SHORT, base }) => {
  let relay: RtpRelay;
  let client: NgClient;
  const sockets: Socket[] = [];
  beforeAll(async () => {
    relay = await startRtpRelay({ address: RELAY, controlPort: 2223, portMin: 31000, portMax: 31099, mediaThreads: threads });
    client = await NgClient.open({ address: RELAY, port: 2223, localAddress: "127.5.7.2" });
    expect(relay.address).toBe(RELAY);
  });
  afterAll(async () => {
    client.close();
    for (const s of sockets) s.close();
    await relay.stop();
  });

  it("forwards RTP and RTCP both ways after offer/answer, payload untouched, from the relay's ports", async () => {
    const [aRtp, aRtcp, bRtp, bRtcp] = await Promise.all([endpoint(A, base), endpoint(A, base + 1), endpoint(B, base + 100), endpoint(B, base + 101)]);
    sockets.push(aRtp.socket, aRtcp.socket, bRtp.socket, bRtcp.socket);
    const ids = { callId: "net-call-1@127.5.7.11", fromTag: "tagA" };
    const offer = await client.offer(ids, sdpOf(A, base));
    if (!offer.ok) throw new Error(offer.error.reason);
    expect(offer.value.sdp).toContain(`c=IN IP4 ${RELAY}\r\n`);
    const portB = mPort(offer.value.sdp);
    expect(offer.value.sdp).toContain(`a=rtcp:${portB + 1}\r\n`);
    const answer = await client.answer({ ...ids, toTag: "tagB" }, sdpOf(B, base + 100));
    if (!answer.ok) throw new Error(answer.error.reason);
    const portA = mPort(answer.value.sdp);
    expect(portA).toBeGreaterThanOrEqual(31000);

    for (let i = 0; i < 50; i++) {
      aRtp.socket.send(buildRtpPacket(1000 + i, i * 160, { ssrc: 0xaaaa, payload: Buffer.alloc(160, i) }), portA, RELAY);
      bRtp.socket.send(buildRtpPacket(7000 + i, i * 160, { ssrc: 0xbbbb, payload: Buffer.alloc(160, 255 - i) }), portB, RELAY);
    }
    aRtcp.socket.send(Buffer.from("rtcp-from-a"), portA + 1, RELAY);
    bRtcp.socket.send(Buffer.from("rtcp-from-b"), portB + 1, RELAY);
    await until(() => aRtp.rx.length === 50 && bRtp.rx.length === 50 && aRtcp.rx.length === 1 && bRtcp.rx.length === 1);

    // B hears A from the port B was told about, and vice versa.
    expect(new Set(bRtp.rx.map((r) => `${r.from.address}:${r.from.port}`))).toEqual(new Set([`${RELAY}:${portB}`]));
    expect(new Set(aRtp.rx.map((r) => `${r.from.address}:${r.from.port}`))).toEqual(new Set([`${RELAY}:${portA}`]));
    expect(`${bRtcp.rx[0]!.from.address}:${bRtcp.rx[0]!.from.port}`).toBe(`${RELAY}:${portB + 1}`);
    expect(bRtcp.rx[0]!.msg.toString()).toBe("rtcp-from-a");
    expect(aRtcp.rx[0]!.msg.toString()).toBe("rtcp-from-b");
    const sorted = [...bRtp.rx].sort((x, y) => x.msg.readUInt16BE(2) - y.msg.readUInt16BE(2));
    sorted.forEach((r, i) => expect(r.msg.equals(buildRtpPacket(1000 + i, i * 160, { ssrc: 0xaaaa, payload: Buffer.alloc(160, i) }))).toBe(true));

    // Media threads report counters periodically: wait until the forwarded packets are counted.
    await until(() => relay.stats().packetsForwarded >= 102);
    await new Promise((r) => setTimeout(r, threads > 0 ? 300 : 0));
    const q = await client.query({ callId: ids.callId });
    if (!q.ok) throw new Error(q.error.reason);
    expect(get(q.value, "totals", "RTP", "packets")).toBe(100);
    expect(get(q.value, "totals", "RTP", "bytes")).toBe(100 * 172);
    expect(get(q.value, "totals", "RTCP", "packets")).toBe(2);
    expect(get(q.value, "tags", "tagA", "medias", 0, "streams", 0, "lost")).toBe(0);
    expect(get(q.value, "tags", "tagA", "medias", 0, "streams", 0, "expected")).toBe(50);
    expect(relay.stats()).toMatchObject({ calls: 1, portPairsInUse: 2, packetsForwarded: 102, packetsDropped: 0 });

    const del = await client.delete(ids);
    expect(del.ok).toBe(true);
    expect(relay.stats().calls).toBe(0);
    await until(() => relay.stats().portPairsInUse === 0); // a media thread confirms the close first
    const again = await client.query({ callId: ids.callId });
    expect(!again.ok && again.error).toEqual({ tag: "ng-error", reason: "Unknown call-id" });
  });

  it("latches on the source a peer really sends from (not its SDP address)", async () => {
    const [aRtp, bReal] = await Promise.all([endpoint(A, base + 10), endpoint(B_NAT, base + 200)]);
    sockets.push(aRtp.socket, bReal.socket);
    const ids = { callId: "net-call-2", fromTag: "a2", toTag: "b2" };
    const offer = await client.offer(ids, sdpOf(A, base + 10));
    const answer = await client.answer(ids, sdpOf(B, base + 110)); // B claims 127.5.7.12, sends from B_NAT
    if (!offer.ok || !answer.ok) throw new Error("offer/answer failed");
    const portA = mPort(answer.value.sdp);
    const portB = mPort(offer.value.sdp);
    bReal.socket.send(buildRtpPacket(1, 0), portB, RELAY);
    await until(() => aRtp.rx.length === 1);
    aRtp.socket.send(buildRtpPacket(1, 0), portA, RELAY);
    await until(() => bReal.rx.length === 1);
    expect(bReal.rx[0]!.from.port).toBe(portB);
    const legB = () => relay.state().calls.find((c) => c.callId === "net-call-2")!.legs.find((l) => l.side === "B")!;
    await until(() => legB().latched);
    expect(legB()).toMatchObject({ peer: `${B_NAT}:${base + 200}`, latched: true });
    await client.delete(ids);
  });

  it("answers result=error for a bad command and keeps serving", async () => {
    const bad = await client.request({ command: "offer", "call-id": "x", "from-tag": "y", sdp: "not sdp" });
    expect(!bad.ok && bad.error.tag).toBe("ng-error");
    const raw = createSocket("udp4");
    sockets.push(raw);
    await new Promise<void>((r) => raw.bind(0, "127.5.7.2", () => r()));
    const replies: string[] = [];
    raw.on("message", (m) => replies.push(m.toString("latin1")));
    raw.send(Buffer.from("ck9 d7:comm"), 2223, RELAY);
    raw.send(Buffer.from("garbage-without-cookie"), 2223, RELAY);
    await until(() => replies.length === 1);
    expect(replies[0]).toMatch(/^ck9 d12:error-reason/);
    expect((await client.ping()).ok).toBe(true);
  });

  it("times out a dead stream and frees its ports", async () => {
    const short = await startRtpRelay({ address: SHORT, controlPort: 2223, portMin: 31200, portMax: 31203, timeoutMs: 300, mediaThreads: threads });
    const c = await NgClient.open({ address: SHORT, port: 2223 });
    try {
      const ids = { callId: "dead", fromTag: "a", toTag: "b" };
      expect((await c.offer(ids, sdpOf(A, base + 20))).ok).toBe(true);
      expect((await c.answer(ids, sdpOf(B, base + 120))).ok).toBe(true);
      expect(short.stats()).toMatchObject({ calls: 1, portPairsInUse: 2, portPairsFree: 0 });
      await until(() => short.stats().calls === 0 && short.stats().portPairsInUse === 0, 3000);
      expect(short.stats()).toMatchObject({ portPairsInUse: 0, callsTimedOut: 1 });
      // The port is really closed again (a media thread closes it a moment later).
      await until(() => short.stats().portPairsInUse === 0);
      const probe = await endpoint(SHORT, 31200);
      probe.socket.close();
      expect((await c.offer({ callId: "next", fromTag: "a" }, sdpOf(A, base + 20))).ok).toBe(true);
    } finally {
      c.close();
      await short.stop();
    }
  });
});

describe("NgClient retries and timeouts", () => {
  it("re-sends with the same cookie until answered", async () => {
    const server = createSocket("udp4");
    await new Promise<void>((r) => server.bind(2224, "127.5.7.4", () => r()));
    const cookies: string[] = [];
    server.on("message", (m, from) => {
      const cookie = m.toString("latin1").split(" ")[0]!;
      cookies.push(cookie);
      if (cookies.length === 2) server.send(Buffer.from(`${cookie} d6:result4:ponge`), from.port, from.address);
    });
    const c = await NgClient.open({ address: "127.5.7.4", port: 2224, retryMs: 50, retries: 3 });
    const r = await c.ping();
    expect(r.ok && (r.value as BDict)["result"]).toBe("pong");
    expect(cookies.length).toBe(2);
    expect(cookies[0]).toBe(cookies[1]);
    c.close();
    server.close();
  });

  it("gives up with a timeout error when nobody answers", async () => {
    const c = await NgClient.open({ address: "127.5.7.5", port: 2225, retryMs: 30, retries: 2 });
    const r = await c.ping();
    expect(!r.ok && r.error.tag).toBe("timeout");
    c.close();
    expect(await c.ping()).toMatchObject({ ok: false, error: { tag: "closed" } });
  });
});
