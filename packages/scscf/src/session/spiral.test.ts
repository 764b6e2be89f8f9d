import { SESSION_CASES } from "@ims/ims";
import { addHeader, buildRequest, getHeaders, settle } from "@ims/sip";
import { describe, expect, it } from "vitest";
import { ADDR, DOMAIN, PATH, RR, SCSCF_URI, ifc, originating, registerUser, sessionHarness } from "../testing/session-harness.js";

const A = `sip:a@${DOMAIN}`;
const B = `sip:b@${DOMAIN}`;
const B1 = "sip:b@127.5.6.222:5577";

/** The lab: caller and callee on the same S-CSCF, the I-CSCF sending the request back to it (a spiral, not a loop). */
function lab(ifcs: { a?: Parameters<typeof ifc>[]; b?: Parameters<typeof ifc>[] } = {}) {
  const h = sessionHarness();
  registerUser(h, A, [{ contact: "sip:a@127.5.6.111:5566" }], (ifcs.a ?? []).map((p) => ifc(...p)));
  registerUser(h, B, [{ contact: B1, path: [PATH] }], (ifcs.b ?? []).map((p) => ifc(...p)));
  // The I-CSCF after its LIR: on to the S-CSCF the HSS named.
  h.icscf.answer = async (ctx) => void (await ctx.forward({ routes: [`<${SCSCF_URI};lr>`] }));
  return h;
}

describe("S-CSCF originating and terminating for one call (the lab's flow)", () => {
  it("P → S orig → I → S term → P: the second pass is a spiral, the callee is reached along its Path", async () => {
    const h = lab();
    const res = await h.fromP(originating("INVITE", B));
    expect(res.status).toBe(200);
    const [out] = h.sent(ADDR.scscf, ADDR.pcscf);
    expect(out?.uri).toBe(B1);
    expect(getHeaders(out!, "route")).toEqual([PATH]);
    // Both passes Record-Route; the dialog's route set names the S-CSCF twice.
    expect(getHeaders(out!, "record-route")).toEqual([RR, RR, "<sip:pcscf1.domain.imsprovider.org:5060;lr>"]);
    expect(getHeaders(out!, "p-asserted-identity")).toEqual([`<${A}>`]);
  });

  it("with an originating and a terminating AS on the way", async () => {
    const h = lab({ a: [[1, `sip:${ADDR.as}:5070`, SESSION_CASES.ORIGINATING_SESSION]], b: [[1, `sip:${ADDR.as2}:5070`, SESSION_CASES.TERMINATING_REGISTERED]] });
    for (const p of [h.as, h.as2]) p.answer = async (ctx) => void (await ctx.forward({}));
    const res = await h.fromP(originating("MESSAGE", B));
    expect(res.status).toBe(200);
    const order = h.net.sent.filter((r) => r.from.address === ADDR.scscf && r.message.kind === "request").map((r) => r.to.address);
    expect(order).toEqual([ADDR.as, ADDR.icscf, ADDR.as2, ADDR.pcscf]);
  });

  it("an ACK for the 2xx and a BYE follow the route set through both passes' Record-Routes", async () => {
    const h = lab();
    const inDialog = (method: string) =>
      buildRequest({
        method,
        uri: B1,
        from: `<${A}>`,
        fromTag: "a1",
        to: `<${B}>;tag=b1`,
        callId: "call-1",
        cseq: 1,
        routes: [RR, RR, "<sip:pcscf1.domain.imsprovider.org:5060;lr>"],
      });
    const ack = inDialog("ACK");
    addHeader(ack, "Via", `SIP/2.0/UDP ${ADDR.pcscf}:5060;branch=z9hG4bKack1;rport`, "first");
    await h.pcscf.stack.transport.send(ack, h.toS);
    await settle(40);
    expect(h.sent(ADDR.scscf, ADDR.pcscf).map((r) => r.method)).toEqual(["ACK"]);
    expect((await h.fromP(inDialog("BYE"))).status).toBe(200);
    const bye = h.sent(ADDR.scscf, ADDR.pcscf).find((r) => r.method === "BYE");
    expect(bye?.uri).toBe(B1);
    expect(getHeaders(bye!, "record-route")).toEqual([]);
  });
});
