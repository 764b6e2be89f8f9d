import { describe, expect, it } from "vitest";
import {
  IdGenerator,
  answerTo,
  avp,
  createRequest,
  decodeMessage,
  encodeMessage,
  encodeMessageAs,
  errorAnswer,
  getValue,
  getValues,
  isRequest,
  rawAvp,
  validateMessage,
  CMD_FLAG,
} from "./index.js";

const ids = { hopByHop: 0x11223344, endToEnd: 0x55667788 };
const HEADER = 20;

function cer() {
  return createRequest(
    "CER",
    [
      avp("Origin-Host", "scscf1.domain.imsprovider.org"),
      avp("Origin-Realm", "domain.imsprovider.org"),
      avp("Host-IP-Address", "127.0.0.11"),
      avp("Host-IP-Address", "::1"),
      avp("Vendor-Id", 0),
      avp("Product-Name", "ims-core"),
      avp("Supported-Vendor-Id", 10415),
      avp("Auth-Application-Id", 16777216),
      avp("Vendor-Specific-Application-Id", [avp("Vendor-Id", 10415), avp("Auth-Application-Id", 16777216)]),
    ],
    ids,
  );
}

describe("codec round trip", () => {
  it("encodes the header as RFC 6733 §3 lays it out", () => {
    const b = encodeMessage(cer());
    expect(b[0]).toBe(1);
    expect(b.readUIntBE(1, 3)).toBe(b.length);
    expect(b[4]).toBe(CMD_FLAG.R);
    expect(b.readUIntBE(5, 3)).toBe(257);
    expect(b.readUInt32BE(8)).toBe(0);
    expect(b.readUInt32BE(12)).toBe(0x11223344);
    expect(b.readUInt32BE(16)).toBe(0x55667788);
    // First AVP: Origin-Host, M bit, no V, length 8 + 29, padded to 40.
    expect(b.readUInt32BE(20)).toBe(264);
    expect(b[24]).toBe(0x40);
    expect(b.readUIntBE(25, 3)).toBe(8 + 29);
    expect(b.readUInt32BE(60)).toBe(296);
  });

  it("decodes what it encodes, values typed by name", () => {
    const r = decodeMessage(encodeMessage(cer()));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const m = r.value;
    expect(isRequest(m)).toBe(true);
    expect(m.commandCode).toBe(257);
    expect(getValue(m, "Origin-Host")).toBe("scscf1.domain.imsprovider.org");
    expect(getValues(m, "Host-IP-Address")).toEqual(["127.0.0.11", "::1"]);
    const vsai = getValue(m, "Vendor-Specific-Application-Id") ?? [];
    expect(getValue(vsai, "Vendor-Id")).toBe(10415);
    expect(getValue(vsai, "Auth-Application-Id")).toBe(16777216);
    expect(validateMessage(m).ok).toBe(true);
    expect(encodeMessage(m).equals(encodeMessage(cer()))).toBe(true);
  });

  it("makes an answer with the request's ids and Session-Id first", () => {
    const dwr = createRequest("DWR", [avp("Origin-Host", "a"), avp("Origin-Realm", "r")], ids);
    const req = createRequest("MAR", [avp("Session-Id", "s;1;2"), avp("Origin-Host", "a")], ids);
    const ans = answerTo(req, [avp("Result-Code", 2001)]);
    expect(ans.flags).toBe(CMD_FLAG.P);
    expect(ans.hopByHop).toBe(ids.hopByHop);
    expect(getValue(ans, "Session-Id")).toBe("s;1;2");
    expect(ans.avps[0]?.code).toBe(263);
    expect(answerTo(dwr, []).flags).toBe(0);
  });

  it("keeps an answer's own Session-Id, ignores a vendor AVP with the same code, and appends the request's Proxy-Info in order", () => {
    const p1 = avp("Proxy-Info", [avp("Proxy-Host", "p1"), avp("Proxy-State", Buffer.from("1"))]);
    const p2 = avp("Proxy-Info", [avp("Proxy-Host", "p2"), avp("Proxy-State", Buffer.from("2"))]);
    const req = createRequest("MAR", [rawAvp(263, Buffer.from("vendor"), { vendorId: 10415 }), avp("Session-Id", "s;1"), p1, avp("Origin-Host", "a"), p2], ids);
    const own = answerTo(req, [avp("Session-Id", "mine"), avp("Result-Code", 2001)]);
    expect(getValues(own, "Session-Id")).toEqual(["mine"]);
    expect(own.avps.slice(2)).toEqual([p1, p2]);
    const copied = answerTo(req, [avp("Result-Code", 2001)]);
    expect(copied.avps.map((a) => a.code)).toEqual([263, 268, 284, 284]);
    expect(getValue(copied, "Session-Id")).toBe("s;1");
  });

  it("keeps unknown AVPs byte for byte", () => {
    const odd = rawAvp(9999, Buffer.from([1, 2, 3, 4, 5]), { vendorId: 12345 });
    const msg = createRequest("DWR", [avp("Origin-Host", "a"), avp("Origin-Realm", "r"), odd], ids);
    const bytes = encodeMessage(msg);
    const r = decodeMessage(bytes);
    expect(r.ok && r.value.avps[2]).toMatchObject({ code: 9999, vendorId: 12345, flags: 0x80 });
    expect(r.ok && encodeMessage(r.value).equals(bytes)).toBe(true);
  });

  it("rejects an unknown AVP with the M bit with 5001 and builds the answer", () => {
    const odd = rawAvp(9999, Buffer.from("x"), { mandatory: true });
    const msg = createRequest("DWR", [avp("Origin-Host", "a"), avp("Origin-Realm", "r"), odd], ids);
    const r = decodeMessage(encodeMessage(msg));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.resultCode).toBe(5001);
    expect(r.error.failedAvp?.code).toBe(9999);
    const ans = errorAnswer(r.error, { originHost: "hss", originRealm: "r" });
    expect(ans?.flags).toBe(0);
    expect(ans && getValue(ans, "Result-Code")).toBe(5001);
    const failed = ans && getValue(ans, "Failed-AVP");
    expect(failed?.[0]?.code).toBe(9999);
  });

  it("ids: end-to-end high 12 bits from the clock, both increase", () => {
    const g = new IdGenerator(0x12345 * 1000, () => 0);
    const a = g.next();
    const b = g.next();
    expect(a.endToEnd >>> 20).toBe(0x345);
    expect(b.endToEnd).toBe(a.endToEnd + 1);
    expect(b.hopByHop).toBe(a.hopByHop + 1);
  });
});

describe("names and log summaries", () => {
  it("names commands and summarizes without AVP values", async () => {
    const { commandName, summarize } = await import("./index.js");
    const mar = createRequest("MAR", [avp("Session-Id", "s;1"), avp("Digest-HA1", "secret-ha1")], ids);
    expect(commandName(mar)).toBe("MAR");
    expect(commandName(answerTo(mar, []))).toBe("MAA");
    expect(commandName({ ...mar, commandCode: 999 })).toBe("cmd-999-req");
    const line = summarize(answerTo(mar, [avp("Experimental-Result", [avp("Vendor-Id", 10415), avp("Experimental-Result-Code", 5001)])]));
    expect(line).toBe("MAA flags=P app=16777216 hbh=0x11223344 e2e=0x55667788 session=s;1 experimental=5001");
    expect(summarize(mar)).not.toContain("secret");
  });
});

describe("decoded AVPs behave like plain ones", () => {
  it("a spread copy keeps its data and encodes the same", () => {
    const r = decodeMessage(encodeMessage(cer()));
    if (!r.ok) throw new Error(r.error.reason);
    const copy = { ...r.value, avps: r.value.avps.map((a) => ({ ...a })) };
    expect(encodeMessage(copy).equals(encodeMessage(cer()))).toBe(true);
    expect(r.value.avps).toEqual(cer().avps);
  });
});

describe("decoded AVP lists", () => {
  it("each message and grouped AVP has its own list, untouched by later decodes", () => {
    const first = decodeMessage(encodeMessage(cer()));
    if (!first.ok) throw new Error(first.error.reason);
    const group = first.value.avps[8]?.avps;
    const other = createRequest("DWR", [avp("Origin-Host", "x"), avp("Origin-Realm", "y"), avp("Proxy-Info", [avp("Proxy-Host", "p"), avp("Proxy-State", Buffer.from("s"))])], ids);
    for (let i = 0; i < 3; i++) expect(decodeMessage(encodeMessage(other)).ok).toBe(true);
    expect(first.value.avps).toEqual(cer().avps);
    expect(first.value.avps.length).toBe(9);
    expect(group?.map((a) => getValue([a], "Vendor-Id") ?? getValue([a], "Auth-Application-Id"))).toEqual([10415, 16777216]);
  });
});

describe("encodeMessageAs", () => {
  it("encodes with the flags and hop-by-hop id given, the same bytes otherwise, and leaves the message as it was", () => {
    const m = cer();
    const bytes = encodeMessageAs(m, CMD_FLAG.R | CMD_FLAG.T, 0xabcdef01);
    expect(bytes.equals(encodeMessage({ ...m, flags: CMD_FLAG.R | CMD_FLAG.T, hopByHop: 0xabcdef01 }))).toBe(true);
    expect(m.hopByHop).toBe(ids.hopByHop);
    expect(m.flags).toBe(CMD_FLAG.R);
  });
});

describe("decoding one message after another", () => {
  it("an error keeps its own header and AVPs read so far; the next decode is unaffected, and so is the error", () => {
    const good = encodeMessage(cer());
    const bad = Buffer.from(good);
    bad[HEADER + 4] = 0x5f; // reserved bits set in the first AVP's flags → 3009
    bad.writeUInt32BE(0x01020304, 12);
    const e = decodeMessage(bad);
    expect(e.ok).toBe(false);
    const again = decodeMessage(good);
    if (!again.ok || e.ok) throw new Error("unexpected");
    expect(again.value.avps).toEqual(cer().avps);
    expect(e.error.resultCode).toBe(3009);
    expect(e.error.header?.hopByHop).toBe(0x01020304);
    expect(decodeMessage(bad)).toMatchObject({ ok: false, error: { resultCode: 3009 } });
  });
});
