/**
 * The SIP trust domain (TS 24.229 §4.4, RFC 3325): a UE that skips its P-CSCF and talks to the
 * S-CSCF or the I-CSCF directly cannot originate as, or assert the identity of, another user.
 */
import { NetTransport, SipStack, buildRequest, getHeaders } from "@ims/sip";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CallLab, startCallLab } from "../calls/call-lab.js";
import type { CallUe } from "../support/call-ue.js";

const NET = 68;
let c: CallLab;
let b: CallUe;
let rogue: SipStack;
let rogueTransport: NetTransport;

beforeAll(async () => {
  c = await startCallLab(NET);
  b = await c.registered("b", "bpass");
  rogueTransport = await NetTransport.open({ address: `127.5.${NET}.250`, port: 5060 });
  rogue = new SipStack({ transport: rogueTransport });
});
afterAll(async () => {
  await rogueTransport?.close();
  await c?.stop();
});

const DOMAIN = "domain.imsprovider.org";
const spoofed = (routes: string[]) =>
  buildRequest({
    method: "MESSAGE",
    uri: `sip:b@${DOMAIN}`,
    from: `<sip:a@${DOMAIN}>`,
    to: `<sip:b@${DOMAIN}>`,
    routes,
    headers: [["P-Asserted-Identity", `<sip:a@${DOMAIN}>`]],
    body: "I am a",
    contentType: "text/plain",
  });

describe("trust domain", () => {
  it("the S-CSCF refuses an originating request that did not come through a P-CSCF", async () => {
    const s = c.lab.config.scscf[0]!;
    const res = await rogue.sendRequest(spoofed([`<sip:orig@scscf1.${DOMAIN}:${s.port};lr>`]), {
      destination: { transport: "udp", address: s.address, port: s.port },
    });
    expect(res.status).toBe(403);
  });

  it("the I-CSCF removes a P-Asserted-Identity sent from outside before the request reaches the user", async () => {
    const i = c.lab.config.icscf;
    const msg = spoofed([]);
    const delivered = b.waitForMethod("MESSAGE", undefined, 5_000);
    const res = await rogue.sendRequest(msg, { destination: { transport: "udp", address: i.address, port: i.port } });
    expect(res.status).toBe(200);
    expect(getHeaders(await delivered, "p-asserted-identity")).toEqual([]);
  });
});
