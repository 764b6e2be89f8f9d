import { describe, expect, it } from "vitest";
import { DiameterFramer, avp, decodeAvps, decodeMessage, encodeMessage, frameCheck, rawAvp, validateMessage, createRequest, errorAnswer, getValue, CMD_FLAG } from "./index.js";
import { IDS, sampleCer, sampleMaa, sampleMar } from "./test-messages.js";

function code(bytes: Uint8Array): number | "ok" {
  const r = decodeMessage(bytes);
  return r.ok ? "ok" : r.error.resultCode;
}

/** A DWR whose last AVP is given as raw bytes (header + payload as written). */
function dwrWith(tail: number[]): Buffer {
  const base = encodeMessage(createRequest("DWR", [avp("Origin-Host", "a.b"), avp("Origin-Realm", "b")], IDS));
  const out = Buffer.concat([base, Buffer.from(tail)]);
  out.writeUIntBE(out.length, 1, 3);
  return out;
}

describe("malformed headers", () => {
  it("truncated header → 5015 without a header", () => {
    const r = decodeMessage(encodeMessage(sampleCer()).subarray(0, 19));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.resultCode).toBe(5015);
      expect(r.error.header).toBeUndefined();
    }
    expect(frameCheck(Buffer.from([1, 0]))).toEqual({ kind: "incomplete", need: 20 });
  });
  it("version 2 → 5011", () => {
    const b = encodeMessage(sampleCer());
    b[0] = 2;
    expect(code(b)).toBe(5011);
  });
  it("length field disagreeing with the bytes, or not a multiple of 4 → 5015", () => {
    const b = encodeMessage(sampleCer());
    expect(code(b.subarray(0, b.length - 4))).toBe(5015);
    const c = Buffer.concat([b, Buffer.alloc(2)]);
    c.writeUIntBE(c.length, 1, 3);
    expect(code(c)).toBe(5015);
  });
  it("reserved command flag, E bit in a request, T bit in an answer → 3008 with the header kept", () => {
    const b = encodeMessage(sampleCer());
    b[4] = CMD_FLAG.R | 0x01;
    const r = decodeMessage(b);
    expect(!r.ok && r.error.resultCode).toBe(3008);
    expect(!r.ok && r.error.header?.hopByHop).toBe(IDS.hopByHop);
    b[4] = CMD_FLAG.R | CMD_FLAG.E;
    expect(code(b)).toBe(3008);
    b[4] = CMD_FLAG.T;
    expect(code(b)).toBe(3008);
  });
  it("a protocol error answer carries the E bit", () => {
    const b = encodeMessage(sampleCer());
    b[4] = CMD_FLAG.R | 0x02;
    const r = decodeMessage(b);
    const ans = !r.ok ? errorAnswer(r.error, { originHost: "h", originRealm: "r" }) : undefined;
    expect(ans?.flags).toBe(CMD_FLAG.E);
    expect(ans && getValue(ans, "Result-Code")).toBe(3008);
  });
});

describe("malformed AVPs", () => {
  it("AVP length past the end → 5014 with the AVP in Failed-AVP", () => {
    const r = decodeMessage(dwrWith([0, 0, 1, 0x16, 0x40, 0, 0, 0x40, 0, 0, 0, 1]));
    expect(!r.ok && r.error.resultCode).toBe(5014);
    expect(!r.ok && r.error.failedAvp?.code).toBe(278);
  });
  it("AVP length below its header → 5014", () => {
    expect(code(dwrWith([0, 0, 1, 0x16, 0x40, 0, 0, 4]))).toBe(5014);
    expect(code(dwrWith([0, 0, 1, 0x16, 0xc0, 0, 0, 8, 0, 0, 0x28, 0xaf, 0, 0, 0, 0]))).toBe(5014);
  });
  it("trailing bytes too short for an AVP header → 5014", () => {
    expect(code(dwrWith([0, 0, 1, 0x16]))).toBe(5014);
  });
  it("missing padding shifts the next AVP and is caught", () => {
    // Origin-State-Id with a 3-byte payload (length 11) then no padding before the next AVP.
    const r = code(dwrWith([0, 0, 1, 0x16, 0x40, 0, 0, 11, 1, 2, 3, 0, 0, 1, 0x16, 0x40, 0, 0, 12, 0]));
    expect(r).toBe(5014);
  });
  it("reserved AVP flag bits → 3009", () => {
    expect(code(dwrWith([0, 0, 1, 0x16, 0x41, 0, 0, 12, 0, 0, 0, 1]))).toBe(3009);
  });
  it("wrong size for a fixed-size type → 5014; bad UTF-8 → 5004; bad Address → 5014", () => {
    expect(code(dwrWith([0, 0, 1, 0x16, 0x40, 0, 0, 10, 0, 1, 0, 0]))).toBe(5014);
    expect(code(dwrWith([0, 0, 0, 1, 0x40, 0, 0, 10, 0xc3, 0x28, 0, 0]))).toBe(5004);
    const cer = createRequest("CER", [rawAvp(257, Buffer.from([0, 1, 127, 0, 0]), { mandatory: true })], IDS);
    expect(code(encodeMessage(cer))).toBe(5014);
  });
  it("grouped AVPs nested past the bound → 5004, no stack growth", () => {
    let inner = [avp("Proxy-Host", "h"), avp("Proxy-State", Buffer.from("s"))];
    for (let i = 0; i < 40; i++) inner = [avp("Proxy-Info", inner)];
    const m = createRequest("DWR", [avp("Origin-Host", "a"), avp("Origin-Realm", "b"), ...inner], IDS);
    expect(code(encodeMessage(m))).toBe(5004);
    const shallow = decodeMessage(encodeMessage(m), { maxDepth: 64 });
    expect(shallow.ok).toBe(true);
  });
  it("unknown AVP inside a known grouped one with the M bit → 5001", () => {
    const m = createRequest("DWR", [avp("Origin-Host", "a"), avp("Origin-Realm", "b"), avp("Proxy-Info", [rawAvp(7777, Buffer.alloc(4), { mandatory: true })])], IDS);
    expect(code(encodeMessage(m))).toBe(5001);
  });
  it("a fault inside a grouped AVP keeps the header and the top-level AVPs read before it, and a later message decodes cleanly", () => {
    const m = createRequest(
      "DWR",
      [avp("Session-Id", "s;1"), avp("Origin-Host", "a"), avp("Proxy-Info", [avp("Proxy-Host", "h"), rawAvp(7777, Buffer.alloc(4), { mandatory: true })]), avp("Origin-Realm", "b")],
      IDS,
    );
    const r = decodeMessage(encodeMessage(m));
    expect(!r.ok && r.error.resultCode).toBe(5001);
    expect(!r.ok && r.error.header?.endToEnd).toBe(IDS.endToEnd);
    expect(!r.ok && r.error.avps.map((a) => a.code)).toEqual([263, 264]);
    expect(!r.ok && r.error.failedAvp?.code).toBe(7777);
    const ok = decodeMessage(encodeMessage(sampleMar()));
    expect(ok.ok && ok.value.avps.length).toBe(sampleMar().avps.length);
    expect(!r.ok && r.error.avps.map((a) => a.code)).toEqual([263, 264]);
  });
  it("a fault in the first AVP gives no AVPs, and a fault in decodeAvps neither AVPs nor a header", () => {
    const head = encodeMessage(createRequest("DWR", [], IDS));
    const bytes = Buffer.concat([head, Buffer.from([0, 0, 1, 0x16, 0x41, 0, 0, 8])]);
    bytes.writeUIntBE(bytes.length, 1, 3);
    const r = decodeMessage(bytes);
    expect(!r.ok && r.error.resultCode).toBe(3009);
    expect(!r.ok && r.error.avps).toEqual([]);
    const d = decodeAvps(Buffer.from([0, 0, 1, 0x08, 0x40, 0, 0, 9, 0x61, 0, 0, 0, 0, 0, 1, 0x16, 0x41, 0, 0, 8]));
    expect(!d.ok && d.error.resultCode).toBe(3009);
    expect(!d.ok && d.error.avps).toEqual([]);
    expect(!d.ok && d.error.header).toBeUndefined();
  });
  it("Failed-AVP members are kept even when they would be rejected elsewhere", () => {
    const ans = createRequest("DWR", [avp("Failed-AVP", [rawAvp(7777, Buffer.alloc(3), { mandatory: true })])], IDS);
    const r = decodeMessage(encodeMessage(ans));
    expect(r.ok).toBe(true);
  });
});

describe("CCF validation", () => {
  it("missing required AVP → 5005 with a zero-filled example", () => {
    const m = sampleMar();
    const without = { ...m, avps: m.avps.filter((a) => a.code !== 607) };
    const r = validateMessage(without);
    expect(!r.ok && r.error.resultCode).toBe(5005);
    expect(!r.ok && r.error.failedAvp).toMatchObject({ code: 607, vendorId: 10415, data: new Uint8Array(4) });
    expect(!r.ok && r.error.header?.commandCode).toBe(303);
  });
  it("a single-occurrence AVP twice → 5009", () => {
    const m = sampleMar();
    const r = validateMessage({ ...m, avps: [...m.avps, avp("Origin-Host", "x")] });
    expect(!r.ok && r.error.resultCode).toBe(5009);
  });
  it("missing member of a grouped AVP → 5005", () => {
    const m = sampleMaa();
    const avps = m.avps.map((a) => (a.code === 260 ? avp("Vendor-Specific-Application-Id", [avp("Auth-Application-Id", 16777216)]) : a));
    const r = validateMessage({ ...m, avps });
    expect(!r.ok && r.error.resultCode).toBe(5005);
    expect(!r.ok && r.error.failedAvp?.code).toBe(266);
  });
  it("an answer without Result-Code or Experimental-Result → 5005", () => {
    const m = sampleMaa();
    const r = validateMessage({ ...m, avps: m.avps.filter((a) => a.code !== 268) });
    expect(!r.ok && r.error.resultCode).toBe(5005);
  });
  it("valid samples pass", () => {
    for (const m of [sampleCer(), sampleMar(), sampleMaa()]) {
      const r = decodeMessage(encodeMessage(m));
      expect(r.ok && validateMessage(r.value).ok).toBe(true);
    }
  });
});

describe("stream framing", () => {
  it("rejects a 16 MB length from the first 4 bytes without buffering", () => {
    const f = new DiameterFramer(65_536);
    const r = f.push(Buffer.from([1, 0xff, 0xff, 0xfc, 0x80]));
    expect(!r.ok && r.error.resultCode).toBe(5015);
    expect(f.buffered).toBe(0);
    expect(f.push(Buffer.alloc(1000)).ok).toBe(false);
    expect(frameCheck(Buffer.from([1, 0xff, 0xff, 0xfc]), 65_536).kind).toBe("invalid");
  });
  it("rejects a non-Diameter stream and a length below the header", () => {
    expect(frameCheck(Buffer.from("GET / HTTP/1.1")).kind).toBe("invalid");
    expect(frameCheck(Buffer.from([1, 0, 0, 16])).kind).toBe("invalid");
  });
  it("cuts whole messages out of a chunk and keeps the partial rest for the next one", () => {
    const a = encodeMessage(sampleMar());
    const b = encodeMessage(sampleMaa());
    const f = new DiameterFramer();
    const cut = 30;
    const first = f.push(Buffer.concat([a, b.subarray(0, cut)]));
    expect(first.ok && first.value.map((m) => m.equals(a))).toEqual([true]);
    expect(f.buffered).toBe(cut);
    expect(f.push(new Uint8Array(0)).ok).toBe(true);
    const second = f.push(new Uint8Array(Buffer.concat([b.subarray(cut), a])));
    expect(second.ok && second.value.map((m) => m.length)).toEqual([b.length, a.length]);
    expect(second.ok && second.value[0]?.equals(b)).toBe(true);
    expect(f.buffered).toBe(0);
  });
  it("a bad header after a whole message in the same chunk is a stream error, and stays one", () => {
    const a = encodeMessage(sampleMar());
    const f = new DiameterFramer();
    const r = f.push(Buffer.concat([a, Buffer.from([2, 0, 0, 20])]));
    expect(!r.ok && r.error.resultCode).toBe(5011);
    expect(f.buffered).toBe(0);
    expect(f.push(a).ok).toBe(false);
    const g = new DiameterFramer();
    expect(g.push(Buffer.from([1, 0])).ok).toBe(true);
    const h = g.push(Buffer.from([0, 18]));
    expect(!h.ok && h.error.resultCode).toBe(5015);
  });
  it("reassembles messages split byte by byte and several in one chunk", () => {
    const a = encodeMessage(sampleMar());
    const b = encodeMessage(sampleMaa());
    const all = Buffer.concat([a, b, a]);
    const f = new DiameterFramer();
    const got: Buffer[] = [];
    for (let i = 0; i < all.length; i++) {
      const r = f.push(all.subarray(i, i + 1));
      if (r.ok) got.push(...r.value);
    }
    expect(got.map((m) => m.length)).toEqual([a.length, b.length, a.length]);
    expect(got[1]?.equals(b)).toBe(true);
    const g = new DiameterFramer();
    const r = g.push(all);
    expect(r.ok && r.value.length).toBe(3);
    expect(g.buffered).toBe(0);
  });
});
