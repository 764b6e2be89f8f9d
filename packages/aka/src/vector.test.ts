import { describe, expect, it } from "vitest";
import { buildAutn, generateVector, splitAutn } from "./vector.js";

// TS 35.208 test set 1 (see digest-vectors.md §2a for the derived AUTN)
const K = "465b5ce8b199b49faa5f0a2ee238a6bc";
const OPC = "cd63cb71954a9f4e48a5994e37a02baf";
const RAND = "23553cbe9637a89d218ae64dae47bf35";
const fixedRand = (hex: string) => (n: number) => {
  expect(n).toBe(16);
  return Buffer.from(hex, "hex");
};

describe("generateVector", () => {
  it("builds AUTN = SQN⊕AK ‖ AMF ‖ MAC-A, XRES, CK, IK (set 1)", () => {
    const r = generateVector({ k: K, opc: OPC, amf: "b9b9" }, "ff9bb4d0b607", fixedRand(RAND));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.rand.toString("hex")).toBe(RAND);
    expect(r.value.autn.toString("hex")).toBe("55f328b43577b9b94a9ffac354dfafb3");
    expect(r.value.xres.toString("hex")).toBe("a54211d5e3ba50bf");
    expect(r.value.ck.toString("hex")).toBe("b40ba9a3c58b2a05bbf0d987b21bf8cb");
    expect(r.value.ik.toString("hex")).toBe("f769bcd751044604127672711c6d3441");
    expect(r.value.sqn).toBe("ff9bb4d0b607");
  });

  it("matches free5gc's published AUTN for TS 35.208 set 19", () => {
    const r = generateVector(
      { k: "5122250214c33e723a5dd523fc145fc0", opc: "981d464c7c52eb6e5036234984ad0bcf", amf: "c3ab" },
      Buffer.from("16f3b3f70fc2", "hex"),
      () => Buffer.from("81e92b6c0ee0e12ebceba8d92a99dfa5", "hex"),
    );
    expect(r.ok && r.value.autn.toString("hex")).toBe("bb52e91c747ac3ab2a5c23d15ee351d5");
  });

  it("draws RAND from the injected source each time", () => {
    let calls = 0;
    const rnd = (n: number) => Buffer.alloc(n, ++calls);
    const a = generateVector({ k: K, opc: OPC, amf: "8000" }, "000000021090", rnd);
    const b = generateVector({ k: K, opc: OPC, amf: "8000" }, "000000021090", rnd);
    expect(a.ok && b.ok && a.value.rand.equals(b.value.rand)).toBe(false);
    expect(calls).toBe(2);
  });

  it("refuses malformed inputs with typed errors", () => {
    const bad = [
      generateVector({ k: K, opc: OPC, amf: "80" }, "000000021090"),
      generateVector({ k: K.slice(4), opc: OPC, amf: "8000" }, "000000021090"),
      generateVector({ k: K, opc: OPC, amf: "8000" }, "21090"),
      generateVector({ k: K, opc: OPC, amf: "8000" }, "000000021090", () => Buffer.alloc(8)),
    ];
    for (const r of bad) expect(!r.ok && r.error.tag).toBe("aka-malformed");
  });
});

describe("AUTN layout", () => {
  it("splits what buildAutn joins", () => {
    const autn = buildAutn(Buffer.from("ff9bb4d0b607", "hex"), Buffer.from("aa689c648370", "hex"), Buffer.from("b9b9", "hex"), Buffer.from("4a9ffac354dfafb3", "hex"));
    const p = splitAutn(autn);
    expect(p.ok && [p.value.sqnXorAk, p.value.amf, p.value.mac].map((b) => b.toString("hex"))).toEqual(["55f328b43577", "b9b9", "4a9ffac354dfafb3"]);
    expect(splitAutn(autn.subarray(0, 15)).ok).toBe(false);
  });
});
