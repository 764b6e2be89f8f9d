import { readFileSync } from "node:fs";
import { type DiameterMessage, avp, decodeMessage, encodeMessage, getValue, messageProblem, validateMessage } from "@ims/diameter";
import { answerBase, checkCx, cxProblem, readAnswerBase } from "./common.js";
import { describe, expect, it } from "vitest";
import {
  CX_EXPERIMENTAL_RESULT,
  REASON_CODE,
  SERVER_ASSIGNMENT_TYPE,
  SIP_AUTH_SCHEME,
  USER_AUTHORIZATION_TYPE,
  buildLia,
  buildLir,
  buildMaa,
  buildMar,
  buildPpa,
  buildPpr,
  buildRta,
  buildRtr,
  buildSaa,
  buildSar,
  buildUaa,
  buildUar,
  cxSuccess,
  experimentalResult,
  readLia,
  readLir,
  readMaa,
  readMar,
  readPpa,
  readPpr,
  readRta,
  readRtr,
  readSaa,
  readSar,
  readUaa,
  readUar,
} from "./index.js";

const ids = { hopByHop: 7, endToEnd: 9 };
const base = {
  sessionId: "scscf1.domain.imsprovider.org;1;42",
  originHost: "scscf1.domain.imsprovider.org",
  originRealm: "domain.imsprovider.org",
  destinationRealm: "domain.imsprovider.org",
};
const hss = { originHost: "hss.domain.imsprovider.org", originRealm: "domain.imsprovider.org" };

/** Encode, decode and check the CCF: what a peer would receive. */
function wire(m: DiameterMessage): DiameterMessage {
  const r = decodeMessage(encodeMessage(m));
  if (!r.ok) throw new Error(r.error.reason);
  const v = validateMessage(r.value);
  if (!v.ok) throw new Error(`${v.error.resultCode} ${v.error.reason}`);
  return r.value;
}

describe("Cx builders and readers round-trip over the wire", () => {
  it("UAR/UAA", () => {
    const uar = wire(
      buildUar(
        { ...base, userName: "a@d", publicIdentity: "sip:a@d", visitedNetworkIdentifier: "d", userAuthorizationType: USER_AUTHORIZATION_TYPE.REGISTRATION },
        ids,
      ),
    );
    expect(uar.commandCode).toBe(300);
    expect(uar.applicationId).toBe(16777216);
    const r = readUar(uar);
    expect(r.ok && r.value).toMatchObject({ userName: "a@d", publicIdentity: "sip:a@d", visitedNetworkIdentifier: "d", userAuthorizationType: 0 });
    const uaa = wire(
      buildUaa(uar, { ...hss, result: experimentalResult(CX_EXPERIMENTAL_RESULT.FIRST_REGISTRATION), serverCapabilities: { mandatory: [1], optional: [2, 3], serverNames: ["sip:scscf1:6060"] } }),
    );
    const a = readUaa(uaa);
    expect(a.ok && a.value).toMatchObject({
      sessionId: base.sessionId,
      result: { kind: "experimental", vendorId: 10415, code: 2001 },
      serverCapabilities: { mandatory: [1], optional: [2, 3], serverNames: ["sip:scscf1:6060"] },
    });
    expect(uaa.hopByHop).toBe(7);
  });

  it("MAR/MAA with AKA and SIP Digest items", () => {
    const mar = wire(
      buildMar(
        { ...base, userName: "a@d", publicIdentity: "sip:a@d", serverName: "sip:scscf1:6060", numberAuthItems: 1, authData: { scheme: SIP_AUTH_SCHEME.AKA_MD5, authorization: Buffer.alloc(30, 3) } },
        ids,
      ),
    );
    const r = readMar(mar);
    expect(r.ok && r.value.authData.scheme).toBe("Digest-AKAv1-MD5");
    expect(r.ok && Buffer.from(r.value.authData.authorization ?? []).equals(Buffer.alloc(30, 3))).toBe(true);
    const maa = wire(
      buildMaa(mar, {
        ...hss,
        result: cxSuccess,
        userName: "a@d",
        publicIdentity: "sip:a@d",
        items: [
          { itemNumber: 1, scheme: SIP_AUTH_SCHEME.AKA_MD5, authenticate: Buffer.alloc(32, 1), authorization: Buffer.alloc(8, 2), confidentialityKey: Buffer.alloc(16, 3), integrityKey: Buffer.alloc(16, 4) },
          { itemNumber: 2, scheme: SIP_AUTH_SCHEME.SIP_DIGEST, digest: { realm: "d", algorithm: "MD5", qop: "auth", ha1: "0123456789abcdef0123456789abcdef" } },
        ],
      }),
    );
    expect(getValue(maa, "SIP-Number-Auth-Items")).toBe(2);
    const a = readMaa(maa);
    expect(a.ok && a.value.result).toEqual(cxSuccess);
    expect(a.ok && a.value.items[0]?.integrityKey).toEqual(Buffer.alloc(16, 4));
    expect(a.ok && a.value.items[1]?.digest).toEqual({ realm: "d", algorithm: "MD5", qop: "auth", ha1: "0123456789abcdef0123456789abcdef" });
  });

  it("SAR/SAA with User-Data", () => {
    const sar = wire(
      buildSar(
        { ...base, userName: "a@d", publicIdentities: ["sip:a@d"], serverName: "sip:scscf1:6060", serverAssignmentType: SERVER_ASSIGNMENT_TYPE.REGISTRATION, userDataAlreadyAvailable: false },
        ids,
      ),
    );
    const r = readSar(sar);
    expect(r.ok && r.value).toMatchObject({ publicIdentities: ["sip:a@d"], serverAssignmentType: 1, userDataAlreadyAvailable: false });
    const xml = "<?xml version=\"1.0\"?><IMSSubscription><PrivateID>a@d</PrivateID></IMSSubscription>";
    const saa = wire(buildSaa(sar, { ...hss, result: cxSuccess, userName: "a@d", userData: xml, chargingInformation: { primaryEventChargingFunctionName: "aaa://ecf.d" }, associatedIdentities: ["b@d"] }));
    const a = readSaa(saa);
    expect(a.ok && a.value).toMatchObject({ userData: xml, chargingInformation: { primaryEventChargingFunctionName: "aaa://ecf.d" }, associatedIdentities: ["b@d"] });
  });

  it("LIR/LIA", () => {
    const lir = wire(buildLir({ ...base, publicIdentity: "sip:b@d", originatingRequest: true }, ids));
    const r = readLir(lir);
    expect(r.ok && r.value).toMatchObject({ publicIdentity: "sip:b@d", originatingRequest: true });
    const lia = wire(buildLia(lir, { ...hss, result: cxSuccess, serverName: "sip:scscf1:6060" }));
    const a = readLia(lia);
    expect(a.ok && a.value.serverName).toBe("sip:scscf1:6060");
    const unknown = wire(buildLia(lir, { ...hss, result: experimentalResult(CX_EXPERIMENTAL_RESULT.ERROR_IDENTITY_NOT_REGISTERED) }));
    const u = readLia(unknown);
    expect(u.ok && u.value.result).toEqual({ kind: "experimental", vendorId: 10415, code: 5003 });
  });

  it("RTR/RTA, and an RTR without Destination-Host is still read", () => {
    const req = { ...base, destinationHost: "scscf1.d", userName: "a@d", publicIdentities: ["sip:a@d", "tel:+1"], deregistrationReason: { reasonCode: REASON_CODE.PERMANENT_TERMINATION, reasonInfo: "bye" } };
    const rtr = wire(buildRtr(req, ids));
    const r = readRtr(rtr);
    expect(r.ok && r.value).toMatchObject({ destinationHost: "scscf1.d", publicIdentities: ["sip:a@d", "tel:+1"], deregistrationReason: { reasonCode: 0, reasonInfo: "bye" } });
    const noHost = { ...rtr, avps: rtr.avps.filter((a) => a.code !== 293) };
    expect(readRtr(noHost).ok).toBe(true);
    const rta = wire(buildRta(rtr, { ...hss, result: cxSuccess }));
    expect(readRta(rta).ok).toBe(true);
  });

  it("PPR/PPA", () => {
    const ppr = wire(buildPpr({ ...base, destinationHost: "scscf1.d", userName: "a@d", userData: "<IMSSubscription/>" }, ids));
    const r = readPpr(ppr);
    expect(r.ok && r.value.userData).toBe("<IMSSubscription/>");
    const ppa = wire(buildPpa(ppr, { ...hss, result: cxSuccess }));
    expect(readPpa(ppa).ok).toBe(true);
  });
});

describe("Cx readers reject what the CCF forbids", () => {
  it("a MAR without Server-Name → 5005 with Failed-AVP", () => {
    const mar = buildMar({ ...base, userName: "a", publicIdentity: "sip:a@d", serverName: "s", numberAuthItems: 1, authData: { scheme: "Unknown" } }, ids);
    const r = readMar({ ...mar, avps: mar.avps.filter((a) => a.code !== 602) });
    expect(!r.ok && r.error.resultCode).toBe(5005);
    expect(!r.ok && r.error.failedAvp?.code).toBe(602);
  });
  it("a UAA read as a MAA is refused", () => {
    const uar = buildUar({ ...base, userName: "a", publicIdentity: "p", visitedNetworkIdentifier: "v" }, ids);
    expect(readMaa(buildUaa(uar, { ...hss, result: cxSuccess })).ok).toBe(false);
  });
  it("two Server-Names in an SAR → 5009", () => {
    const sar = buildSar({ ...base, publicIdentities: [], serverName: "s", serverAssignmentType: 1, userDataAlreadyAvailable: true }, ids);
    const r = readSar({ ...sar, avps: [...sar.avps, avp("Server-Name", "t")] });
    expect(!r.ok && r.error.resultCode).toBe(5009);
  });
});

describe("Cx code tables match cx-dx.tsv", () => {
  it("Experimental-Result-Code names and values", () => {
    const rows = readFileSync(new URL("../../../../test/fixtures/reference/diameter/cx-dx.tsv", import.meta.url), "utf8")
      .split("\n")
      .filter((l) => l.startsWith("exp_result\t"))
      .map((l) => l.split("\t"));
    const ours = Object.entries(CX_EXPERIMENTAL_RESULT).map(([n, c]) => [`DIAMETER_${n}`, c]);
    expect(ours.sort()).toEqual(rows.map((f) => [f[2], Number(f[1])]).sort());
  });
});

describe("Cx answers in error", () => {
  it("a bare failure answer (no Vendor-Specific-Application-Id / Auth-Session-State) still yields its result", () => {
    const mar = buildMar({ ...base, userName: "a", publicIdentity: "sip:a@d", serverName: "s", numberAuthItems: 1, authData: { scheme: "Unknown" } }, ids);
    const full = buildMaa(mar, { ...hss, result: experimentalResult(CX_EXPERIMENTAL_RESULT.ERROR_USER_UNKNOWN), items: [] });
    const bare = { ...full, avps: full.avps.filter((a) => a.code !== 260 && a.code !== 277) };
    const r = readMaa(wireUnchecked(bare));
    expect(r.ok && r.value.result).toEqual({ kind: "experimental", vendorId: 10415, code: 5001 });
    const success = buildMaa(mar, { ...hss, result: cxSuccess, items: [] });
    const broken = { ...success, avps: success.avps.filter((a) => a.code !== 277) };
    const b = readMaa(wireUnchecked(broken));
    expect(!b.ok && b.error.resultCode).toBe(5005);
  });
  it("an E-bit protocol error answer is read through the generic answer-message format", () => {
    const lir = buildLir({ ...base, publicIdentity: "sip:b@d" }, ids);
    const e = { ...buildLia(lir, { ...hss, result: { kind: "result", code: 3002 } }), flags: 0x60 };
    const r = readLia(wireUnchecked(e));
    expect(r.ok && r.value.result).toEqual({ kind: "result", code: 3002 });
  });
});

function wireUnchecked(m: DiameterMessage): DiameterMessage {
  const r = decodeMessage(encodeMessage(m));
  if (!r.ok) throw new Error(r.error.reason);
  return r.value;
}

describe("Cx checks without a Result", () => {
  it("cxProblem and answerBase say what checkCx and readAnswerBase say, and every answer reader refuses an answer with no result", () => {
    const sar = buildSar({ ...base, publicIdentities: ["sip:a@d"], serverName: "s", serverAssignmentType: 1, userDataAlreadyAvailable: false }, ids);
    const saa = wireUnchecked(buildSaa(sar, { ...hss, result: cxSuccess }));
    expect(cxProblem(saa, 301, false)).toBeUndefined();
    expect(checkCx(saa, 301, false)).toEqual({ ok: true, value: saa });
    expect(messageProblem(saa)).toBeUndefined();
    expect(answerBase(saa)).toEqual((readAnswerBase(saa) as { value: unknown }).value);
    const noResult = { ...saa, avps: saa.avps.filter((a) => a.code !== 268) };
    expect(answerBase(noResult)).toBeUndefined();
    expect(readAnswerBase(noResult)).toMatchObject({ ok: false, error: { resultCode: 5005 } });
    expect(messageProblem(noResult)).toEqual((validateMessage(noResult) as { error: unknown }).error);
    expect(checkCx(noResult, 301, false)).toEqual({ ok: false, error: cxProblem(noResult, 301, false) });
    expect(readSaa(noResult)).toMatchObject({ ok: false, error: { resultCode: 5005 } });
    expect(cxProblem(saa, 303, false)?.resultCode).toBe(3001);
    const ppr = buildPpr({ ...base, userName: "a@d", userData: "<IMSSubscription/>" }, ids);
    const ppa = wireUnchecked(buildPpa(ppr, { ...hss, result: cxSuccess }));
    expect(readPpa({ ...ppa, avps: ppa.avps.filter((a) => a.code !== 268) })).toMatchObject({ ok: false, error: { resultCode: 5005 } });
    expect(readPpa(ppa)).toMatchObject({ ok: true, value: { result: cxSuccess } });
  });
});
