import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type InProcessLab, startInProcessLab, testLabConfig } from "../support/in-process-lab.js";
import { ScriptedUe } from "../support/scripted-ue.js";

let lab: InProcessLab;
beforeAll(async () => {
  lab = await startInProcessLab(testLabConfig(40), ["dns", "hss", "scscf", "icscf"]);
});
afterAll(async () => lab?.stop());

describe("smoke", () => {
  it("registers through I-CSCF and S-CSCF with MD5", async () => {
    const ue = await ScriptedUe.start({
      address: "127.5.40.111",
      port: 5566,
      domain: lab.config.domain,
      user: "a",
      password: "apass",
      proxy: { address: lab.config.icscf.address, port: lab.config.icscf.port },
    });
    const out = await ue.register();
    await ue.stop();
    expect(out.final.status).toBe(200);
  });

  it("registers a with AKA and c (default AKA) without Authorization", async () => {
    const a = await ScriptedUe.start({
      address: "127.5.40.112",
      port: 5566,
      domain: lab.config.domain,
      user: "a",
      password: "apass",
      proxy: { address: lab.config.icscf.address, port: lab.config.icscf.port },
    });
    const ra = await a.register({ algorithm: "AKAv1-MD5" });
    await a.stop();
    const c = await ScriptedUe.start({
      address: "127.5.40.113",
      port: 5566,
      domain: lab.config.domain,
      user: "c",
      password: "cpass",
      aka: { k: "30313233343536373839616263646566", operator: { op: "4142434445464748494a4b4c4d4e4f50" } },
      proxy: { address: lab.config.icscf.address, port: lab.config.icscf.port },
    });
    const rc = await c.register({ firstAuthorization: "none" });
    await c.stop();
    expect(ra.final.status).toBe(200);
    expect(rc.final.status).toBe(200);
  });
});
