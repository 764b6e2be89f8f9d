import { describe, expect, it } from "vitest";
import { PortAllocator } from "./port-allocator.js";
import { RtpStats } from "./rtp-stats.js";
import { Latch } from "./latch.js";
import { buildRtpPacket } from "./rtp-packet.js";

const rtpPacket = buildRtpPacket;

describe("PortAllocator", () => {
  it("hands out even RTP ports with RTCP = RTP + 1 from the range", () => {
    const a = new PortAllocator(30001, 30008); // pairs 30002/3, 30004/5, 30006/7 (30008 has no partner)
    expect(a.capacity).toBe(3);
    const got = [a.allocate(), a.allocate(), a.allocate()].map((r) => (r.ok ? r.value : undefined));
    expect(got).toEqual([{ rtp: 30002, rtcp: 30003 }, { rtp: 30004, rtcp: 30005 }, { rtp: 30006, rtcp: 30007 }]);
    const none = a.allocate();
    expect(!none.ok && none.error.tag).toBe("ports-exhausted");
  });

  it("reuses a freed pair only after the others, and ignores double frees", () => {
    const a = new PortAllocator(40000, 40005);
    const p1 = a.allocate();
    if (!p1.ok) throw new Error("no pair");
    a.release(p1.value);
    a.release(p1.value);
    expect(a.used).toBe(0);
    const order = [a.allocate(), a.allocate(), a.allocate(), a.allocate()].map((r) => (r.ok ? r.value.rtp : r.error.tag));
    expect(order).toEqual([40002, 40004, 40000, "ports-exhausted"]);
  });

  it("keeps working over many allocate/release cycles", () => {
    const a = new PortAllocator(20000, 20099);
    for (let i = 0; i < 10_000; i++) {
      const r = a.allocate();
      expect(r.ok).toBe(true);
      if (r.ok) a.release(r.value);
    }
    expect(a.capacity).toBe(50);
  });

  it("rejects an empty or invalid range at start-up", () => {
    expect(() => new PortAllocator(30001, 30001)).toThrow(/no even\/odd pair/);
    expect(() => new PortAllocator(500, 600)).toThrow(/1024-65535/);
    expect(() => new PortAllocator(40000, 30000)).toThrow();
  });
});

describe("RtpStats", () => {
  it("counts packets and bytes, and loss across the 16-bit sequence wrap", () => {
    const s = new RtpStats();
    for (const seq of [65533, 65534, 1, 2, 4]) s.update(rtpPacket(seq, seq * 160), 0);
    const snap = s.snapshot();
    expect(snap.packets).toBe(5);
    expect(snap.bytes).toBe(5 * 172);
    // 65533..65535, 0..4 = 8 expected, 5 received.
    expect(snap.expected).toBe(8);
    expect(snap.lost).toBe(3);
  });

  it("counts a duplicate as received (loss never negative) and a non-RTP datagram as an error", () => {
    const s = new RtpStats();
    for (const seq of [10, 11, 11, 12]) s.update(rtpPacket(seq, 0), 0);
    s.update(Buffer.from([1, 2, 3]), 0);
    s.update(Buffer.alloc(20), 0); // version 0
    const snap = s.snapshot();
    expect(snap).toMatchObject({ packets: 6, errors: 2, expected: 3, lost: 0 });
  });

  it("computes interarrival jitter as RFC 3550 §6.4.1 (hand-computed), across a timestamp wrap", () => {
    const s = new RtpStats((pt) => (pt === 8 ? 8000 : undefined));
    const ts0 = 2 ** 32 - 160;
    // Arrivals at 0, 20, 45, 60 ms of packets sent every 20 ms (160 samples at 8 kHz).
    // Transit in samples: 0, 0, +40, 0 (relative) → D = 0, 40, 40 → J = 0, 2.5, 2.5 + 37.5/16.
    const arrivals = [0, 20, 45, 60];
    arrivals.forEach((t, i) => s.update(rtpPacket(100 + i, ts0 + i * 160), 1000 + t));
    const snap = s.snapshot();
    expect(snap.jitter).toBeCloseTo(4.84375, 10);
    expect(snap.jitterMs).toBeCloseTo(4.84375 / 8, 10);
    expect(snap.lost).toBe(0);
  });

  it("uses the clock rate of the payload type (16 kHz)", () => {
    const s = new RtpStats(() => 16000);
    s.update(rtpPacket(1, 0, { pt: 96 }), 0);
    s.update(rtpPacket(2, 320, { pt: 96 }), 30); // 10 ms late = 160 samples
    expect(s.snapshot().jitter).toBeCloseTo(10, 10);
    expect(s.snapshot().jitterMs).toBeCloseTo(0.625, 10);
  });

  it("restarts sequence tracking on a new SSRC and after two sequential packets past a big jump", () => {
    const s = new RtpStats();
    s.update(rtpPacket(1, 0), 0);
    s.update(rtpPacket(2, 0), 0);
    s.update(rtpPacket(20000, 0), 0); // jump: not counted yet
    s.update(rtpPacket(20001, 0), 0); // confirmed restart
    s.update(rtpPacket(20002, 0), 0);
    expect(s.snapshot()).toMatchObject({ expected: 2, lost: 0 });
    s.update(rtpPacket(7, 0, { ssrc: 99 }), 0);
    s.update(rtpPacket(9, 0, { ssrc: 99 }), 0);
    expect(s.snapshot()).toMatchObject({ expected: 3, lost: 1, ssrc: 99 });
  });
});

describe("Latch", () => {
  it("sends to the SDP address until a packet arrives, then to its source", () => {
    const l = new Latch({ address: "127.0.0.111", port: 4000 });
    expect(l.destination).toEqual({ address: "127.0.0.111", port: 4000 });
    l.seen("127.0.0.1", 5555, 0);
    expect(l.destination).toEqual({ address: "127.0.0.1", port: 5555 });
    expect(l.isLatched).toBe(true);
  });

  it("ignores another source while the latched one is alive, re-latches after it went silent", () => {
    const l = new Latch(undefined, 2000);
    expect(l.destination).toBeUndefined();
    l.seen("10.0.0.1", 1000, 0);
    l.seen("10.0.0.1", 1000, 1500);
    l.seen("10.6.6.6", 6666, 3000);
    expect(l.destination).toEqual({ address: "10.0.0.1", port: 1000 });
    expect(l.foreign).toBe(1);
    l.seen("10.6.6.6", 6666, 3500);
    expect(l.destination).toEqual({ address: "10.6.6.6", port: 6666 });
  });
});
