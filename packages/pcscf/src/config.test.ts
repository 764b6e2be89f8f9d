import { describe, expect, it } from "vitest";
import { type PcscfConfig, registrationLimits, validateConfig } from "./config.js";

const base: PcscfConfig = { name: "pcscf1", domain: "domain.imsprovider.org", sip: { address: "127.0.0.33", port: 5060 } };

describe("P-CSCF config", () => {
  it("accepts the lab defaults and fills the registration limits", () => {
    expect(validateConfig(base).ok).toBe(true);
    expect(registrationLimits(base)).toEqual({ maxRegistrations: 100_000, graceSeconds: 0, challengeKeySeconds: 60 });
  });

  it.each([
    [{ ...base, name: "" }, "name"],
    [{ ...base, sip: { address: "pcscf1", port: 5060 } }, "sip.address"],
    [{ ...base, sip: { address: "127.0.0.33", port: 70_000 } }, "sip.port"],
    [{ ...base, advertisedHost: "bad host" }, "advertisedHost"],
    [{ ...base, sip: { address: "0.0.0.0", port: 5060 } }, "advertisedHost"],
    [{ ...base, icscfUri: "icscf:4060" }, "icscfUri"],
    [{ ...base, registration: { maxRegistrations: 0 } }, "registration.maxRegistrations"],
    [{ ...base, registration: { graceSeconds: -1 } }, "registration.graceSeconds"],
  ] as [PcscfConfig, string][])("names the wrong key (%#: %s)", (config, key) => {
    const r = validateConfig(config);
    expect(!r.ok && r.error.key).toBe(key);
    expect(!r.ok && r.error.reason).toContain(key);
  });
});
