/**
 * Calls and messages through the core (DESIGN.md "Call"): UE a → P-CSCF → S-CSCF (orig) → I-CSCF
 * (LIR) → S-CSCF (term) → P-CSCF → UE b, on the in-process lab, asserted hop by hop on the wire.
 */
import { type SipRequest, getHeader, getHeaders } from "@ims/sip";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { CallUe } from "../support/call-ue.js";
import { type CallLab, routeList, startCallLab } from "./call-lab.js";

const NET = 42;
const DOMAIN = "domain.imsprovider.org";
const A = `sip:a@${DOMAIN}`;
const B = `sip:b@${DOMAIN}`;
let c: CallLab;
let a: CallUe;
let b: CallUe;

beforeAll(async () => {
  c = await startCallLab(NET);
  a = await c.registered("a", "apass");
  b = await c.registered("b", "bpass");
});
afterAll(async () => c?.stop());
beforeEach(() => {
  b.answering = { kind: "answer" };
  a.answering = { kind: "answer" };
});

const callIdOf = (r: SipRequest): string => getHeader(r, "call-id") ?? "";
const scscfName = /scscf1\.domain\.imsprovider\.org:6060/;
const pcscfRr = `<sip:pcscf1.${DOMAIN}:5060;lr>`;

/** The INVITE on each hop of the basic call path, with the checks DESIGN.md "Call" names. */
function assertInvitePath(callId: string, callee: CallUe): void {
  const aAddr = a.ue.options.address;
  const bAddr = callee.ue.options.address;
  const [toP] = c.requests(callId, "INVITE", aAddr, c.p);
  expect(routeList(toP!, "route")[0]).toBe(`<sip:${c.p};lr>`);

  const [pToS] = c.requests(callId, "INVITE", c.p, c.s);
  expect(pToS, "P-CSCF → S-CSCF (orig)").toBeDefined();
  expect(routeList(pToS!, "route")[0]).toMatch(/^<sip:orig@scscf1\.domain\.imsprovider\.org:6060;lr>$/);
  expect(routeList(pToS!, "record-route")[0]).toBe(pcscfRr);
  expect(getHeaders(pToS!, "p-asserted-identity")).toEqual([`<${A}>`]);
  expect(getHeader(pToS!, "p-charging-vector")).toMatch(/icid-value=/);

  const [sToI] = c.requests(callId, "INVITE", c.s, c.i);
  expect(sToI, "S-CSCF (orig) → I-CSCF").toBeDefined();
  expect(sToI!.uri).toBe(callee.impu);
  expect(routeList(sToI!, "record-route")[0]).toMatch(scscfName);
  expect(getHeaders(sToI!, "p-asserted-identity")).toEqual([`<${A}>`]);

  const [iToS] = c.requests(callId, "INVITE", c.i, c.s);
  expect(iToS, "I-CSCF → S-CSCF (term)").toBeDefined();
  expect(routeList(iToS!, "route")[0]).toMatch(scscfName);
  expect(getHeaders(iToS!, "record-route")).toEqual(getHeaders(sToI!, "record-route"));

  const [sToP] = c.requests(callId, "INVITE", c.s, c.p);
  expect(sToP, "S-CSCF (term) → P-CSCF").toBeDefined();
  expect(sToP!.uri).toBe(callee.contactUri);
  expect(routeList(sToP!, "route")[0]).toBe(`<sip:term@pcscf1.${DOMAIN}:5060;lr>`);

  const [toB] = c.requests(callId, "INVITE", c.p, bAddr);
  expect(toB, "P-CSCF → UE b").toBeDefined();
  expect(toB!.uri).toBe(callee.contactUri);
  expect(getHeaders(toB!, "route")).toEqual([]);
  const rr = routeList(toB!, "record-route");
  expect(rr[0]).toBe(pcscfRr);
  expect(rr.at(-1)).toBe(pcscfRr);
  expect(rr.some((v) => scscfName.test(v))).toBe(true);
  expect(getHeaders(toB!, "p-asserted-identity")).toEqual([`<${A}>`]);
}

describe("calls through P-CSCF, S-CSCF, I-CSCF, S-CSCF, P-CSCF", () => {
  it("a calls b: INVITE/180/200/ACK on every hop, Request-URI and route headers as TS 24.229 says, BYE from a", async () => {
    const { final, dialog, call } = await a.call(B);
    expect(final.status).toBe(200);
    expect(call.provisionals.map((r) => r.status)).toContain(180);
    const callId = callIdOf(call.invite);
    assertInvitePath(callId, b);
    await b.waitForMethod("ACK", callId);

    const bye = await a.inDialog(dialog!, "BYE").final;
    expect(bye.status).toBe(200);
    const byeAtB = await b.waitForMethod("BYE", callId);
    expect(byeAtB.uri).toBe(b.contactUri);
    // the BYE follows the route set: every Record-Routing node sees it
    expect(c.requests(callId, "BYE", c.p, c.s)).toHaveLength(1);
    expect(c.requests(callId, "BYE", c.s, c.p)).toHaveLength(1);
    expect(c.requests(callId, "BYE", c.s, c.i)).toHaveLength(0);
  });

  it("a calls b and b hangs up: the BYE goes back along the route set to a", async () => {
    const { final, dialog, call } = await a.call(B);
    expect(final.status).toBe(200);
    expect(dialog!.routeSet[0]).toBe(pcscfRr);
    const callId = callIdOf(call.invite);
    await b.waitForMethod("ACK", callId);
    const uas = b.answered.get(callId)!;
    expect(uas.routeSet[0]).toBe(pcscfRr);
    const bye = await b.inDialog(uas, "BYE").final;
    expect(bye.status).toBe(200);
    const atA = await a.waitForMethod("BYE", callId);
    expect(atA.uri).toBe(a.contactUri);
    expect(c.requests(callId, "BYE", b.ue.options.address, c.p)).toHaveLength(1);
    expect(c.requests(callId, "BYE", c.p, a.ue.options.address)).toHaveLength(1);
  });

  it("CANCEL before the answer: b answers 487, a gets 487", async () => {
    b.answering = { kind: "ring" };
    const call = a.invite(B);
    const callId = callIdOf(call.invite);
    await b.waitForMethod("INVITE", callId);
    await expect.poll(() => call.provisionals.some((r) => r.status === 180)).toBe(true);
    call.out.cancel();
    const final = await call.final;
    expect(final.status).toBe(487);
    expect(c.requests(callId, "CANCEL", c.p, c.s)).toHaveLength(1);
    expect(c.requests(callId, "CANCEL", c.p, b.ue.options.address)).toHaveLength(1);
  });

  it("b is busy: 486 reaches a", async () => {
    b.answering = { kind: "reject", status: 486 };
    const { final } = await a.call(B);
    expect(final.status).toBe(486);
  });

  it("b declines everywhere: 603 reaches a", async () => {
    b.answering = { kind: "reject", status: 603 };
    const { final } = await a.call(B);
    expect(final.status).toBe(603);
  });

  it("183 Session Progress with SDP (early media) reaches a before the 180 and the 200", async () => {
    b.answering = { kind: "answer", earlyMedia: true };
    const { final, call, dialog } = await a.call(B);
    expect(final.status).toBe(200);
    expect(call.provisionals.map((r) => r.status).filter((s) => s !== 100)).toEqual([183, 180]);
    const progress = call.provisionals.find((r) => r.status === 183)!;
    expect(getHeader(progress, "content-type")).toBe("application/sdp");
    expect(progress.body.toString()).toContain("m=audio 40002");
    expect((await a.inDialog(dialog!, "BYE").final).status).toBe(200);
  });

  it("INFO inside the dialog follows the route set to b and back", async () => {
    const { dialog, call } = await a.call(B);
    const callId = callIdOf(call.invite);
    const info = await a.inDialog(dialog!, "INFO", { body: "Signal=5\r\nDuration=160\r\n", contentType: "application/dtmf-relay" }).final;
    expect(info.status).toBe(200);
    const atB = await b.waitForMethod("INFO", callId);
    expect(atB.body.toString()).toContain("Signal=5");
    expect(c.requests(callId, "INFO", c.p, c.s)).toHaveLength(1);
    expect((await a.inDialog(dialog!, "BYE").final).status).toBe(200);
  });

  it("re-INVITE and UPDATE inside the dialog follow the route set", async () => {
    const { dialog, call } = await a.call(B);
    const callId = callIdOf(call.invite);
    const re = a.inDialog(dialog!, "INVITE", { body: "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40010 RTP/AVP 8\r\n" });
    const res = await re.final;
    expect(res.status).toBe(200);
    await a.ackInDialog(dialog!, re.request);
    await b.waitFor((r) => r.method === "ACK" && getHeader(r, "cseq") === getHeader(re.request, "cseq")?.replace("INVITE", "ACK"));
    const reAtB = c.requests(callId, "INVITE", c.p, b.ue.options.address);
    expect(reAtB).toHaveLength(2);
    expect(getHeaders(reAtB[1]!, "record-route")).toEqual([]);
    const up = await a.inDialog(dialog!, "UPDATE").final;
    expect(up.status).toBe(200);
    expect(await b.waitForMethod("UPDATE", callId)).toBeDefined();
    expect((await a.inDialog(dialog!, "BYE").final).status).toBe(200);
  });

  it("100rel: b's 180 is reliable, a PRACKs it through the core before the 200", async () => {
    b.answering = { kind: "answer", reliable: true };
    const { final, call, dialog } = await a.call(B, { reliable: true });
    expect(final.status).toBe(200);
    const ringing = call.provisionals.find((r) => r.status === 180)!;
    expect(getHeader(ringing, "rseq")).toBe("1");
    expect(getHeader(ringing, "require")).toMatch(/100rel/);
    expect(call.pracks).toHaveLength(1);
    expect((await call.pracks[0]!).status).toBe(200);
    const callId = callIdOf(call.invite);
    const prack = await b.waitForMethod("PRACK", callId);
    expect(getHeader(prack, "rack")).toBe(`1 ${getHeader(call.invite, "cseq")}`);
    expect(c.requests(callId, "PRACK", c.p, c.s)).toHaveLength(1);
    const bye = a.inDialog(dialog!, "BYE");
    expect(getHeader(bye.request, "cseq")).toBe(`${Number(getHeader(prack, "cseq")!.split(" ")[0]) + 1} BYE`);
    expect((await bye.final).status).toBe(200);
  });

  it("the terminating P-CSCF removes P-Charging-Vector before the UE (RFC 7315 §5.6)", async () => {
    const msg = a.newRequest("MESSAGE", B, { body: "charging", contentType: "text/plain" });
    expect((await a.send(msg).final).status).toBe(200);
    const [toB] = c.requests(callIdOf(msg), "MESSAGE", c.p, b.ue.options.address);
    expect(getHeader(toB!, "p-charging-vector")).toBeUndefined();
    expect(getHeader(toB!, "p-charging-function-addresses")).toBeUndefined();
  });

  it("OPTIONS a → b outside a dialog: b answers 200 through the core", async () => {
    const req = a.newRequest("OPTIONS", B);
    expect((await a.send(req).final).status).toBe(200);
    const got = await b.waitForMethod("OPTIONS", callIdOf(req));
    expect(got.uri).toBe(b.contactUri);
  });

  it("a BYE to a dialog Contact that is not the registered contact reaches b (RFC 3261 §12.1.1 remote target)", async () => {
    const other = `sip:${b.ue.options.address}:${b.ue.options.port}`;
    b.answering = { kind: "answer", contact: `<${other}>` };
    const { final, dialog, call } = await a.call(B);
    expect(final.status).toBe(200);
    expect(dialog!.remoteTarget).toBe(other);
    const bye = await a.inDialog(dialog!, "BYE").final;
    expect(bye.status).toBe(200);
    expect((await b.waitForMethod("BYE", callIdOf(call.invite))).uri).toBe(other);
  });

  it("MESSAGE a → b (RFC 3428): 200, body and asserted identity delivered", async () => {
    const msg = a.newRequest("MESSAGE", B, { body: "hello b", contentType: "text/plain" });
    const res = await a.send(msg).final;
    expect(res.status).toBe(200);
    const got = await b.waitForMethod("MESSAGE", callIdOf(msg));
    expect(got.body.toString()).toBe("hello b");
    expect(getHeaders(got, "p-asserted-identity")).toEqual([`<${A}>`]);
    expect(got.uri).toBe(b.contactUri);
  });

  it("a UE's own P-Asserted-Identity is replaced by the one the P-CSCF asserts", async () => {
    const msg = a.newRequest("MESSAGE", B, {
      body: "forged",
      contentType: "text/plain",
      headers: [["P-Asserted-Identity", "<sip:boss@domain.imsprovider.org>"]],
    });
    expect((await a.send(msg).final).status).toBe(200);
    const got = await b.waitForMethod("MESSAGE", callIdOf(msg));
    expect(getHeaders(got, "p-asserted-identity")).toEqual([`<${A}>`]);
  });

  it("callee not registered (c): 480 from the I-CSCF", async () => {
    const { final, call } = await a.call(`sip:c@${DOMAIN}`);
    expect(final.status).toBe(480);
    expect(c.requests(callIdOf(call.invite), "INVITE", c.i, c.s)).toHaveLength(0);
  });

  it("unknown callee: 404 from the I-CSCF", async () => {
    const { final, call } = await a.call(`sip:nobody@${DOMAIN}`);
    expect(final.status).toBe(404);
    expect(c.responses(callIdOf(call.invite), "INVITE", c.i, c.s).map((r) => r.status)).toContain(404);
  });
});

describe("what the P-CSCF does on its own", () => {
  it("replaces a UE's own P-Asserted-Identity before the request leaves for the S-CSCF", async () => {
    const msg = a.newRequest("MESSAGE", B, {
      body: "forged",
      contentType: "text/plain",
      headers: [["P-Asserted-Identity", "<sip:boss@domain.imsprovider.org>"], ["P-Preferred-Identity", "<sip:boss@domain.imsprovider.org>"]],
    });
    await a.send(msg).final;
    const [toS] = c.requests(callIdOf(msg), "MESSAGE", c.p, c.s);
    expect(toS).toBeDefined();
    expect(getHeaders(toS!, "p-asserted-identity")).toEqual([`<${A}>`]);
    expect(getHeaders(toS!, "p-preferred-identity")).toEqual([]);
    expect(routeList(toS!, "route")).toEqual(a.serviceRoute);
  });

  it("a request from a UE that is not registered gets 403 and goes no further", async () => {
    const z = await c.ue("a", "apass");
    const invite = z.newRequest("INVITE", B);
    const res = await z.send(invite).final;
    expect(res.status).toBe(403);
    expect(c.hops(callIdOf(invite), c.p, c.s)).toHaveLength(0);
    const msg = z.newRequest("MESSAGE", B, { body: "x", contentType: "text/plain" });
    expect((await z.send(msg).final).status).toBe(403);
  });
});
