import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { avp, createRequest, decodeMessage, encodeMessage, getValue, getValues, type DiameterMessage } from "@ims/diameter";
import { readLia, readMaa, readSaa, readUaa } from "@ims/ims";
import { silentLogger } from "@ims/runtime";
import { addSubscriber, subscriberSchema } from "../provisioning/subscriber.js";
import type { HssDb } from "../store/open-db.js";
import { testDatabases } from "../store/test-databases.js";
import { lirRequest, marRequest, sarRequest, uarRequest, type CxPeer } from "./cx-client.js";
import type { CxContext } from "./context.js";
import { fakeAka } from "./fake-aka.js";
import { inList } from "./mar.js";
import { answerCx } from "./server.js";

const D = "domain.imsprovider.org";
const ID = { originHost: `hss.${D}`, originRealm: D };
const SCSCF: CxPeer = { originHost: `scscf1.${D}`, originRealm: D, destinationRealm: D };
let n = 1;
const ids = () => ({ hopByHop: n++, endToEnd: n++ });
const expCode = (m: DiameterMessage) => {
  const e = getValue(m, "Experimental-Result");
  return e === undefined ? undefined : getValue(e, "Experimental-Result-Code");
};

describe("Cx wire mapping (answerCx)", () => {
  const sqlite = testDatabases()[0];
  let hss: HssDb & { cleanup(): Promise<void> };
  let ctx: CxContext;
  // Every answer goes through encode/decode, as on the wire.
  const ask = async (req: DiameterMessage) => {
    const a = await answerCx(ctx, ID, req);
    const back = decodeMessage(encodeMessage(a));
    if (!back.ok) throw new Error(back.error.reason);
    expect(back.value.hopByHop).toBe(req.hopByHop);
    return back.value;
  };
  beforeAll(async () => {
    if (sqlite === undefined) throw new Error("no sqlite");
    hss = await sqlite.open();
    ctx = { hss, homeRealm: D, aka: fakeAka(), logger: silentLogger() };
    const r = await addSubscriber(hss.db, subscriberSchema.parse({ impi: `a@${D}`, impus: [`sip:a@${D}`], secret: "apass", sqn: "000000021090" }));
    expect(r.ok).toBe(true);
  });
  afterAll(async () => hss.cleanup());

  it("UAA carries Experimental-Result 2001 and Server-Capabilities, with the Cx session AVPs", async () => {
    const a = await ask(uarRequest(SCSCF, ids(), { impi: `a@${D}`, impu: `sip:a@${D}` }));
    expect(expCode(a)).toBe(2001);
    expect(getValue(a, "Server-Capabilities")).toBeDefined();
    expect(getValue(a, "Origin-Host")).toBe(ID.originHost);
    expect(getValue(a, "Auth-Session-State")).toBe(1);
    expect(getValue(a, "Session-Id")).toMatch(/^scscf1/);
    const typed = readUaa(a);
    expect(typed.ok && typed.value.result).toEqual({ kind: "experimental", vendorId: 10415, code: 2001 });
  });

  it("MAA carries SIP-Digest-Authenticate for SIP Digest and RAND‖AUTN, XRES, CK, IK for AKA", async () => {
    const d = await ask(marRequest(SCSCF, ids(), { impi: `a@${D}`, impu: `sip:a@${D}`, serverName: `sip:scscf1.${D}:6060` }));
    expect(getValue(d, "Result-Code")).toBe(2001);
    const item = getValue(d, "SIP-Auth-Data-Item") ?? [];
    expect(getValue(item, "SIP-Authentication-Scheme")).toBe("SIP Digest");
    const dig = getValue(item, "SIP-Digest-Authenticate") ?? [];
    expect(getValue(dig, "Digest-Realm")).toBe(D);
    expect(getValue(dig, "Digest-Algorithm")).toBe("MD5");
    expect(getValue(dig, "Digest-QoP")).toBe("auth");
    expect(getValue(dig, "Digest-HA1")).toMatch(/^[0-9a-f]{32}$/);
    const k = await ask(marRequest(SCSCF, ids(), { impi: `a@${D}`, impu: `sip:a@${D}`, serverName: `sip:scscf1.${D}:6060`, scheme: "Digest-AKAv1-MD5", count: 2 }));
    expect(getValue(k, "SIP-Number-Auth-Items")).toBe(2);
    const items = getValues(k, "SIP-Auth-Data-Item");
    expect(items).toHaveLength(2);
    const first = items[0] ?? [];
    expect(getValue(first, "SIP-Authenticate")?.length).toBe(32);
    expect(getValue(first, "Confidentiality-Key")?.length).toBe(16);
    expect(getValue(first, "Integrity-Key")?.length).toBe(16);
    expect(getValue(first, "SIP-Authorization")?.length).toBe(8);
    expect(getValue(k, "User-Name")).toBe(`a@${D}`);
    const typed = readMaa(k);
    expect(typed.ok && typed.value.items.map((i) => i.authenticate?.length)).toEqual([32, 32]);
    const typedDigest = readMaa(d);
    expect(typedDigest.ok && typedDigest.value.items[0]?.digest?.realm).toBe(D);
  });

  it("SAA carries User-Data XML and LIA the Server-Name", async () => {
    const s = await ask(sarRequest(SCSCF, ids(), { impi: `a@${D}`, impus: [`sip:a@${D}`], serverName: `sip:scscf1.${D}:6060`, type: 1 }));
    expect(getValue(s, "Result-Code")).toBe(2001);
    expect(Buffer.from(getValue(s, "User-Data") ?? new Uint8Array()).toString()).toContain(`<Identity>sip:a@${D}</Identity>`);
    const l = await ask(lirRequest(SCSCF, ids(), { impu: `sip:a@${D}` }));
    expect(getValue(l, "Server-Name")).toBe(`sip:scscf1.${D}:6060`);
    const ts = readSaa(s);
    expect(ts.ok && ts.value.userData).toContain("<IMSSubscription");
    const tl = readLia(l);
    expect(tl.ok && tl.value.serverName).toBe(`sip:scscf1.${D}:6060`);
  });

  it("answers 5001 in Experimental-Result for an unknown user", async () => {
    const a = await ask(uarRequest(SCSCF, ids(), { impi: `x@${D}`, impu: `sip:x@${D}` }));
    expect(expCode(a)).toBe(5001);
    expect(getValue(a, "Result-Code")).toBeUndefined();
  });

  it("answers 5005 with Failed-AVP when a mandatory AVP is missing, 3001 for an unknown command", async () => {
    const bad = createRequest("UAR", [avp("Session-Id", "s;1"), avp("Origin-Host", "x"), avp("Origin-Realm", D), avp("Destination-Realm", D)], ids());
    const a = await ask(bad);
    expect(getValue(a, "Result-Code")).toBe(5005);
    expect(getValue(a, "Failed-AVP")).toBeDefined();
    const unknown: DiameterMessage = { ...bad, commandCode: 399 };
    const u = await answerCx(ctx, ID, unknown);
    expect(getValue(u, "Result-Code")).toBe(3001);
  });

  it("answers 5012 DIAMETER_UNABLE_TO_COMPLY, and does not reject, when the store fails", async () => {
    const broken = new Proxy(hss.db, {
      get() {
        throw new Error("database gone");
      },
    });
    const failing: CxContext = { ...ctx, hss: { ...hss, db: broken } };
    for (const req of [
      uarRequest(SCSCF, ids(), { impi: `a@${D}`, impu: `sip:a@${D}` }),
      marRequest(SCSCF, ids(), { impi: `a@${D}`, impu: `sip:a@${D}`, serverName: "sip:s", scheme: "SIP Digest" }),
      sarRequest(SCSCF, ids(), { impi: `a@${D}`, impus: [`sip:a@${D}`], serverName: "sip:s", type: 2 }),
      lirRequest(SCSCF, ids(), { impu: `sip:a@${D}` }),
    ]) {
      const a = await answerCx(failing, ID, req);
      expect(getValue(a, "Result-Code")).toBe(5012);
      expect(a.endToEnd).toBe(req.endToEnd);
    }
  });
});

describe("auth scheme lists", () => {
  it("finds a scheme only as a whole entry of the comma-separated list", () => {
    expect(inList("SIP Digest,Digest-AKAv1-MD5", "Digest-AKAv1-MD5")).toBe(true);
    expect(inList("SIP Digest,Digest-AKAv1-MD5", "SIP Digest")).toBe(true);
    expect(inList("Digest-AKAv1-MD5", "Digest-AKAv1")).toBe(false);
    expect(inList("Digest-AKAv1-MD5,Digest-AKAv2-SHA-256", "AKAv1-MD5")).toBe(false);
    expect(inList("xSIP Digest,SIP Digest", "SIP Digest")).toBe(true);
    expect(inList("", "SIP Digest")).toBe(false);
  });
});
