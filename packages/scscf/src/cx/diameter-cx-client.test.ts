import { describe, expect, it } from "vitest";
import { type DiameterMessage, IdGenerator, getValue } from "@ims/diameter";
import {
  REASON_CODE,
  SERVER_ASSIGNMENT_TYPE,
  buildMaa,
  buildRtr,
  buildSaa,
  cxSuccess,
  experimentalResult,
  readMar,
  readRta,
  readSar,
} from "@ims/ims";
import { err, ok, silentLogger, type Result } from "@ims/runtime";
import { Harness, IMPI, IMPU } from "../testing/registrar-harness.js";
import { DiameterCxClient, type DiameterRequester } from "./diameter-cx-client.js";
import { answerRtr } from "./rtr-handler.js";

const ID = { originHost: "scscf1.domain.imsprovider.org", originRealm: "domain.imsprovider.org", destinationRealm: "domain.imsprovider.org", destinationHost: "hss.domain.imsprovider.org" };
const HSS = { originHost: "hss.domain.imsprovider.org", originRealm: "domain.imsprovider.org" };

class FakeNode implements DiameterRequester {
  readonly sent: DiameterMessage[] = [];
  private readonly ids = new IdGenerator(0);
  answer: (m: DiameterMessage) => Result<DiameterMessage, { kind: string; reason: string }> = () => err({ kind: "no-route", reason: "none" });
  nextIds() {
    return this.ids.next();
  }
  request(m: DiameterMessage) {
    this.sent.push(m);
    return Promise.resolve(this.answer(m));
  }
}

const client = (node: FakeNode) => new DiameterCxClient(node, ID, { timeoutMs: 1000, log: silentLogger() });

describe("DiameterCxClient", () => {
  it("MAR on the wire: header AVPs, scheme, Server-Name; the MAA read back with its vector", async () => {
    const node = new FakeNode();
    node.answer = (m) =>
      ok(buildMaa(m, { ...HSS, result: cxSuccess, userName: IMPI, items: [{ itemNumber: 1, scheme: "SIP Digest", digest: { realm: "r", qop: "auth", ha1: "ab" } }] }));
    const r = await client(node).mar({
      userName: IMPI,
      publicIdentity: IMPU,
      serverName: "sip:scscf1.domain.imsprovider.org:6060",
      numberAuthItems: 1,
      authData: { scheme: "Unknown" },
    });
    const mar = readMar(node.sent[0] as DiameterMessage);
    expect(mar.ok && mar.value).toMatchObject({
      ...ID,
      userName: IMPI,
      publicIdentity: IMPU,
      serverName: "sip:scscf1.domain.imsprovider.org:6060",
      authData: { scheme: "Unknown" },
    });
    expect(mar.ok && mar.value.sessionId).toMatch(/^scscf1\.domain\.imsprovider\.org;\d+;1$/);
    expect(r.ok && r.value.items[0]?.digest?.ha1).toBe("ab");
  });

  it("SAR on the wire with its assignment type; each request gets its own Session-Id", async () => {
    const node = new FakeNode();
    node.answer = (m) => ok(buildSaa(m, { ...HSS, result: experimentalResult(5001) }));
    const c = client(node);
    const f = { userName: IMPI, publicIdentities: [IMPU], serverName: "sip:s", serverAssignmentType: SERVER_ASSIGNMENT_TYPE.USER_DEREGISTRATION, userDataAlreadyAvailable: false };
    const r = await c.sar(f);
    await c.sar(f);
    const sar = readSar(node.sent[0] as DiameterMessage);
    expect(sar.ok && sar.value).toMatchObject({ publicIdentities: [IMPU], serverAssignmentType: 5, userName: IMPI });
    expect(r.ok && r.value.result).toEqual(experimentalResult(5001));
    expect(getValue(node.sent[0] as DiameterMessage, "Session-Id")).not.toBe(getValue(node.sent[1] as DiameterMessage, "Session-Id"));
  });

  it("maps no answer to cx-timeout / cx-unreachable, and an unreadable answer to cx-malformed", async () => {
    const node = new FakeNode();
    const f = { userName: IMPI, publicIdentity: IMPU, serverName: "sip:s", numberAuthItems: 1, authData: {} };
    node.answer = () => err({ kind: "timeout", reason: "t" });
    expect(await client(node).mar(f)).toMatchObject({ ok: false, error: { tag: "cx-timeout" } });
    node.answer = () => err({ kind: "peer-down", reason: "p" });
    expect(await client(node).mar(f)).toMatchObject({ ok: false, error: { tag: "cx-unreachable" } });
    node.answer = (m) => ok({ ...m, flags: 0, avps: m.avps.slice(0, 1) });
    expect(await client(node).mar(f)).toMatchObject({ ok: false, error: { tag: "cx-malformed" } });
  });
});

describe("RTR handler", () => {
  it("removes the registration and answers RTA 2001 with our identity", async () => {
    const h = new Harness();
    await h.registerMd5();
    const rtr = buildRtr(
      { sessionId: "hss;1;1", ...HSS, destinationRealm: "domain.imsprovider.org", destinationHost: ID.originHost, userName: IMPI, publicIdentities: [IMPU], deregistrationReason: { reasonCode: REASON_CODE.PERMANENT_TERMINATION } },
      new IdGenerator(0).next(),
    );
    const rta = readRta(answerRtr(h.ctx, { originHost: ID.originHost, originRealm: ID.originRealm }, rtr));
    expect(rta.ok && rta.value).toMatchObject({ result: { kind: "result", code: 2001 }, originHost: ID.originHost, sessionId: "hss;1;1" });
    expect(h.ctx.bindings.find(IMPU)).toBeUndefined();
  });

  it("an RTR missing its User-Name is answered with an error, nothing removed", async () => {
    const h = new Harness();
    await h.registerMd5();
    const good = buildRtr(
      { sessionId: "hss;1;2", ...HSS, destinationRealm: "d", userName: IMPI, publicIdentities: [IMPU], deregistrationReason: { reasonCode: 0 } },
      new IdGenerator(0).next(),
    );
    const bad = { ...good, avps: good.avps.filter((a) => a.code !== 1) };
    const answer = answerRtr(h.ctx, { originHost: ID.originHost, originRealm: ID.originRealm }, bad);
    expect(getValue(answer, "Result-Code")).toBe(5005);
    expect(h.ctx.bindings.find(IMPU)).toBeDefined();
  });
});
