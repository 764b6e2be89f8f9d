import { describe, expect, it } from "vitest";
import { FakeClock, silentLogger } from "@ims/runtime";
import { FakeNetwork, SipStack, buildRequest, getHeader, getHeaders } from "@ims/sip";
import { Harness, IMPI, IMPU } from "./testing/registrar-harness.js";
import { answerChallenge, registerRequest } from "./testing/ue-client.js";
import { createRouter } from "./router.js";

/** The S-CSCF's SIP side on an in-memory network, with an I-CSCF-like peer sending to it. */
function setup() {
  const h = new Harness();
  const net = new FakeNetwork();
  const clock = h.clock;
  const scscf = new SipStack({ transport: net.transport("127.0.0.11", 6060), clock, logger: silentLogger() });
  scscf.onRequest(createRouter(h.ctx, silentLogger()));
  const icscf = new SipStack({ transport: net.transport("127.0.0.55", 4060), clock: new FakeClock(), logger: silentLogger() });
  const dest = { transport: "udp", address: "127.0.0.11", port: 6060 } as const;
  return { h, net, icscf, dest };
}

describe("S-CSCF request routing over SIP", () => {
  it("a REGISTER exchange over the wire: 401 then 200 with the registrar's headers", async () => {
    const { h, icscf, dest } = setup();
    const req = registerRequest({ impu: IMPU, path: ["<sip:term@pcscf1.domain.imsprovider.org;lr>"] });
    req.headers = req.headers.filter((x) => x.name !== "Via");
    const first = await icscf.sendRequest(req, { destination: dest });
    expect(first.status).toBe(401);
    const www = getHeader(first, "WWW-Authenticate") ?? "";
    const again = registerRequest({
      impu: IMPU,
      cseq: 2,
      path: ["<sip:term@pcscf1.domain.imsprovider.org;lr>"],
      authorization: answerChallenge(www, { username: IMPI, secret: "apass" }),
    });
    again.headers = again.headers.filter((x) => x.name !== "Via");
    const ok = await icscf.sendRequest(again, { destination: dest });
    expect(ok.status).toBe(200);
    expect(getHeaders(ok, "Path")).toEqual(["<sip:term@pcscf1.domain.imsprovider.org;lr>"]);
    expect(getHeader(ok, "Service-Route")).toBe("<sip:orig@scscf1.domain.imsprovider.org:6060;lr>");
    expect(getHeader(ok, "To")).toMatch(/;tag=/);
    expect(h.cx.sars).toHaveLength(1);
  });

  it("answers OPTIONS 200 with Allow, and other methods 501 for now", async () => {
    const { icscf, dest } = setup();
    const opt = buildRequest({ method: "OPTIONS", uri: "sip:scscf1.domain.imsprovider.org:6060", from: `<${IMPU}>`, to: "<sip:scscf1.domain.imsprovider.org>" });
    const r1 = await icscf.sendRequest(opt, { destination: dest });
    expect([r1.status, getHeader(r1, "Allow")]).toEqual([200, "REGISTER, OPTIONS"]);
    const msg = buildRequest({ method: "MESSAGE", uri: "sip:b@domain.imsprovider.org", from: `<${IMPU}>`, to: "<sip:b@domain.imsprovider.org>" });
    expect((await icscf.sendRequest(msg, { destination: dest })).status).toBe(501);
  });
});
