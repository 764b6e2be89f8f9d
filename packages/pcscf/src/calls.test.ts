import { type SipRequest, addHeader, buildRequest, getHeaders, getPChargingVector, settle } from "@ims/sip";
import { describe, expect, it } from "vitest";
import { DOMAIN, SERVICE_ROUTE, harness } from "./testing/harness.js";

const A = { ue: "127.5.3.121", pcscf: "127.5.3.43", icscf: "127.5.3.65", scscf: "127.5.3.21" };
const RR = `<sip:${A.pcscf}:5060;lr>`;

/** The requests the P-CSCF sent to the fake S-CSCF, as they went over the wire. */
const sentToS = (t: ReturnType<typeof harness>): SipRequest[] =>
  t.net.sent.filter((r) => r.from.address === A.pcscf && r.to.address === A.scscf && r.message.kind === "request").map((r) => r.message as SipRequest);

const invite = (headers: [string, string][] = [], routes = [`<sip:${A.pcscf}:5060;lr>`, SERVICE_ROUTE]) =>
  buildRequest({
    method: "INVITE",
    uri: `sip:b@${DOMAIN}`,
    from: `<sip:a@${DOMAIN}>`,
    to: `<sip:b@${DOMAIN}>`,
    contact: `<sip:a@10.0.0.5:5060>`,
    routes,
    headers,
  });

describe("P-CSCF originating requests", () => {
  it("asserts the default identity, Record-Routes, and routes by the stored Service-Route whatever the UE preloaded", async () => {
    const t = harness(A);
    t.scscf!.onRequest((ctx) => void ctx.respond(486));
    await t.registerFully({ contact: "<sip:a@10.0.0.5:5060>", expires: 600 });
    const res = await t.ue.sendRequest(
      invite([["P-Asserted-Identity", "<sip:boss@domain.imsprovider.org>"]], [`<sip:${A.pcscf}:5060;lr>`, "<sip:evil.example.com;lr>"]),
      { destination: t.toP },
    );
    expect(res.status).toBe(486);
    const out = sentToS(t)[0]!;
    expect(out.uri).toBe(`sip:b@${DOMAIN}`);
    expect(getHeaders(out, "route")).toEqual([SERVICE_ROUTE]);
    expect(getHeaders(out, "record-route")).toEqual([RR]);
    expect(getHeaders(out, "p-asserted-identity")).toEqual([`<sip:a@${DOMAIN}>`]);
    expect(getPChargingVector(out)?.icidValue).toBe("icid-1");
  });

  it("asserts a P-Preferred-Identity only when it is one of the registered IMPUs", async () => {
    const t = harness(A);
    t.scscf!.onRequest((ctx) => void ctx.respond(486));
    await t.registerFully({ expires: 600 });
    await t.ue.sendRequest(invite([["P-Preferred-Identity", "<tel:+34600000001>"]]), { destination: t.toP });
    await t.ue.sendRequest(invite([["P-Preferred-Identity", "<sip:boss@domain.imsprovider.org>"]]), { destination: t.toP });
    const [tel, boss] = sentToS(t).filter((r) => r.method === "INVITE");
    expect(getHeaders(tel!, "p-asserted-identity")).toEqual(["<tel:+34600000001>"]);
    expect(getHeaders(tel!, "p-preferred-identity")).toEqual([]);
    expect(getHeaders(boss!, "p-asserted-identity")).toEqual([`<sip:a@${DOMAIN}>`]);
  });

  it("forwards a request inside a dialog along its Route set, without a new Record-Route", async () => {
    const t = harness(A);
    t.scscf!.onRequest((ctx) => void ctx.respond(200));
    await t.registerFully({ expires: 600 });
    const bye = buildRequest({
      method: "BYE",
      uri: "sip:b@127.5.3.222:5577",
      from: `<sip:a@${DOMAIN}>`,
      to: `<sip:b@${DOMAIN}>;tag=b1`,
      routes: [RR, `<sip:${A.scscf}:6060;lr>`],
    });
    expect((await t.ue.sendRequest(bye, { destination: t.toP })).status).toBe(200);
    const out = sentToS(t)[0]!;
    expect(getHeaders(out, "record-route")).toEqual([]);
    expect(getHeaders(out, "route")).toEqual([`<sip:${A.scscf}:6060;lr>`]);
  });
});

describe("P-CSCF terminating requests", () => {
  it("sends a request that came over the Path to where the UE really is, with Record-Route and no charging headers", async () => {
    const t = harness(A);
    await t.registerFully({ contact: "<sip:a@10.0.0.5:5060>", expires: 600 });
    const atUe: SipRequest[] = [];
    t.ue.onRequest((ctx) => {
      atUe.push(ctx.request);
      ctx.respond(180);
      ctx.respond(486);
    });
    const res = await t.scscf!.sendRequest(
      buildRequest({
        method: "INVITE",
        uri: "sip:a@10.0.0.5:5060",
        from: `<sip:b@${DOMAIN}>`,
        to: `<sip:a@${DOMAIN}>`,
        routes: [`<sip:term@${A.pcscf}:5060;lr>`],
        headers: [
          ["P-Charging-Vector", "icid-value=abc;orig-ioi=home"],
          ["P-Charging-Function-Addresses", "ccf=192.0.2.10"],
        ],
      }),
    );
    expect(res.status).toBe(486);
    expect(atUe).toHaveLength(1);
    expect(getHeaders(atUe[0]!, "p-charging-vector")).toEqual([]);
    expect(getHeaders(atUe[0]!, "p-charging-function-addresses")).toEqual([]);
    expect(atUe[0]!.uri).toBe("sip:a@10.0.0.5:5060");
    expect(getHeaders(atUe[0]!, "record-route")).toEqual([RR]);
    expect(getHeaders(atUe[0]!, "route")).toEqual([]);
  });

  it("sends an ACK for a 2xx with no Route left to where the UE really is", async () => {
    const t = harness(A);
    await t.registerFully({ contact: "<sip:a@10.0.0.5:5060>", expires: 600 });
    const ack = buildRequest({ method: "ACK", uri: "sip:a@10.0.0.5:5060", from: `<sip:b@${DOMAIN}>`, to: `<sip:a@${DOMAIN}>;tag=a1`, routes: [RR] });
    addHeader(ack, "Via", `SIP/2.0/UDP ${A.scscf}:6060;branch=z9hG4bK-ack1;rport`, "first");
    await t.scscf!.transport.send(ack, { transport: "udp", address: A.pcscf, port: 5060 });
    await settle();
    const out = t.net.sent.filter((r) => r.from.address === A.pcscf && r.message.kind === "request" && r.message.method === "ACK");
    expect(out.map((r) => `${r.to.transport}:${r.to.address}:${r.to.port}`)).toEqual([`udp:${A.ue}:5566`]);
  });

  it("refuses a request from the core for a contact nobody registered here", async () => {
    const t = harness(A);
    const res = await t.scscf!.sendRequest(
      buildRequest({ method: "MESSAGE", uri: "sip:x@10.0.0.9", from: `<sip:b@${DOMAIN}>`, to: `<sip:x@${DOMAIN}>`, routes: [`<sip:term@${A.pcscf}:5060;lr>`] }),
    );
    expect(res.status).toBe(403);
    await settle();
  });
});
