import { describe, expect, it } from "vitest";
import { keyFromSecret, resolveOpc } from "./key.js";

describe("keyFromSecret", () => {
  it("zero-pads a short secret's UTF-8 octets to 16", () => {
    expect(keyFromSecret("apass").toString("hex")).toBe("61706173730000000000000000000000");
  });
  it("truncates a long secret to 16 octets", () => {
    expect(keyFromSecret("0123456789abcdefXYZ").toString("utf8")).toBe("0123456789abcdef");
  });
  it("uses UTF-8 octets, not UTF-16 code units", () => {
    expect(keyFromSecret("é").subarray(0, 3).toString("hex")).toBe("c3a900");
  });
  it("takes 32 hex digits as K itself (either case)", () => {
    expect(keyFromSecret("465B5CE8B199B49FAA5F0A2EE238A6BC").toString("hex")).toBe("465b5ce8b199b49faa5f0a2ee238a6bc");
  });
  it("treats 31 or 33 hex digits and non-hex 32 chars as a password", () => {
    expect(keyFromSecret("465b5ce8b199b49faa5f0a2ee238a6b").toString("utf8")).toBe("465b5ce8b199b49f");
    expect(keyFromSecret("g".repeat(32)).toString("utf8")).toBe("gggggggggggggggg");
  });
  it("gives all zeros for an empty secret", () => {
    expect(keyFromSecret("").equals(Buffer.alloc(16))).toBe(true);
  });
});

describe("resolveOpc", () => {
  const K = "465b5ce8b199b49faa5f0a2ee238a6bc";
  it("derives OPc from OP (TS 35.208 set 1)", () => {
    const r = resolveOpc(K, { op: "cdc202d5123e20f62b6d676ac72cb318" });
    expect(r.ok && r.value.toString("hex")).toBe("cd63cb71954a9f4e48a5994e37a02baf");
  });
  it("passes a provisioned OPc through", () => {
    const r = resolveOpc(K, { opc: "cd63cb71954a9f4e48a5994e37a02baf" });
    expect(r.ok && r.value.toString("hex")).toBe("cd63cb71954a9f4e48a5994e37a02baf");
  });
  it("refuses a short OPc or K with a typed error", () => {
    const a = resolveOpc(K, { opc: "00" });
    expect(!a.ok && a.error.tag).toBe("aka-malformed");
    const b = resolveOpc("00", { opc: "cd63cb71954a9f4e48a5994e37a02baf" });
    expect(!b.ok && b.error.reason).toBe("k must be 16 octets, got 1");
  });
});
