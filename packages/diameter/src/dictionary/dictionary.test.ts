import { fileURLToPath } from "node:url";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  BASE_AVPS,
  BASE_COMMANDS,
  CX_AVPS,
  CX_COMMANDS,
  CX_EXPERIMENTAL_RESULT_CODES,
  CX_REFERENCED_AVPS,
  EXPERIMENTAL_RESULT,
  GROUPED_AVPS,
  RESULT_CODE,
  RESULT_CODES,
  enumValues,
  parseCcf,
  standardDictionary,
} from "./index.js";

const REF = fileURLToPath(new URL("../../../../test/fixtures/reference/diameter/", import.meta.url));

/** Rows of one kind of a reference TSV, keyed by its header row. */
function rows(file: string, kind: string): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  let header: string[] = [];
  for (const line of readFileSync(REF + file, "utf8").split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const f = line.split("\t");
    if (f[0] === "kind") header = f;
    else if (f[0] === kind) out.push(Object.fromEntries(header.map((h, i) => [h, f[i] ?? ""])));
  }
  return out;
}

function enumPairs(type: string, text: string): Record<string, number> | undefined {
  if (type !== "Enumerated" || text === "") return undefined;
  const pairs = [...text.matchAll(/([A-Za-z0-9_-]+)=(\d+)/g)].map((m) => [m[1] ?? "", Number(m[2])] as const);
  return Object.fromEntries(pairs);
}

const flag = (s: string): string => (s.startsWith("UNVERIFIED") ? "UNVERIFIED" : s);

type AvpRow = { code: number; name: string; vendorId: number; type: string; m: string; v: string; clause: string; values?: object };

function checkAvps(table: readonly AvpRow[], file: string, kind: string, clause: (r: Record<string, string>) => string) {
  const ref = rows(file, kind);
  expect(table.length).toBe(ref.length);
  for (const r of ref) {
    const t = table.find((a) => a.code === Number(r["code"]) && a.vendorId === Number(r["vendor_id"]));
    expect(t, `${r["name"]}`).toBeDefined();
    expect({ ...t }).toEqual({
      code: Number(r["code"]),
      name: r["name"],
      vendorId: Number(r["vendor_id"]),
      type: r["data_type"],
      m: flag(r["m_bit"] ?? ""),
      v: r["v_bit"],
      clause: clause(r),
      ...(enumPairs(r["data_type"] ?? "", r["enum_values"] ?? r["values"] ?? "") === undefined
        ? {}
        : { values: enumPairs(r["data_type"] ?? "", r["enum_values"] ?? r["values"] ?? "") }),
    });
  }
}

describe("dictionary tables match the reference TSVs", () => {
  it("base AVPs (RFC 6733 §4.5)", () => {
    checkAvps(BASE_AVPS, "diameter-base.tsv", "avp", (r) => `RFC 6733 §${r["rfc6733_section"]}`);
  });
  it("Cx/Dx AVPs (TS 29.229 §6.3)", () => {
    checkAvps(CX_AVPS, "cx-dx.tsv", "avp", (r) => (r["ts29229_section"] ? `TS 29.229 §${r["ts29229_section"]}` : ""));
  });
  it("AVPs Cx borrows (Digest-*, ...)", () => {
    checkAvps(CX_REFERENCED_AVPS, "cx-dx.tsv", "avp_ref", (r) => r["defined_in"] ?? "");
  });
  it("commands and their CCF", () => {
    const ref = [
      ...rows("diameter-base.tsv", "command").filter((r) => r["code"] !== "(any)"),
      ...rows("cx-dx.tsv", "command").map((r): Record<string, string> => ({ ...r, application_id: "16777216" })),
    ];
    const table = [...BASE_COMMANDS, ...CX_COMMANDS];
    expect(table.length).toBe(ref.length);
    for (const r of ref) {
      const t = table.find((c) => c.code === Number(r["code"]));
      expect(t?.name).toBe(r["name"]);
      expect(t?.request).toBe(r["req_abbrev"]);
      expect(t?.answer).toBe(r["ans_abbrev"]);
      expect(t?.requestCcf).toBe(r["request_ccf"]);
      expect(t?.answerCcf).toBe(r["answer_ccf"]);
      expect(t?.proxiable).toBe(r["req_header_flags"]?.includes("PXY"));
      const app = r["application_id"] ?? "";
      expect(t?.applicationId).toBe(/^\d+$/.test(app) ? Number(app) : null);
    }
  });
  it("grouped AVP formats", () => {
    const ref = [...rows("diameter-base.tsv", "grouped"), ...rows("cx-dx.tsv", "grouped")];
    expect(GROUPED_AVPS.length).toBe(ref.length);
    for (const r of ref) {
      const t = GROUPED_AVPS.find((g) => g.code === Number(r["code"]) && g.vendorId === Number(r["vendor_id"]));
      expect(t?.name).toBe(r["name"]);
      expect(t?.ccf).toBe(r["grouped_ccf"]);
    }
  });
  it("Result-Code and Experimental-Result-Code values", () => {
    const rc = rows("diameter-base.tsv", "result_code");
    expect(RESULT_CODES.map((r) => [r.code, r.name])).toEqual(rc.map((r) => [Number(r["code"]), r["name"]]));
    const er = rows("cx-dx.tsv", "exp_result");
    expect(CX_EXPERIMENTAL_RESULT_CODES.map((r) => [r.code, r.name])).toEqual(er.map((r) => [Number(r["code"]), r["name"]]));
    expect(RESULT_CODE.DIAMETER_MISSING_AVP).toBe(5005);
    expect(EXPERIMENTAL_RESULT.DIAMETER_ERROR_FEATURE_UNSUPPORTED).toBe(5011);
  });
});

describe("dictionary lookups", () => {
  it("keys AVPs by (code, vendor)", () => {
    expect(standardDictionary.avp(650, 10415)?.name).toBe("Session-Priority");
    expect(standardDictionary.avp(650, 0)?.name).toBe("Load");
    expect(standardDictionary.avp(621, 0)?.name).toBe("OC-Supported-Features");
    expect(standardDictionary.avp(621, 10415)?.name).toBe("Primary-Charging-Collection-Function-Name");
  });
  it("derives send flags from the M/V rules", () => {
    expect(standardDictionary.avpByName("Public-Identity")?.sendFlags).toBe(0xc0);
    expect(standardDictionary.avpByName("SIP-Digest-Authenticate")?.sendFlags).toBe(0x80);
    expect(standardDictionary.avpByName("Product-Name")?.sendFlags).toBe(0x00);
    expect(standardDictionary.avpByName("Digest-HA1")?.sendFlags).toBe(0x40);
  });
  it("knows every AVP named in a CCF", () => {
    const named = new Set<string>();
    for (const c of [...BASE_COMMANDS, ...CX_COMMANDS]) {
      for (const r of [...parseCcf(c.requestCcf), ...parseCcf(c.answerCcf)]) named.add(r.name);
    }
    for (const g of GROUPED_AVPS) for (const r of parseCcf(g.ccf)) named.add(r.name);
    named.delete("AVP");
    const unknown = [...named].filter((n) => standardDictionary.avpByName(n) === undefined);
    expect(unknown).toEqual([]);
  });
  it("parses CCF repetition", () => {
    expect(parseCcf("<Session-Id> {A} 1*{B} [C] *[D] 2*3{E} *[AVP]")).toEqual([
      { name: "Session-Id", min: 1, max: 1, fixed: true },
      { name: "A", min: 1, max: 1, fixed: false },
      { name: "B", min: 1, max: Infinity, fixed: false },
      { name: "C", min: 0, max: 1, fixed: false },
      { name: "D", min: 0, max: Infinity, fixed: false },
      { name: "E", min: 2, max: 3, fixed: false },
      { name: "AVP", min: 0, max: Infinity, fixed: false },
    ]);
  });
  it("gives enumeration values", () => {
    expect(enumValues("Server-Assignment-Type").USER_DEREGISTRATION).toBe(5);
    expect(enumValues("Disconnect-Cause").DO_NOT_WANT_TO_TALK_TO_YOU).toBe(2);
  });
});
