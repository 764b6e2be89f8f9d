import { describe, expect, it } from "vitest";
import { keyFromSecret } from "./key.js";
import { createAkaService } from "./service.js";
import { MemoryUsimSqnStore, usimAuthenticate } from "./usim.js";
import { sqnProfile } from "./sqn.js";

describe("createAkaService", () => {
  const svc = createAkaService({ random: (n) => Buffer.alloc(n, 0x5a) });
  const k = keyFromSecret("apass");
  const keys = { k, opc: svc.opc(k, Buffer.alloc(16)), amf: Buffer.from("8000", "hex") };

  it("steps SQN by the Annex C profile with IND 5 by default", () => {
    expect(svc.profile.indBits).toBe(5);
    expect(svc.nextSqn("000000021090")).toBe("0000000210b1");
    expect(createAkaService({ indBits: 0 }).nextSqn("000000021090")).toBe("000000021091");
  });

  it("issues vectors a UE accepts, and verifies the UE's AUTS", () => {
    const v = svc.vector(keys, "0000000210b1");
    expect(v.rand.toString("hex")).toBe("5a".repeat(16));
    const store = new MemoryUsimSqnStore(sqnProfile(), 0x21090);
    const ue = usimAuthenticate({ k, operator: { op: Buffer.alloc(16) }, rand: v.rand, autn: v.autn, store });
    expect(ue.ok && ue.value.kind === "success" && ue.value.res.equals(v.xres)).toBe(true);
    const again = usimAuthenticate({ k, operator: { op: Buffer.alloc(16) }, rand: v.rand, autn: v.autn, store });
    if (!again.ok || again.value.kind !== "sync-failure") throw new Error("expected sync failure");
    const rs = svc.resync(keys, v.rand, again.value.auts);
    expect(rs.ok && rs.value).toBe("0000000210b1");
  });

  it("answers a bad or short AUTS with auts-invalid", () => {
    const r1 = svc.resync(keys, Buffer.alloc(16), Buffer.alloc(14));
    expect(!r1.ok && r1.error.tag).toBe("auts-invalid");
    const r2 = svc.resync(keys, Buffer.alloc(16), Buffer.alloc(3));
    expect(!r2.ok && r2.error).toEqual({ tag: "auts-invalid", reason: "auts must be 14 octets, got 3" });
  });

  it("throws on stored keys of the wrong length (a provisioning bug), naming the field only", () => {
    expect(() => svc.vector({ ...keys, k: Buffer.from("apass") }, "000000000001")).toThrow(/^aka-malformed: k must be 16 octets, got 5$/);
    expect(() => svc.nextSqn("bad")).toThrow(/sqn must be 12 hex digits/);
  });
});
