import { describe, expect, it } from "vitest";
import { RESYNC_AMF, buildAuts, verifyAuts } from "./resync.js";
import { sqnProfile } from "./sqn.js";

// TS 35.208 set 1 and the derived AUTS of digest-vectors.md §2a
const K = "465b5ce8b199b49faa5f0a2ee238a6bc";
const OPC = "cd63cb71954a9f4e48a5994e37a02baf";
const RAND = "23553cbe9637a89d218ae64dae47bf35";
const AUTS = "ba853f3c123ccf44e93596e355c6";

describe("buildAuts (UE side)", () => {
  it("uses AMF 0000 for MAC-S (TS 33.102 §6.3.3) and AK* to hide SQN_MS", () => {
    expect(RESYNC_AMF.toString("hex")).toBe("0000");
    const r = buildAuts(K, OPC, RAND, "ff9bb4d0b607");
    expect(r.ok && r.value.toString("hex")).toBe(AUTS);
    expect(r.ok && r.value.toString("base64")).toBe("uoU/PBI8z0TpNZbjVcY=");
  });
  it("refuses a malformed SQN", () => {
    const r = buildAuts(K, OPC, RAND, "xyz");
    expect(!r.ok && r.error.tag).toBe("aka-malformed");
  });
});

describe("verifyAuts (HE side)", () => {
  it("recovers SQN_MS from the derived set-1 AUTS and continues from it", () => {
    const r = verifyAuts({ k: K, opc: OPC, rand: RAND, auts: AUTS });
    expect(r.ok && r.value).toEqual({ sqnMs: "ff9bb4d0b607", sqnHe: "ff9bb4d0b607" });
  });

  it("free5gc 'Landslide Re-synch' vector: SQN_MS 00052c8c338e", () => {
    const r = verifyAuts({ k: "0".repeat(32), opc: "c8ffd2aa7a43c926bf2b2826205b9030", rand: "01000000000000002e6f0eb33b7ffde7", auts: Buffer.from("797d7a19ca27f99f4363d3ca24be", "hex") });
    expect(r.ok && r.value.sqnMs).toBe("00052c8c338e");
  });

  it("hostapd vector on TS 35.208 set 20: SQN_MS 000000000001", () => {
    const r = verifyAuts({ k: "90dca4eda45b53cf0f12d7c9c3bc6a89", opc: "cb9cccc4b9258e6dca4760379fb82581", rand: "9fddc72092c6ad036b6e464789315b78", auts: "4f2039392ddd4bb4316ed4a14688" });
    expect(r.ok && r.value.sqnMs).toBe("000000000001");
  });

  it("refuses a flipped MAC-S bit with auts-invalid, secrets kept out of the reason", () => {
    const bad = Buffer.from(AUTS, "hex");
    bad[13] = bad[13]! ^ 0x01;
    const r = verifyAuts({ k: K, opc: OPC, rand: RAND, auts: bad });
    expect(!r.ok && r.error).toEqual({ tag: "auts-invalid", reason: "MAC-S in AUTS does not verify" });
  });

  it("refuses an AUTS whose SQN part was altered (MAC-S binds SQN_MS)", () => {
    const bad = Buffer.from(AUTS, "hex");
    bad[0] = bad[0]! ^ 0x80;
    expect(verifyAuts({ k: K, opc: OPC, rand: RAND, auts: bad }).ok).toBe(false);
  });

  it("refuses an AUTS made for another RAND", () => {
    const other = "00112233445566778899aabbccddeeff";
    expect(verifyAuts({ k: K, opc: OPC, rand: other, auts: AUTS }).ok).toBe(false);
  });

  it("refuses wrong lengths with aka-malformed", () => {
    for (const auts of [AUTS.slice(2), AUTS + "00", ""]) {
      const r = verifyAuts({ k: K, opc: OPC, rand: RAND, auts });
      expect(!r.ok && r.error).toEqual({ tag: "aka-malformed", reason: `auts must be 14 octets, got ${auts.length / 2}` });
    }
    const r = verifyAuts({ k: K, opc: OPC, rand: RAND, auts: AUTS, sqnHe: "12" });
    expect(!r.ok && r.error.tag).toBe("aka-malformed");
  });

  it("keeps SQN_HE when its successor is still acceptable, resets it otherwise (§6.3.5)", () => {
    const p = sqnProfile();
    const auts = buildAuts(K, OPC, RAND, "000000001000");
    if (!auts.ok) throw new Error("auts");
    const ahead = verifyAuts({ k: K, opc: OPC, rand: RAND, auts: auts.value, sqnHe: "000000002000" }, p);
    expect(ahead.ok && ahead.value).toEqual({ sqnMs: "000000001000", sqnHe: "000000002000" });
    const behind = verifyAuts({ k: K, opc: OPC, rand: RAND, auts: auts.value, sqnHe: "000000000020" }, p);
    expect(behind.ok && behind.value).toEqual({ sqnMs: "000000001000", sqnHe: "000000001000" });
    const tooFar = verifyAuts({ k: K, opc: OPC, rand: RAND, auts: auts.value, sqnHe: "ff0000000000" }, sqnProfile({ delta: 2 ** 20 }));
    expect(tooFar.ok && tooFar.value.sqnHe).toBe("000000001000");
  });
});
