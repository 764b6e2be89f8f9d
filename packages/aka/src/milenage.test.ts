import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { computeOpc, f1, f1Both, f1Star, f2, f2345, f3, f4, f5, f5Star } from "./milenage.js";

// TS 35.208/35.207 sets, a fixture inside the repo (test/fixtures/reference)
const TSV = fileURLToPath(new URL("../../../test/fixtures/reference/aka/milenage-test-sets.tsv", import.meta.url));

const COLUMNS = ["spec_set", "K", "RAND", "SQN", "AMF", "OP", "OPc", "f1", "f1star", "f2", "f3", "f4", "f5", "f5star"] as const;
type Row = Record<(typeof COLUMNS)[number], string>;

function loadSets(): Row[] {
  const lines = readFileSync(TSV, "utf8").split("\n").filter((l) => l.trim() !== "" && !l.startsWith("#"));
  const header = lines[0]!.split("\t");
  const idx = COLUMNS.map((c) => {
    const i = header.indexOf(c);
    if (i < 0) throw new Error(`column ${c} missing from ${TSV}`);
    return i;
  });
  return lines.slice(1).map((line) => {
    const cells = line.split("\t");
    return Object.fromEntries(COLUMNS.map((c, j) => [c, cells[idx[j]!]!.trim().toLowerCase()])) as Row;
  });
}

const sets = loadSets();
const hex = (r: { ok: boolean; value?: Buffer }): string => {
  if (!r.ok || r.value === undefined) throw new Error("expected ok");
  return r.value.toString("hex");
};

describe("MILENAGE against TS 35.208 / TS 35.207 test sets", () => {
  it("reads every set of the reference file", () => {
    expect(sets.length).toBeGreaterThanOrEqual(25);
    expect(new Set(sets.map((s) => s.spec_set)).size).toBe(sets.length);
  });

  it.each(sets.map((s) => [s.spec_set, s] as const))("%s: OPc, f1, f1*, f2, f3, f4, f5, f5*", (_name, s) => {
    expect(hex(computeOpc(s.K, s.OP))).toBe(s.OPc);
    expect(hex(f1(s.K, s.OPc, s.RAND, s.SQN, s.AMF))).toBe(s.f1);
    expect(hex(f1Star(s.K, s.OPc, s.RAND, s.SQN, s.AMF))).toBe(s.f1star);
    expect(hex(f2(s.K, s.OPc, s.RAND))).toBe(s.f2);
    expect(hex(f3(s.K, s.OPc, s.RAND))).toBe(s.f3);
    expect(hex(f4(s.K, s.OPc, s.RAND))).toBe(s.f4);
    expect(hex(f5(s.K, s.OPc, s.RAND))).toBe(s.f5);
    expect(hex(f5Star(s.K, s.OPc, s.RAND))).toBe(s.f5star);
  });

  it("accepts octets as well as hex", () => {
    const s = sets[0]!;
    const b = (h: string) => Buffer.from(h, "hex");
    const r = f2345(b(s.K), new Uint8Array(b(s.OPc)), b(s.RAND));
    expect(r.ok && r.value.res.toString("hex")).toBe(s.f2);
    const m = f1Both(b(s.K), b(s.OPc), b(s.RAND), b(s.SQN), b(s.AMF));
    expect(m.ok && m.value.macA.toString("hex") + m.value.macS.toString("hex")).toBe(s.f1 + s.f1star);
  });
});

describe("MILENAGE malformed input", () => {
  const s = sets[0]!;
  it.each([
    ["K too short", () => f2(s.K.slice(2), s.OPc, s.RAND), "k must be 16 octets, got 15"],
    ["OPc too long", () => f2(s.K, s.OPc + "00", s.RAND), "opc must be 16 octets, got 17"],
    ["RAND not hex", () => f5(s.K, s.OPc, "zz" + s.RAND.slice(2)), "rand is not hex"],
    ["odd hex digits", () => f5(s.K, s.OPc, s.RAND.slice(1)), "rand is not hex"],
    ["SQN 5 octets", () => f1(s.K, s.OPc, s.RAND, s.SQN.slice(2), s.AMF), "sqn must be 6 octets, got 5"],
    ["AMF 3 octets", () => f1(s.K, s.OPc, s.RAND, s.SQN, s.AMF + "00"), "amf must be 2 octets, got 3"],
    ["OP empty", () => computeOpc(s.K, ""), "op must be 16 octets, got 0"],
  ] as const)("%s → aka-malformed", (_n, call, reason) => {
    const r = call();
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error).toEqual({ tag: "aka-malformed", reason });
      expect(r.error.reason).not.toContain(s.K);
    }
  });
});
