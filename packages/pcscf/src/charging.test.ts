import { describe, expect, it } from "vitest";
import { registerChargingVector, registerChargingVectorOf } from "./charging.js";

describe("registerChargingVectorOf", () => {
  it("writes what registerChargingVector writes, for token and non-token values", () => {
    for (const [host, ioi] of [
      ["127.5.3.33", "domain.imsprovider.org"],
      ["pcscf1.example.net", "visited net"],
      ["[::1]", '"quoted"'],
    ] as const) {
      const write = registerChargingVectorOf(host, ioi);
      for (const icid of ["pcscf1-0123456789abcdef", "icid-1", "a b", 'q"uote', "é", "", "x;y=z", "~!%*_+`'.-"]) {
        expect(write(icid), `${icid} ${host} ${ioi}`).toBe(registerChargingVector(icid, host, ioi));
      }
    }
    expect(registerChargingVectorOf("127.5.3.33", "d")("pcscf1-ab")).toBe("icid-value=pcscf1-ab;icid-generated-at=127.5.3.33;orig-ioi=d");
  });
});
