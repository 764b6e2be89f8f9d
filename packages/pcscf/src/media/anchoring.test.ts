import { type Result, err, ok } from "@ims/runtime";
import { type SipRequest, type SipResponse, addHeader, buildRequest, settle } from "@ims/sip";
import { describe, expect, it } from "vitest";
import { DOMAIN, SERVICE_ROUTE, harness } from "../testing/harness.js";
import type { MediaAnchor, MediaAnchorError, MediaSessionIds } from "./anchor.js";

const A = { ue: "127.5.70.121", pcscf: "127.5.70.43", icscf: "127.5.70.65", scscf: "127.5.70.21" };
const RR = `<sip:${A.pcscf}:5060;lr>`;
const SDP = "application/sdp";
const UE_SDP = "v=0\r\no=a 1 1 IN IP4 10.0.0.5\r\ns=-\r\nc=IN IP4 10.0.0.5\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n";
const FAR_SDP = "v=0\r\no=b 1 1 IN IP4 10.0.0.9\r\ns=-\r\nc=IN IP4 10.0.0.9\r\nt=0 0\r\nm=audio 5000 RTP/AVP 0\r\n";

type Call = { readonly op: "offer" | "answer" | "delete"; readonly ids: MediaSessionIds; readonly sdp?: string };

/** A relay that marks the SDP it returns with the operation and session, or fails when told to. */
function fakeAnchor() {
  const calls: Call[] = [];
  let failing = false;
  const mark = (op: string, ids: MediaSessionIds, sdp: string): Result<string, MediaAnchorError> =>
    failing ? err({ tag: "unavailable", reason: "no reply" }) : ok(sdp.replace(/c=IN IP4 [0-9.]+/, "c=IN IP4 127.5.70.88") + `a=relayed:${op}:${ids.callId}\r\n`);
  const anchor: MediaAnchor = {
    offer: async (ids, sdp) => (calls.push({ op: "offer", ids, sdp }), mark("offer", ids, sdp)),
    answer: async (ids, sdp) => (calls.push({ op: "answer", ids, sdp }), mark("answer", ids, sdp)),
    delete: async (ids) => (calls.push({ op: "delete", ids }), failing ? err({ tag: "unavailable", reason: "no reply" }) : ok(undefined)),
  };
  return { anchor, calls, fail: () => (failing = true) };
}

const invite = (o: { sdp?: boolean; callId?: string } = {}) =>
  buildRequest({
    method: "INVITE",
    uri: `sip:b@${DOMAIN}`,
    from: `<sip:a@${DOMAIN}>`, fromTag: "a1",
    to: `<sip:b@${DOMAIN}>`,
    callId: o.callId ?? "call-1",
    contact: `<sip:a@${A.ue}:5566>`,
    routes: [RR, SERVICE_ROUTE],
    ...(o.sdp === false ? {} : { body: UE_SDP, contentType: SDP }),
  });

async function setup() {
  const relay = fakeAnchor();
  const t = harness(A, { media: relay.anchor });
  await t.registerFully({ expires: 600 });
  const atS: SipRequest[] = [];
  return { t, relay, atS };
}

/** The UE's INVITE; returns the provisionals and final it received. */
async function call(t: Awaited<ReturnType<typeof setup>>["t"], req: SipRequest) {
  const provisionals: SipResponse[] = [];
  const out = t.ue.request(req, { destination: t.toP, onResponse: (r) => void (r.status < 200 && r.status > 100 && provisionals.push(r)) });
  const final = await out.final;
  await settle();
  return { provisionals, final };
}

describe("P-CSCF media anchoring (originating)", () => {
  it("rewrites the INVITE's offer and the answers in 183 and 200 through the relay", async () => {
    const { t, relay, atS } = await setup();
    t.scscf!.onRequest((ctx) => {
      atS.push(ctx.request);
      ctx.respond(183, { body: FAR_SDP, contentType: SDP });
      ctx.respond(200, { body: FAR_SDP, contentType: SDP });
    });
    const { provisionals, final } = await call(t, invite());
    expect(atS[0]!.body.toString()).toContain("a=relayed:offer:call-1");
    expect(atS[0]!.body.toString()).toContain("c=IN IP4 127.5.70.88");
    expect(provisionals.map((r) => r.status)).toEqual([183]);
    expect(provisionals[0]!.body.toString()).toContain("a=relayed:answer:call-1");
    expect(final.status).toBe(200);
    expect(final.body.toString()).toContain("a=relayed:answer:call-1");
    expect(final.body.toString()).not.toContain("c=IN IP4 10.0.0.9");
    // The 200 repeats the 183's answer SDP: it is rewritten from the cache, after the 183's answer
    // came back (the proxy holds it until then), without a second relay call.
    expect(relay.calls.map((c) => `${c.op}:${c.ids.callId}:${c.ids.fromTag}:${c.ids.toTag ?? ""}`)).toEqual([
      "offer:call-1:a1:",
      expect.stringMatching(/^answer:call-1:a1:.+/),
    ]);
    // The callee's retransmitted 200 (no ACK yet) passes rewritten from the cache too.
    t.clock.advance(500);
    await settle();
    expect(relay.calls).toHaveLength(2);
  });

  it("keeps the order of responses: a 180 after a 183 held for the relay does not overtake it", async () => {
    const { t } = await setup();
    t.scscf!.onRequest((ctx) => {
      ctx.respond(183, { body: FAR_SDP, contentType: SDP });
      ctx.respond(180);
      ctx.respond(200, { body: FAR_SDP, contentType: SDP });
    });
    const { provisionals, final } = await call(t, invite());
    expect(provisionals.map((r) => r.status)).toEqual([183, 180]);
    expect(final.status).toBe(200);
    expect(final.body.toString()).toContain("a=relayed:answer:call-1");
  });

  it("deletes the session on BYE, and only once", async () => {
    const { t, relay } = await setup();
    t.scscf!.onRequest((ctx) => void ctx.respond(200, { body: FAR_SDP, contentType: SDP }));
    const { final } = await call(t, invite());
    expect(final.status).toBe(200);
    const bye = buildRequest({ method: "BYE", uri: "sip:b@10.0.0.9:5060", from: `<sip:a@${DOMAIN}>`, fromTag: "a1", to: `<sip:b@${DOMAIN}>;tag=b1`, callId: "call-1", routes: [RR, `<sip:${A.scscf}:6060;lr>`] });
    expect((await t.ue.sendRequest(bye, { destination: t.toP })).status).toBe(200);
    await settle();
    expect(relay.calls.filter((c) => c.op === "delete").map((c) => c.ids.callId)).toEqual(["call-1"]);
    expect(t.pcscf.context.media?.size).toBe(0);
  });

  it("deletes the session when the INVITE fails", async () => {
    const { t, relay } = await setup();
    t.scscf!.onRequest((ctx) => void ctx.respond(486));
    expect((await call(t, invite())).final.status).toBe(486);
    expect(relay.calls.map((c) => c.op)).toEqual(["offer", "delete"]);
  });

  it("deletes the session when the INVITE is cancelled", async () => {
    const { t, relay } = await setup();
    t.scscf!.onRequest((ctx) => {
      ctx.respond(180);
      ctx.onCancel(() => ctx.respond(487));
    });
    const out = t.ue.request(invite(), { destination: t.toP, onResponse: (r) => void (r.status === 180 && out.cancel()) });
    expect((await out.final).status).toBe(487);
    await settle();
    expect(relay.calls.map((c) => c.op)).toEqual(["offer", "delete"]);
  });

  it("a late offer: the 200's offer and the ACK's answer go through the relay", async () => {
    const { t, relay } = await setup();
    t.scscf!.onRequest((ctx) => void ctx.respond(200, { body: FAR_SDP, contentType: SDP, headers: [["Record-Route", RR]] }));
    const req = invite({ sdp: false, callId: "late-1" });
    const { final } = await call(t, req);
    expect(final.body.toString()).toContain("a=relayed:offer:late-1");
    const to = final.headers.find((h) => /^to$/i.test(h.name))!.value;
    const ack = buildRequest({ method: "ACK", uri: "sip:b@10.0.0.9:5060", from: `<sip:a@${DOMAIN}>`, fromTag: "a1", to, callId: "late-1", routes: [RR, `<sip:${A.scscf}:6060;lr>`], body: UE_SDP, contentType: SDP });
    addHeader(ack, "Via", `SIP/2.0/UDP ${A.ue}:5566;branch=z9hG4bK-ack1;rport`, "first");
    await t.ue.transport.send(ack, t.toP);
    await settle();
    const acks = t.net.sent.filter((r) => r.from.address === A.pcscf && r.message.kind === "request" && r.message.method === "ACK");
    expect(acks).toHaveLength(1);
    expect(acks[0]!.message.body.toString()).toContain("a=relayed:answer:late-1");
    const answer = relay.calls.find((c) => c.op === "answer")!;
    expect(answer.ids.fromTag).toBe(relay.calls[0]!.ids.fromTag);
    expect(answer.ids.toTag).toBe("a1");
  });

  it("a failing relay leaves the SDP untouched and the call goes on", async () => {
    const { t, relay, atS } = await setup();
    relay.fail();
    t.scscf!.onRequest((ctx) => {
      atS.push(ctx.request);
      ctx.respond(200, { body: FAR_SDP, contentType: SDP });
    });
    const { final } = await call(t, invite());
    expect(final.status).toBe(200);
    expect(atS[0]!.body.toString()).toBe(UE_SDP);
    expect(final.body.toString()).toBe(FAR_SDP);
    expect(relay.calls.map((c) => c.op)).toEqual(["offer"]); // no answer for a session never anchored
  });

  it("a relay that does not answer is left alone for 30 s: new calls pass unanchored at once, then it is tried again", async () => {
    const { t, relay } = await setup();
    relay.fail();
    t.scscf!.onRequest((ctx) => void ctx.respond(486));
    await call(t, invite({ callId: "down-1" }));
    await call(t, invite({ callId: "down-2" }));
    expect(relay.calls.map((c) => c.ids.callId)).toEqual(["down-1"]);
    expect(t.pcscf.context.media?.relayDown).toBe(true);
    t.clock.advance(30_000);
    expect(t.pcscf.context.media?.relayDown).toBe(false);
    await call(t, invite({ callId: "down-3" }));
    expect(relay.calls.map((c) => c.ids.callId)).toEqual(["down-1", "down-3"]);
  });

  it("a re-INVITE's offer updates the same session", async () => {
    const { t, relay } = await setup();
    t.scscf!.onRequest((ctx) => void ctx.respond(200, { body: FAR_SDP, contentType: SDP }));
    await call(t, invite());
    const re = buildRequest({ method: "INVITE", uri: "sip:b@10.0.0.9:5060", from: `<sip:a@${DOMAIN}>`, fromTag: "a1", to: `<sip:b@${DOMAIN}>;tag=b1`, callId: "call-1", cseq: 2, routes: [RR, `<sip:${A.scscf}:6060;lr>`], body: UE_SDP.replace("4000", "4010"), contentType: SDP });
    const { final } = await call(t, re);
    expect(final.body.toString()).toContain("a=relayed:answer:call-1");
    expect(relay.calls.map((c) => `${c.op}:${c.ids.callId}`)).toEqual(["offer:call-1", "answer:call-1", "offer:call-1", "answer:call-1"]);
    expect(relay.calls[2]!.sdp).toContain("m=audio 4010");
  });

  it("an UPDATE's offer and its 200's answer go through the relay", async () => {
    const { t, relay } = await setup();
    t.scscf!.onRequest((ctx) => void ctx.respond(200, { body: FAR_SDP, contentType: SDP }));
    await call(t, invite());
    const update = buildRequest({ method: "UPDATE", uri: "sip:b@10.0.0.9:5060", from: `<sip:a@${DOMAIN}>`, fromTag: "a1", to: `<sip:b@${DOMAIN}>;tag=b1`, callId: "call-1", cseq: 3, routes: [RR, `<sip:${A.scscf}:6060;lr>`], body: UE_SDP, contentType: SDP });
    const res = await t.ue.sendRequest(update, { destination: t.toP });
    await settle();
    expect(res.status).toBe(200);
    expect(res.body.toString()).toContain("a=relayed:answer:call-1");
    expect(relay.calls.map((c) => c.op)).toEqual(["offer", "answer", "offer", "answer"]);
  });

  it("passes a message without SDP (or with another body) untouched", async () => {
    const { t, relay } = await setup();
    t.scscf!.onRequest((ctx) => void ctx.respond(200));
    const msg = buildRequest({ method: "MESSAGE", uri: `sip:b@${DOMAIN}`, from: `<sip:a@${DOMAIN}>`, fromTag: "a1", to: `<sip:b@${DOMAIN}>`, routes: [RR], body: "c=IN IP4 1.2.3.4", contentType: "text/plain" });
    expect((await t.ue.sendRequest(msg, { destination: t.toP })).status).toBe(200);
    expect(relay.calls).toEqual([]);
  });
});

describe("P-CSCF media anchoring (terminating)", () => {
  it("anchors under <call-id>-term: offer towards the UE, its answer towards the core, BYE deletes", async () => {
    const { t, relay } = await setup();
    const atUe: SipRequest[] = [];
    t.ue.onRequest((ctx) => {
      atUe.push(ctx.request);
      ctx.respond(200, { body: UE_SDP, contentType: SDP });
    });
    const res = await t.scscf!.sendRequest(
      buildRequest({ method: "INVITE", uri: `sip:a@${A.ue}:5566`, from: `<sip:b@${DOMAIN}>`, fromTag: "b1", to: `<sip:a@${DOMAIN}>`, callId: "call-2", routes: [`<sip:term@${A.pcscf}:5060;lr>`], body: FAR_SDP, contentType: SDP }),
    );
    await settle();
    expect(atUe[0]!.body.toString()).toContain("a=relayed:offer:call-2-term");
    expect(res.status).toBe(200);
    expect(res.body.toString()).toContain("a=relayed:answer:call-2-term");
    const bye = buildRequest({ method: "BYE", uri: `sip:a@${A.ue}:5566`, from: `<sip:b@${DOMAIN}>`, fromTag: "b1", to: `<sip:a@${DOMAIN}>;tag=x`, callId: "call-2", routes: [RR] });
    expect((await t.scscf!.sendRequest(bye)).status).toBe(200);
    await settle();
    expect(relay.calls.map((c) => `${c.op}:${c.ids.callId}`)).toEqual(["offer:call-2-term", "answer:call-2-term", "delete:call-2-term"]);
  });
});
