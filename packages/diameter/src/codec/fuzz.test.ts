import { describe, expect, it } from "vitest";
import { DiameterFramer, avpValue, decodeMessage, encodeMessage, errorAnswer, frameCheck, validateMessage, type Avp } from "./index.js";
import { sampleCer, sampleMaa, sampleMar } from "./test-messages.js";

/** mulberry32: a small seeded PRNG so a failure replays. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KNOWN_CODES = new Set([3008, 3009, 5001, 5004, 5005, 5008, 5009, 5011, 5014, 5015]);

function mutate(src: Buffer, rnd: () => number): Buffer {
  const b = Buffer.from(src);
  const pick = (n: number) => Math.floor(rnd() * n);
  switch (pick(6)) {
    case 0: // flip some bytes
      for (let i = 0, n = 1 + pick(4); i < n; i++) b[pick(b.length)] = pick(256);
      return b;
    case 1: // truncate, keep the length field consistent sometimes
      {
        const cut = b.subarray(0, pick(b.length));
        if (cut.length >= 4 && rnd() < 0.5) cut.writeUIntBE(cut.length, 1, 3);
        return cut;
      }
    case 2: // corrupt an AVP length byte
      b[20 + 5 + pick(Math.max(1, b.length - 28))] = pick(256);
      return b;
    case 3: // insert random bytes and fix the length
      {
        const at = 20 + pick(b.length - 20);
        const ins = Buffer.from(Array.from({ length: 4 * (1 + pick(3)) }, () => pick(256)));
        const out = Buffer.concat([b.subarray(0, at), ins, b.subarray(at)]);
        out.writeUIntBE(out.length, 1, 3);
        return out;
      }
    case 4: // flags
      b[4] = pick(256);
      b[20 + 4] = pick(256);
      return b;
    default: // random tail
      return Buffer.concat([b, Buffer.from([pick(256), pick(256), pick(256), pick(256)])]);
  }
}

function touchAll(avps: readonly Avp[]): void {
  for (const a of avps) {
    avpValue(a);
    if (a.avps !== undefined) touchAll(a.avps);
  }
}

describe("seeded fuzz of mutated valid messages", () => {
  it("never throws; every fault has a known Result-Code; what decodes re-encodes and decodes again", () => {
    const rnd = prng(0xd1a3e7e5);
    const seeds = [sampleCer(), sampleMar(), sampleMaa()].map(encodeMessage);
    let decoded = 0;
    let rejected = 0;
    for (let i = 0; i < 6000; i++) {
      const input = mutate(seeds[i % seeds.length] as Buffer, rnd);
      const r = decodeMessage(input);
      frameCheck(input);
      if (r.ok) {
        decoded++;
        touchAll(r.value.avps);
        validateMessage(r.value);
        const again = decodeMessage(encodeMessage(r.value));
        expect(again.ok).toBe(true);
      } else {
        rejected++;
        expect(KNOWN_CODES.has(r.error.resultCode), `${r.error.resultCode} ${r.error.reason}`).toBe(true);
        const ans = errorAnswer(r.error, { originHost: "h", originRealm: "r" });
        if (ans !== undefined) expect(decodeMessage(encodeMessage(ans)).ok).toBe(true);
      }
    }
    expect(decoded).toBeGreaterThan(100);
    expect(rejected).toBeGreaterThan(1000);
  });

  it("the framer survives random chunking of random streams", () => {
    const rnd = prng(42);
    for (let i = 0; i < 300; i++) {
      const f = new DiameterFramer(4096);
      const stream = Buffer.concat([encodeMessage(sampleMar()), Buffer.from(Array.from({ length: 64 }, () => Math.floor(rnd() * 256)))]);
      let off = 0;
      while (off < stream.length) {
        const n = 1 + Math.floor(rnd() * 50);
        const r = f.push(stream.subarray(off, off + n));
        off += n;
        if (!r.ok) break;
        for (const m of r.value) decodeMessage(m);
        expect(f.buffered).toBeLessThanOrEqual(4096 + 50);
      }
    }
  });
});
