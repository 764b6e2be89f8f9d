import { CX_EXPERIMENTAL_RESULT, SERVER_ASSIGNMENT_TYPE, experimentalResult } from "@ims/ims";
import { getHeader, getHeaders, settle } from "@ims/sip";
import { describe, expect, it } from "vitest";
import { saa } from "../cx/fake-cx-client.js";
import { ADDR, DOMAIN, PATH, RR, registerUser, sessionHarness, terminating } from "../testing/session-harness.js";

const B = `sip:b@${DOMAIN}`;
const B1 = "sip:b@127.5.6.222:5577";
const B2 = "sip:b@127.5.6.223:5577";

describe("S-CSCF terminating requests (TS 24.229 §5.4.3.3)", () => {
  it("sends the request to the contact along its stored Path (resolved by DNS), with Record-Route and P-Called-Party-ID", async () => {
    const h = sessionHarness();
    registerUser(h, B, [{ contact: B1, path: [PATH] }]);
    const res = await h.fromI(terminating("INVITE", B));
    expect(res.status).toBe(200);
    const [out] = h.sent(ADDR.scscf, ADDR.pcscf);
    expect(out?.uri).toBe(B1);
    expect(getHeaders(out!, "route")).toEqual([PATH]);
    expect(getHeaders(out!, "record-route")).toEqual([RR]);
    expect(getHeader(out!, "p-called-party-id")).toBe(`<${B}>`);
    expect(getHeaders(out!, "p-asserted-identity")).toEqual([`<sip:a@${DOMAIN}>`]);
    expect(h.asked).toContain("pcscf1.domain.imsprovider.org");
  });

  it("forks in parallel to every contact of one q; the 200 wins over a 486", async () => {
    const h = sessionHarness();
    registerUser(h, B, [{ contact: B1 }, { contact: B2 }]);
    h.pcscf.answer = (ctx) => void ctx.respond(ctx.request.uri === B1 ? 486 : 200);
    const res = await h.fromI(terminating("INVITE", B));
    expect(res.status).toBe(200);
    expect(h.pcscf.got.map((r) => r.uri).sort()).toEqual([B1, B2]);
  });

  it("with different q values tries the contacts one after the other, highest q first", async () => {
    const h = sessionHarness();
    registerUser(h, B, [{ contact: B2, q: 0.5 }, { contact: B1, q: 1 }]);
    // B1 (q=1) answers 480 only after 1 s: B2 must not be tried before that.
    h.pcscf.answer = (ctx) => {
      if (ctx.request.uri === B1) h.clock.setTimer(1_000, () => void ctx.respond(480));
      else ctx.respond(200);
    };
    const pending = h.fromI(terminating("MESSAGE", B));
    await settle(60);
    expect(h.pcscf.got.map((r) => r.uri)).toEqual([B1]);
    h.clock.advance(1_000);
    expect((await pending).status).toBe(200);
    expect(h.pcscf.got.map((r) => r.uri)).toEqual([B1, B2]);
  });

  it("delivers a MESSAGE (RFC 3428) and relays the contact's final answer", async () => {
    const h = sessionHarness();
    registerUser(h, B, [{ contact: B1 }]);
    h.pcscf.answer = (ctx) => void ctx.respond(202);
    expect((await h.fromI(terminating("MESSAGE", B))).status).toBe(202);
    expect(h.pcscf.got[0]?.method).toBe("MESSAGE");
  });

  it("not registered and no services for unregistered users: SAR UNREGISTERED_USER, then 480", async () => {
    const h = sessionHarness();
    const res = await h.fromI(terminating("INVITE", B));
    expect(res.status).toBe(480);
    expect(h.cx.sars.map((s) => [s.publicIdentities, s.serverAssignmentType, s.serverName])).toEqual([
      [[B], SERVER_ASSIGNMENT_TYPE.UNREGISTERED_USER, "sip:scscf1.domain.imsprovider.org:6060"],
    ]);
    expect(h.pcscf.got).toHaveLength(0);
  });

  it("an identity the HSS does not know: 404; an HSS that does not answer: 504", async () => {
    const h = sessionHarness();
    h.cx.onSar = () => ({ ok: true, value: saa(experimentalResult(CX_EXPERIMENTAL_RESULT.ERROR_USER_UNKNOWN)) });
    expect((await h.fromI(terminating("MESSAGE", `sip:nobody@${DOMAIN}`))).status).toBe(404);
    h.cx.onSar = () => ({ ok: false, error: { tag: "cx-timeout", reason: "no answer" } });
    expect((await h.fromI(terminating("MESSAGE", B))).status).toBe(504);
  });

  it("once its only binding expired the user is no longer reachable: 480", async () => {
    const h = sessionHarness();
    registerUser(h, B, [{ contact: B1 }]);
    h.clock.advance(600_001);
    expect((await h.fromI(terminating("MESSAGE", B))).status).toBe(480);
    expect(h.pcscf.got).toHaveLength(0);
  });

  it("a Request-URI that is no SIP or tel URI: 416", async () => {
    const h = sessionHarness();
    expect((await h.fromI(terminating("MESSAGE", "mailto:b@example.com"))).status).toBe(416);
  });

  it("a CANCEL from upstream reaches every ringing branch; the caller gets 487", async () => {
    const h = sessionHarness();
    registerUser(h, B, [{ contact: B1 }, { contact: B2 }]);
    let cancelled = 0;
    h.pcscf.answer = (ctx) => {
      ctx.respond(180);
      ctx.onCancel(() => {
        cancelled++;
        ctx.respond(487);
      });
    };
    const out = h.icscf.stack.request(terminating("INVITE", B), { destination: h.toS });
    await settle(60);
    expect(h.pcscf.got).toHaveLength(2);
    out.cancel();
    expect((await out.final).status).toBe(487);
    expect(cancelled).toBe(2);
  });

  it("a reg-event SUBSCRIBE (we are not its notifier yet) is refused with 489, not forked to the user's own contacts", async () => {
    const h = sessionHarness();
    registerUser(h, B, [{ contact: B1 }]);
    const sub = terminating("SUBSCRIBE", B);
    sub.headers.push({ name: "Event", value: "reg" });
    expect((await h.fromI(sub)).status).toBe(489);
    expect(h.pcscf.got).toHaveLength(0);
  });
});
