import { silentLogger } from "@ims/runtime";
import { NetTransport, SipStack, buildRequest, getHeader } from "@ims/sip";
import { afterAll, describe, expect, it } from "vitest";
import type { ScscfConfig } from "../config.js";
import { type RunningScscf, startScscf } from "../start.js";

const CONFIG: ScscfConfig = {
  name: "scscf1",
  domain: "domain.imsprovider.org",
  sip: { address: "127.5.6.12", port: 6060, uri: "sip:scscf1.domain.imsprovider.org:6060" },
  diameter: { host: "scscf1.domain.imsprovider.org", realm: "domain.imsprovider.org" },
  // nothing listens here
  hss: { host: "hss.domain.imsprovider.org", address: "127.5.6.78", port: 3868 },
  hssWaitMs: 200,
  cxTimeoutMs: 500,
  icscfUri: "sip:icscf.domain.imsprovider.org:4060",
};
const TO_S = { transport: "udp", address: "127.5.6.12", port: 6060 } as const;

describe("startScscf session procedures over real sockets", () => {
  let scscf: RunningScscf | undefined;
  let client: SipStack | undefined;
  afterAll(async () => {
    await client?.close();
    await scscf?.stop();
  });

  it("tells originating (Service-Route user 'orig') from terminating requests, and answers OPTIONS to itself", async () => {
    scscf = await startScscf(CONFIG, { logger: silentLogger(), resolver: () => undefined });
    client = new SipStack({ transport: await NetTransport.open({ address: "127.5.6.56", port: 4060 }) });
    const req = (uri: string, route: string) =>
      buildRequest({
        method: "MESSAGE",
        uri,
        from: "<sip:a@domain.imsprovider.org>",
        to: `<${uri}>`,
        routes: [route],
        headers: [["P-Asserted-Identity", "<sip:a@domain.imsprovider.org>"]],
      });
    const orig = await client.sendRequest(req("sip:b@domain.imsprovider.org", "<sip:orig@scscf1.domain.imsprovider.org:6060;lr>"), { destination: TO_S });
    expect([orig.status, orig.reason]).toEqual([403, "Forbidden - Not Registered"]);
    // Terminating for a user not registered here: the SAR cannot reach the HSS.
    const term = await client.sendRequest(req("sip:b@domain.imsprovider.org", "<sip:scscf1.domain.imsprovider.org:6060;lr>"), { destination: TO_S });
    expect(term.status).toBe(500);
    const opt = buildRequest({ method: "OPTIONS", uri: "sip:scscf1.domain.imsprovider.org:6060", from: "<sip:a@domain.imsprovider.org>", to: "<sip:scscf1.domain.imsprovider.org>" });
    const res = await client.sendRequest(opt, { destination: TO_S });
    expect(res.status).toBe(200);
    expect(getHeader(res, "Allow")).toContain("INVITE");
  });
});
