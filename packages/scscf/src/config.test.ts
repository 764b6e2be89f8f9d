import { describe, expect, it } from "vitest";
import { type ScscfConfig, serviceRouteOf, validateConfig } from "./config.js";

const LAB_CONFIG: ScscfConfig = {
  name: "scscf1",
  domain: "domain.imsprovider.org",
  sip: { address: "127.0.0.11", port: 6060, uri: "sip:scscf1.domain.imsprovider.org:6060" },
  diameter: { host: "scscf1.domain.imsprovider.org", realm: "domain.imsprovider.org" },
  hss: { host: "hss.domain.imsprovider.org", address: "127.0.0.77", port: 3868 },
};

describe("S-CSCF config", () => {
  it("accepts the lab's config", () => {
    expect(validateConfig(LAB_CONFIG).ok).toBe(true);
    expect(validateConfig({ ...LAB_CONFIG, icscfUri: "sip:icscf.domain.imsprovider.org:4060", asTimeoutMs: 4000 }).ok).toBe(true);
  });

  it.each([
    ["sip.address", { ...LAB_CONFIG, sip: { ...LAB_CONFIG.sip, address: "scscf1" } }],
    ["sip.port", { ...LAB_CONFIG, sip: { ...LAB_CONFIG.sip, port: 70000 } }],
    ["sip.uri", { ...LAB_CONFIG, sip: { ...LAB_CONFIG.sip, uri: "http://x" } }],
    ["hss.port", { ...LAB_CONFIG, hss: { ...LAB_CONFIG.hss, port: 0 } }],
    ["diameter.host", { ...LAB_CONFIG, diameter: { ...LAB_CONFIG.diameter, host: "" } }],
    ["registration.maxExpires", { ...LAB_CONFIG, registration: { maxExpires: -1 } }],
    ["registration.minExpires", { ...LAB_CONFIG, registration: { minExpires: 700, maxExpires: 600 } }],
    ["registration.maxContacts", { ...LAB_CONFIG, registration: { maxContacts: 0 } }],
    ["registration.maxContactBytes", { ...LAB_CONFIG, registration: { maxContactBytes: 1.5 } }],
    ["nonceLifetimeMs", { ...LAB_CONFIG, nonceLifetimeMs: 1.5 }],
    ["domain", { ...LAB_CONFIG, domain: "" }],
    ["sip.hosts", { ...LAB_CONFIG, sip: { ...LAB_CONFIG.sip, hosts: ["ok", ""] } }],
    ["icscfUri", { ...LAB_CONFIG, icscfUri: "icscf:4060" }],
    ["asTimeoutMs", { ...LAB_CONFIG, asTimeoutMs: 0 }],
  ])("names the wrong key: %s", (key, c) => {
    const r = validateConfig(c as ScscfConfig);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.key).toBe(key);
      expect(r.error.reason).toContain(key);
    }
  });

  it("builds the Service-Route from the advertised URI", () => {
    expect(serviceRouteOf("sip:scscf1.domain.imsprovider.org:6060")).toBe("<sip:orig@scscf1.domain.imsprovider.org:6060;lr>");
  });
});
