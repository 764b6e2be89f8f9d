import { describe, expect, it } from "vitest";
import { type DiameterNodeConfig, localIdentity } from "./config.js";

const base: DiameterNodeConfig = { originHost: "hss.test", originRealm: "test", bindAddress: "127.2.4.1" };

describe("node configuration", () => {
  it("defaults: Host-IP-Address = bind address, Cx advertised, 10415 supported", () => {
    const id = localIdentity({ ...base, originStateId: 5, firmwareRevision: 3 });
    expect(id).toMatchObject({
      hostIpAddresses: ["127.2.4.1"],
      vendorId: 0,
      productName: "ims-core",
      firmwareRevision: 3,
      originStateId: 5,
      supportedVendorIds: [10415],
      applications: [{ vendorId: 10415, authApplicationId: 16777216 }],
    });
  });

  it("a wrong value fails at start-up with a message naming its key", () => {
    const cases: Array<[Partial<DiameterNodeConfig>, RegExp]> = [
      [{ originHost: " " }, /originHost/],
      [{ bindAddress: "localhost" }, /bindAddress/],
      [{ hostIpAddresses: ["1.2.3"] }, /hostIpAddresses\[0\]/],
      [{ listenPort: 70000 }, /listenPort/],
      [{ peers: [{ host: "p", address: "nope", connect: true }] }, /peers\[0\]\.address/],
      [{ peers: [{ host: "p", address: "127.0.0.1", port: 0, connect: true }] }, /peers\[0\]\.port/],
      [{ peers: [{ host: "hss.test", address: "127.0.0.1", connect: true }] }, /peers\[0\]\.host/],
      [{ applications: [] }, /applications/],
    ];
    for (const [change, key] of cases) expect(() => localIdentity({ ...base, ...change })).toThrow(key);
  });
});
