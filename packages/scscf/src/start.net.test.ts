import { afterAll, describe, expect, it } from "vitest";
import { silentLogger } from "@ims/runtime";
import { NetTransport, SipStack } from "@ims/sip";
import type { ScscfConfig } from "./config.js";
import { type RunningScscf, startScscf } from "./start.js";
import { registerRequest } from "./testing/ue-client.js";

const CONFIG: ScscfConfig = {
  name: "scscf1",
  domain: "domain.imsprovider.org",
  sip: { address: "127.5.1.11", port: 6060, uri: "sip:scscf1.domain.imsprovider.org:6060" },
  diameter: { host: "scscf1.domain.imsprovider.org", realm: "domain.imsprovider.org" },
  // nothing listens here
  hss: { host: "hss.domain.imsprovider.org", address: "127.5.1.77", port: 3868 },
  hssWaitMs: 300,
  cxTimeoutMs: 500,
};

describe("startScscf without an HSS", () => {
  let scscf: RunningScscf | undefined;
  let client: SipStack | undefined;
  afterAll(async () => {
    await client?.close();
    await scscf?.stop();
  });

  it("starts in state hss-down, answers REGISTER 500 HSS Unreachable, and stops", async () => {
    scscf = await startScscf(CONFIG, { logger: silentLogger() });
    expect(scscf.state()).toBe("hss-down");
    client = new SipStack({ transport: await NetTransport.open({ address: "127.5.1.55", port: 4060 }) });
    const req = registerRequest({ impu: "sip:a@domain.imsprovider.org" });
    req.headers = req.headers.filter((h) => h.name !== "Via");
    const r = await client.sendRequest(req, { destination: { transport: "udp", address: "127.5.1.11", port: 6060 } });
    expect([r.status, r.reason]).toEqual([500, "HSS Unreachable"]);
    await scscf.stop();
    expect(scscf.state()).toBe("stopped");
    // the SIP port is free again
    const again = await NetTransport.open({ address: "127.5.1.11", port: 6060 });
    await again.close();
  });

  it("refuses a bad config naming the key", async () => {
    await expect(startScscf({ ...CONFIG, hss: { ...CONFIG.hss, address: "nowhere" } })).rejects.toThrow(/hss\.address/);
  });
});
