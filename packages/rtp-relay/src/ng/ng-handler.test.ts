import { describe, expect, it } from "vitest";
import { FakeClock } from "@ims/runtime";
import { CallTable, type MediaPorts } from "../call/call-table.js";
import type { Leg } from "../call/leg.js";
import { routePacket } from "../call/leg.js";
import { PortAllocator } from "../media/port-allocator.js";
import { buildRtpPacket as rtpPacket } from "../media/rtp-packet.js";
import { decodeBencode, encodeBencode, type BDict, type BValue } from "./bencode.js";
import { NgHandler } from "./ng-handler.js";

const sdpOf = (addr: string, port: number) => `v=0\r\no=- 1 1 IN IP4 ${addr}\r\ns=-\r\nc=IN IP4 ${addr}\r\nt=0 0\r\nm=audio ${port} RTP/AVP 8\r\na=rtpmap:8 PCMA/8000\r\n`;

class FakeMedia implements MediaPorts {
  readonly open_ = new Set<number>();
  taken = new Set<number>();
  open(leg: Leg): Promise<boolean> {
    if (this.taken.has(leg.ports.rtp)) return Promise.resolve(false);
    this.open_.add(leg.ports.rtp);
    return Promise.resolve(true);
  }
  close(leg: Leg): void {
    this.open_.delete(leg.ports.rtp);
  }
}

function setup(portMax = 30099) {
  const clock = new FakeClock(1_000_000);
  const media = new FakeMedia();
  const allocator = new PortAllocator(30000, portMax);
  const calls = new CallTable({ address: "127.0.0.88", allocator, media, clock, timeoutMs: 60_000 });
  const ng = new NgHandler({ calls, clock });
  let n = 0;
  const send = async (dict: BDict, cookie = `c${n++}`): Promise<BDict> => {
    const raw = await ng.handle(Buffer.concat([Buffer.from(`${cookie} `), encodeBencode(dict)]));
    if (raw === undefined) throw new Error("no reply");
    const text = raw.toString("latin1");
    expect(text.startsWith(`${cookie} `)).toBe(true);
    const r = decodeBencode(raw.subarray(cookie.length + 1));
    if (!r.ok) throw new Error(r.error.reason);
    return r.value as BDict;
  };
  return { clock, media, allocator, calls, ng, send };
}

const get = (v: BValue | undefined, ...path: (string | number)[]): BValue | undefined =>
  path.reduce<BValue | undefined>((acc, k) => (acc === undefined || typeof acc !== "object" ? undefined : (acc as Record<string, BValue>)[k]), v);

describe("ng commands", () => {
  it("ping → pong", async () => {
    const { send } = setup();
    expect(await send({ command: "ping" })).toEqual({ result: "pong" });
  });

  it("offer/answer rewrite SDP to the relay; ports differ per side; query and delete report and free", async () => {
    const { send, allocator, media, calls } = setup();
    const offer = await send({ command: "offer", "call-id": "call1", "from-tag": "ta", sdp: sdpOf("127.0.0.111", 4000) });
    expect(offer["result"]).toBe("ok");
    const offered = String(offer["sdp"]);
    expect(offered).toContain("c=IN IP4 127.0.0.88\r\n");
    expect(offered).toMatch(/m=audio 300\d\d RTP\/AVP 8\r\n/);
    expect(offered).toContain("o=- 1 1 IN IP4 127.0.0.111");
    expect(allocator.used).toBe(2);
    expect(media.open_.size).toBe(2);

    const answer = await send({ command: "answer", "call-id": "call1", "from-tag": "ta", "to-tag": "tb", sdp: sdpOf("127.0.0.222", 5000) });
    expect(answer["result"]).toBe("ok");
    const portB = Number(/m=audio (\d+)/.exec(offered)![1]);
    const portA = Number(/m=audio (\d+)/.exec(String(answer["sdp"]))![1]);
    expect(portA).not.toBe(portB);
    expect(portA % 2).toBe(0);

    // Media from A arriving on A's relay port goes out of B's relay port to B's SDP address.
    const call = calls.get("call1")!;
    const legA = call.legs.A[0]!;
    expect(legA.ports.rtp).toBe(portA);
    const route = routePacket(legA, "rtp", rtpPacket(1, 0), "127.0.0.111", 4000, 1_000_000);
    expect(route?.via.ports.rtp).toBe(portB);
    expect(route?.to).toEqual({ address: "127.0.0.222", port: 5000 });
    routePacket(legA, "rtcp", Buffer.alloc(8), "127.0.0.111", 4001, 1_000_000);

    const q = await send({ command: "query", "call-id": "call1" });
    expect(q["result"]).toBe("ok");
    expect(get(q, "totals", "RTP", "packets")).toBe(1);
    expect(get(q, "totals", "RTCP", "bytes")).toBe(8);
    expect(get(q, "tags", "ta", "medias", 0, "streams", 0, "stats", "bytes")).toBe(172);
    expect(get(q, "tags", "ta", "medias", 0, "streams", 0, "endpoint", "address")).toBe("127.0.0.111");
    expect(get(q, "tags", "tb", "in dialogue with")).toBe("ta");
    expect(await send({ command: "list" })).toEqual({ result: "ok", calls: ["call1"] });

    const del = await send({ command: "delete", "call-id": "call1", "from-tag": "ta" });
    expect(del["result"]).toBe("ok");
    expect(allocator.used).toBe(0);
    expect(media.open_.size).toBe(0);
    expect(await send({ command: "query", "call-id": "call1" })).toEqual({ result: "error", "error-reason": "Unknown call-id" });
  });

  it("answers a retransmitted command from the cookie cache without running it again", async () => {
    const { send, allocator, ng, clock } = setup();
    const cmd = { command: "offer", "call-id": "c2", "from-tag": "x", sdp: sdpOf("10.0.0.1", 4000) };
    const first = await send(cmd, "same");
    const again = await send(cmd, "same");
    expect(again).toEqual(first);
    expect(ng.commands).toBe(1);
    expect(allocator.used).toBe(2);
    clock.advance(31_000);
    ng.sweepCache();
    await send(cmd, "same");
    expect(ng.commands).toBe(2);
  });

  it("a re-offer with a new cookie keeps the call's ports", async () => {
    const { send, allocator } = setup();
    const a = await send({ command: "offer", "call-id": "c3", "from-tag": "x", sdp: sdpOf("10.0.0.1", 4000) });
    const b = await send({ command: "offer", "call-id": "c3", "from-tag": "x", sdp: sdpOf("10.0.0.1", 4100) });
    expect(b["sdp"]).toBe(a["sdp"]);
    expect(allocator.used).toBe(2);
  });

  it.each<[BDict, string]>([
    [{}, "No command"],
    [{ command: "dance" }, "Unrecognized command"],
    [{ command: "offer", "from-tag": "a", sdp: "v=0" }, "No call-id"],
    [{ command: "offer", "call-id": "x", sdp: "v=0" }, "No from-tag"],
    [{ command: "offer", "call-id": "x", "from-tag": "a" }, "No SDP"],
    [{ command: "offer", "call-id": "x", "from-tag": "a", sdp: "garbage" }, "Failed to parse SDP"],
    [{ command: "offer", "call-id": 7, "from-tag": "a", sdp: "v=0" }, "No call-id"],
    [{ command: "answer", "call-id": "nope", "from-tag": "a", "to-tag": "b", sdp: sdpOf("1.1.1.1", 4000) }, "Unknown call-id"],
    [{ command: "answer", "call-id": "nope", "from-tag": "a", sdp: sdpOf("1.1.1.1", 4000) }, "No to-tag"],
    [{ command: "delete", "call-id": "nope" }, "Unknown call-id"],
  ])("replies result=error to %j", async (dict, reason) => {
    const { send } = setup();
    const r = await send(dict);
    expect(r["result"]).toBe("error");
    expect(String(r["error-reason"])).toContain(reason);
  });

  it("answers malformed datagrams with an error when it can, ignores them otherwise, and keeps working", async () => {
    const { ng, send } = setup();
    const bad = await ng.handle(Buffer.from("k1 d7:command4:pin"));
    expect(bad?.toString("latin1")).toMatch(/^k1 d12:error-reason.*6:result5:errore$/);
    expect(await ng.handle(Buffer.from("nocookie"))).toBeUndefined();
    expect(await ng.handle(Buffer.alloc(0))).toBeUndefined();
    expect(await send({ command: "ping" })).toEqual({ result: "pong" });
  });

  it("replies 'Ran out of ports' when the range is exhausted and frees what the failed offer took", async () => {
    const { send, allocator } = setup(30003); // two pairs: one call
    expect((await send({ command: "offer", "call-id": "c1", "from-tag": "a", sdp: sdpOf("1.1.1.1", 4000) }))["result"]).toBe("ok");
    const r = await send({ command: "offer", "call-id": "c2", "from-tag": "a", sdp: sdpOf("1.1.1.1", 4000) });
    expect(r).toEqual({ result: "error", "error-reason": "Ran out of ports" });
    expect(allocator.used).toBe(2);
  });

  it("skips a port pair someone else holds", async () => {
    const { send, media } = setup();
    media.taken.add(30000);
    const r = await send({ command: "offer", "call-id": "c1", "from-tag": "a", sdp: sdpOf("1.1.1.1", 4000) });
    expect(r["result"]).toBe("ok");
    expect([...media.open_]).toEqual([30002, 30004]);
  });

  it("times out a silent call and frees its ports; media keeps a call alive", async () => {
    const { send, calls, clock, allocator } = setup();
    await send({ command: "offer", "call-id": "live", "from-tag": "a", sdp: sdpOf("1.1.1.1", 4000) });
    await send({ command: "offer", "call-id": "dead", "from-tag": "a", sdp: sdpOf("1.1.1.1", 4000) });
    const leg = calls.get("live")!.legs.A[0]!;
    clock.advance(50_000);
    routePacket(leg, "rtp", rtpPacket(1, 0), "1.1.1.1", 4000, clock.now());
    clock.advance(10_000);
    expect(calls.sweep()).toEqual(["dead"]);
    expect(allocator.used).toBe(2);
    clock.advance(60_000);
    expect(calls.sweep()).toEqual(["live"]);
    expect(allocator.used).toBe(0);
  });

  it("reuses ports only once a media plane in another thread confirms they are closed", async () => {
    const confirms: (() => void)[] = [];
    const media: MediaPorts = {
      open: () => Promise.resolve(true),
      close: () => new Promise<void>((r) => confirms.push(r)),
    };
    const allocator = new PortAllocator(30000, 30003);
    const calls = new CallTable({ address: "127.0.0.88", allocator, media, clock: new FakeClock(), timeoutMs: 1000 });
    expect((await calls.offer("e", "a", sdpOf("1.1.1.1", 4000))).ok).toBe(true);
    expect(allocator.used).toBe(2);
    calls.delete("e");
    expect(calls.size).toBe(0);
    expect(allocator.used).toBe(2);
    confirms[0]!();
    await Promise.resolve();
    expect(allocator.used).toBe(1);
    confirms[1]!();
    await Promise.resolve();
    expect(allocator.used).toBe(0);
  });

  it("survives random and mutated datagrams: every reply carries the sender's cookie, state stays clean", async () => {
    const { ng, send, allocator, calls } = setup();
    let seed = 7;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n);
    const valid = Buffer.concat([Buffer.from("fz "), encodeBencode({ command: "offer", "call-id": "f", "from-tag": "t", sdp: sdpOf("1.1.1.1", 4000) })]);
    for (let i = 0; i < 500; i++) {
      const d = Buffer.from(valid);
      for (let m = 0; m < 1 + rnd(6); m++) d[3 + rnd(d.length - 3)] = rnd(256);
      const cut = d.subarray(0, 3 + rnd(d.length - 2));
      const reply = await ng.handle(Buffer.concat([Buffer.from(`r${i}`), cut.subarray(2)]));
      expect(reply?.toString("latin1").startsWith(`r${i} `)).toBe(true);
    }
    for (const id of calls.list()) expect((await send({ command: "delete", "call-id": id }))["result"]).toBe("ok");
    expect(allocator.used).toBe(0);
    expect(await send({ command: "ping" })).toEqual({ result: "pong" });
  });
});
