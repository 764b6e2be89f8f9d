import { SESSION_CASES } from "@ims/ims";
import { getHeaders, settle } from "@ims/sip";
import { describe, expect, it } from "vitest";
import { saa } from "../cx/fake-cx-client.js";
import { cxSuccess, serializeUserData } from "@ims/ims";
import { ADDR, DOMAIN, ICSCF_URI, ifc, originating, registerUser, sessionHarness, terminating } from "../testing/session-harness.js";

const A = `sip:a@${DOMAIN}`;
const B = `sip:b@${DOMAIN}`;
const AS = `sip:${ADDR.as}:5070`;
const AS2 = `sip:${ADDR.as2}:5070`;
const { ORIGINATING_SESSION: ORIG, TERMINATING_REGISTERED: TERM, TERMINATING_UNREGISTERED: UNREG } = SESSION_CASES;

/** An AS acting as a proxy: sends the request back along its Route (our ODI). */
const proxyAs = (h: ReturnType<typeof sessionHarness>, which: "as" | "as2" = "as") => {
  h[which].answer = async (ctx) => void (await ctx.forward({}));
};

const odiOf = (route: string) => /;odi=([0-9a-f]+)/.exec(route)?.[1];

describe("S-CSCF iFC routing to application servers (TS 24.229 §5.4.3.2 step 4, TS 23.218 §6)", () => {
  it("sends a matching originating request to the AS with an ODI Route, and on to the I-CSCF once it comes back", async () => {
    const h = sessionHarness();
    registerUser(h, A, [{}], [ifc(1, AS, ORIG)]);
    proxyAs(h);
    const res = await h.fromP(originating("INVITE", B));
    expect(res.status).toBe(200);
    const [toAs] = h.sent(ADDR.scscf, ADDR.as);
    const routes = getHeaders(toAs!, "route");
    expect(routes[0]).toBe(`<${AS};lr>`);
    expect(routes[1]).toMatch(/^<sip:scscf1\.domain\.imsprovider\.org:6060;lr;odi=[0-9a-f]{16}>$/);
    expect(getHeaders(toAs!, "record-route")).toEqual(["<sip:pcscf1.domain.imsprovider.org:5060;lr>"]);
    expect(getHeaders(toAs!, "p-served-user")).toEqual([`<${A}>;sescase=orig;regstate=reg`]);
    const [back] = h.sent(ADDR.as, ADDR.scscf);
    expect(odiOf(getHeaders(back!, "route")[0]!)).toBe(odiOf(routes[1]!));
    const [out] = h.sent(ADDR.scscf, ADDR.icscf);
    expect(getHeaders(out!, "route")).toEqual([`<${ICSCF_URI};lr>`]);
    // Record-Route once, on the way out; P-Asserted-Identity kept through the AS.
    expect(getHeaders(out!, "record-route").filter((r) => r.includes("scscf1"))).toHaveLength(1);
    expect(getHeaders(out!, "p-asserted-identity")).toEqual([`<${A}>`]);
    expect(getHeaders(out!, "p-served-user")).toEqual([]);
  });

  it("runs the iFCs in priority order, each AS once, then routes on", async () => {
    const h = sessionHarness();
    registerUser(h, A, [{}], [ifc(20, AS2, ORIG), ifc(10, AS, ORIG)]);
    proxyAs(h, "as");
    proxyAs(h, "as2");
    expect((await h.fromP(originating("MESSAGE", B))).status).toBe(200);
    const order = h.net.sent.filter((r) => r.from.address === ADDR.scscf && r.message.kind === "request").map((r) => r.to.address);
    expect(order).toEqual([ADDR.as, ADDR.as2, ADDR.icscf]);
  });

  it("skips iFCs whose trigger does not match (method, session case)", async () => {
    const h = sessionHarness();
    registerUser(h, A, [{}], [ifc(1, AS, ORIG, ["INVITE"]), ifc(2, AS2, TERM)]);
    expect((await h.fromP(originating("MESSAGE", B))).status).toBe(200);
    expect(h.as.got).toHaveLength(0);
    expect(h.as2.got).toHaveLength(0);
    expect(h.icscf.got).toHaveLength(1);
  });

  it("default handling SESSION_CONTINUED: a 5xx from the AS and the request goes on as if it had come back", async () => {
    const h = sessionHarness();
    registerUser(h, A, [{}], [ifc(1, AS, ORIG, ["MESSAGE"], 0)]);
    h.as.answer = (ctx) => void ctx.respond(500);
    expect((await h.fromP(originating("MESSAGE", B))).status).toBe(200);
    expect(h.as.got).toHaveLength(1);
    expect(h.icscf.got).toHaveLength(1);
  });

  it("default handling SESSION_TERMINATED: the AS's error is the answer", async () => {
    const h = sessionHarness();
    registerUser(h, A, [{}], [ifc(1, AS, ORIG, ["MESSAGE"], 1)]);
    h.as.answer = (ctx) => void ctx.respond(503);
    const res = await h.fromP(originating("MESSAGE", B));
    expect(res.status).toBe(500); // RFC 3261 §16.7: a proxy turns 503 into 500
    expect(h.icscf.got).toHaveLength(0);
  });

  it("an AS that never answers an INVITE counts as failed after asTimeoutMs (SESSION_CONTINUED)", async () => {
    const h = sessionHarness();
    registerUser(h, A, [{}], [ifc(1, AS, ORIG, ["INVITE"], 0)]);
    h.net.filter = (r) => r.to.address !== ADDR.as;
    const pending = h.fromP(originating("INVITE", B));
    await settle();
    expect(h.icscf.got).toHaveLength(0);
    h.clock.advance(5_000);
    await settle(60);
    expect((await pending).status).toBe(200);
    expect(h.icscf.got).toHaveLength(1);
  });

  it("a final error relayed by the AS after it sent the request back is not retried", async () => {
    const h = sessionHarness();
    registerUser(h, A, [{}], [ifc(1, AS, ORIG, ["MESSAGE"], 0)]);
    proxyAs(h);
    h.icscf.answer = (ctx) => void ctx.respond(500);
    expect((await h.fromP(originating("MESSAGE", B))).status).toBe(500);
    expect(h.icscf.got).toHaveLength(1);
  });

  it("terminating iFCs run before the contacts", async () => {
    const h = sessionHarness();
    registerUser(h, B, [{ contact: "sip:b@127.5.6.222:5577" }], [ifc(1, AS, TERM), ifc(2, AS2, ORIG)]);
    proxyAs(h);
    expect((await h.fromI(terminating("INVITE", B))).status).toBe(200);
    const order = h.net.sent.filter((r) => r.from.address === ADDR.scscf && r.message.kind === "request").map((r) => r.to.address);
    expect(order).toEqual([ADDR.as, ADDR.pcscf]);
    expect(h.pcscf.got[0]?.uri).toBe("sip:b@127.5.6.222:5577");
    expect(getHeaders(h.as.got[0]!, "p-served-user")).toEqual([`<${B}>;sescase=term;regstate=reg`]);
  });

  it("services for an unregistered user: its unregistered iFCs from the SAA route to the AS (voicemail)", async () => {
    const h = sessionHarness();
    const userData = serializeUserData({
      privateId: `b@${DOMAIN}`,
      serviceProfiles: [{ publicIdentities: [{ identity: B }], initialFilterCriteria: [ifc(1, AS, UNREG)] }],
    });
    h.cx.onSar = () => ({ ok: true, value: saa(cxSuccess, userData) });
    h.as.answer = (ctx) => {
      expect(getHeaders(ctx.request, "p-served-user")).toEqual([`<${B}>;sescase=term;regstate=unreg`]);
      ctx.respond(200, { reason: "Voicemail" });
    };
    const res = await h.fromI(terminating("INVITE", B));
    expect([res.status, res.reason]).toEqual([200, "Voicemail"]);
    expect(h.as.got).toHaveLength(1);
  });

  it("an unregistered user's request that comes back from the AS ends in 480", async () => {
    const h = sessionHarness();
    const userData = serializeUserData({
      privateId: `b@${DOMAIN}`,
      serviceProfiles: [{ publicIdentities: [{ identity: B }], initialFilterCriteria: [ifc(1, AS, UNREG)] }],
    });
    h.cx.onSar = () => ({ ok: true, value: saa(cxSuccess, userData) });
    proxyAs(h);
    expect((await h.fromI(terminating("MESSAGE", B))).status).toBe(480);
    expect(h.as.got).toHaveLength(1);
  });

  it("a request with an ODI we never issued: 400", async () => {
    const h = sessionHarness();
    const req = terminating("MESSAGE", B);
    req.headers = req.headers.map((x) => (x.name === "Route" ? { name: "Route", value: "<sip:scscf1.domain.imsprovider.org:6060;lr;odi=deadbeef>" } : x));
    expect((await h.fromI(req)).status).toBe(400);
  });
});
