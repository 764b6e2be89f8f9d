import { scscfCandidates } from "./register.js";
import { describe, expect, it } from "vitest";
import { rankScscfs } from "./scscf-selection.js";

const configured = [
  { uri: "sip:scscf1.x:6060", capabilities: [1, 2] },
  { uri: "sip:scscf2.x:6060", capabilities: [1, 2, 3, 4] },
  { uri: "sip:scscf3.x:6060", capabilities: [2, 3, 4] },
];

describe("rankScscfs", () => {
  it("keeps only S-CSCFs with every mandatory capability, most optional ones first", () => {
    expect(rankScscfs({ mandatory: [1], optional: [3, 4], serverNames: [] }, configured)).toEqual([
      "sip:scscf2.x:6060",
      "sip:scscf1.x:6060",
    ]);
  });

  it("keeps configuration order on ties and with no capabilities at all", () => {
    expect(rankScscfs({ mandatory: [], optional: [], serverNames: [] }, configured)).toEqual(configured.map((c) => c.uri));
  });

  it("puts Server-Names from the HSS first and never twice", () => {
    expect(rankScscfs({ mandatory: [9], optional: [], serverNames: ["sip:scscf3.x:6060"] }, configured)).toEqual([
      "sip:scscf3.x:6060",
    ]);
    expect(rankScscfs({ mandatory: [], optional: [], serverNames: ["sip:scscf1.x:6060"] }, configured)[0]).toBe(
      "sip:scscf1.x:6060",
    );
  });

  it("returns nothing when no S-CSCF qualifies", () => {
    expect(rankScscfs({ mandatory: [7], optional: [], serverNames: [] }, configured)).toEqual([]);
  });
});

describe("scscfCandidates", () => {
  const configured = [
    { uri: "sip:scscf1.home:6060", capabilities: [] },
    { uri: "sip:scscf2.home:6060", capabilities: [1] },
  ];
  it("puts the S-CSCF the HSS names first, then the configured ones for failover, each once", () => {
    expect(scscfCandidates("sip:scscf2.home:6060", undefined, configured)).toEqual(["sip:scscf2.home:6060", "sip:scscf1.home:6060"]);
    expect(scscfCandidates("sip:other.home", undefined, configured)).toEqual(["sip:other.home", "sip:scscf1.home:6060", "sip:scscf2.home:6060"]);
  });
  it("ranks by capabilities when the HSS names none", () => {
    expect(scscfCandidates("", { mandatory: [1], optional: [], serverNames: [] }, configured)).toEqual(["sip:scscf2.home:6060"]);
  });
});
