import { describe, expect, it } from "vitest";
import { keyFromSecret } from "./key.js";
import { computeOpc } from "./milenage.js";
import { verifyAuts } from "./resync.js";
import { formatSqn, joinSqn, nextSqn, sqnProfile } from "./sqn.js";
import { MemoryUsimSqnStore, isFresh, usimAuthenticate } from "./usim.js";
import { generateVector, type AkaVector } from "./vector.js";

const K = "465b5ce8b199b49faa5f0a2ee238a6bc";
const OP = "cdc202d5123e20f62b6d676ac72cb318";
const OPC = "cd63cb71954a9f4e48a5994e37a02baf";
const RAND = "23553cbe9637a89d218ae64dae47bf35";
const AUTN = "55f328b43577b9b94a9ffac354dfafb3"; // set 1, SQN ff9bb4d0b607

describe("usimAuthenticate", () => {
  it("answers RES/CK/IK for the set-1 challenge and records the SQN", () => {
    const store = new MemoryUsimSqnStore(sqnProfile(), 0xff9bb4d0b607 - 64);
    const r = usimAuthenticate({ k: K, operator: { op: OP }, rand: RAND, autn: AUTN, store });
    expect(r.ok && r.value.kind).toBe("success");
    if (!r.ok || r.value.kind !== "success") return;
    expect(r.value.res.toString("hex")).toBe("a54211d5e3ba50bf");
    expect(r.value.ck.toString("hex")).toBe("b40ba9a3c58b2a05bbf0d987b21bf8cb");
    expect(r.value.ik.toString("hex")).toBe("f769bcd751044604127672711c6d3441");
    expect(r.value.sqn).toBe("ff9bb4d0b607");
    expect(formatSqn(store.highest())).toBe("ff9bb4d0b607");
  });

  it("a fresh USIM (SQN_MS 0) refuses an SQN more than Δ ahead with AUTS", () => {
    const r = usimAuthenticate({ k: K, operator: { op: OP }, rand: RAND, autn: AUTN, store: new MemoryUsimSqnStore() });
    expect(r.ok && r.value.kind === "sync-failure" && r.value.sqnMs).toBe("000000000000");
  });

  it("replaying the same AUTN gives a sync failure whose AUTS the HE verifies", () => {
    const store = new MemoryUsimSqnStore(sqnProfile(), 0xff9bb4d0b607 - 64);
    expect(usimAuthenticate({ k: K, operator: { opc: OPC }, rand: RAND, autn: AUTN, store }).ok).toBe(true);
    const again = usimAuthenticate({ k: K, operator: { opc: OPC }, rand: RAND, autn: AUTN, store });
    expect(again.ok && again.value.kind).toBe("sync-failure");
    if (!again.ok || again.value.kind !== "sync-failure") return;
    expect(again.value.sqnMs).toBe("ff9bb4d0b607");
    expect(again.value.auts.toString("hex")).toBe("ba853f3c123ccf44e93596e355c6");
    const he = verifyAuts({ k: K, opc: OPC, rand: RAND, auts: again.value.auts });
    expect(he.ok && he.value.sqnMs).toBe("ff9bb4d0b607");
  });

  it("refuses a tampered MAC-A with autn-mac-failure before looking at SQN", () => {
    const bad = Buffer.from(AUTN, "hex");
    bad[15] = bad[15]! ^ 0xff;
    const store = new MemoryUsimSqnStore();
    const r = usimAuthenticate({ k: K, operator: { opc: OPC }, rand: RAND, autn: bad, store });
    expect(!r.ok && r.error).toEqual({ tag: "autn-mac-failure", reason: "MAC-A in AUTN does not verify" });
    expect(store.highest()).toBe(0);
  });

  it("refuses a challenge made with another key (wrong K is a MAC failure)", () => {
    const r = usimAuthenticate({ k: keyFromSecret("apass"), operator: { opc: OPC }, rand: RAND, autn: AUTN, store: new MemoryUsimSqnStore() });
    expect(!r.ok && r.error.tag).toBe("autn-mac-failure");
  });

  it("refuses malformed AUTN/RAND/OPc with aka-malformed", () => {
    const store = new MemoryUsimSqnStore();
    for (const r of [
      usimAuthenticate({ k: K, operator: { opc: OPC }, rand: RAND, autn: AUTN.slice(2), store }),
      usimAuthenticate({ k: K, operator: { opc: OPC }, rand: RAND + "00", autn: AUTN, store }),
      usimAuthenticate({ k: K, operator: { opc: "00" }, rand: RAND, autn: AUTN, store }),
    ]) expect(!r.ok && r.error.tag).toBe("aka-malformed");
  });
});

describe("HE and UE together (lab defaults: K from 'apass', OP zeros, AMF 8000)", () => {
  const k = keyFromSecret("apass");
  it("accepts a run of vectors, out of order across IND slots, and refuses a reuse", () => {
    const opc = computeOpc(k, "0".repeat(32));
    if (!opc.ok) throw new Error("opc");
    const keys = { k, opc: opc.value.toString("hex"), amf: "8000" };
    let sqn = "000000021090";
    const vectors: AkaVector[] = [];
    for (let i = 0; i < 4; i++) {
      const n = nextSqn(sqn);
      if (!n.ok) throw new Error("sqn");
      sqn = n.value;
      let c = i;
      const v = generateVector(keys, sqn, (len) => Buffer.alloc(len, ++c));
      if (!v.ok) throw new Error("vector");
      vectors.push(v.value);
    }
    const store = new MemoryUsimSqnStore(sqnProfile(), 0x21090);
    const run = (i: number) => usimAuthenticate({ k, operator: { op: "0".repeat(32) }, rand: vectors[i]!.rand, autn: vectors[i]!.autn, store });
    for (const i of [1, 0, 3, 2]) {
      const r = run(i);
      expect(r.ok && r.value.kind === "success" && r.value.res.equals(vectors[i]!.xres)).toBe(true);
    }
    const reused = run(2);
    expect(reused.ok && reused.value.kind).toBe("sync-failure");
    if (!reused.ok || reused.value.kind !== "sync-failure") return;
    // HE resynchronises and the next vector is accepted
    const rs = verifyAuts({ k, opc: keys.opc, rand: vectors[2]!.rand, auts: reused.value.auts, sqnHe: "000000021090" });
    expect(rs.ok && rs.value.sqnHe).toBe(sqn);
    if (!rs.ok) return;
    const next = nextSqn(rs.value.sqnHe);
    const v = next.ok ? generateVector(keys, next.value) : undefined;
    expect(v?.ok).toBe(true);
    if (v === undefined || !v.ok) return;
    const r = usimAuthenticate({ k, operator: { opc: keys.opc }, rand: v.value.rand, autn: v.value.autn, store });
    expect(r.ok && r.value.kind).toBe("success");
  });
});

describe("isFresh (TS 33.102 C.2)", () => {
  const p = sqnProfile({ indBits: 5, delta: 100 });
  it("accepts SEQ above the slot's value even below the overall highest", () => {
    const s = new MemoryUsimSqnStore(p);
    s.accept(joinSqn({ seq: 50, ind: 1 }, p));
    s.accept(joinSqn({ seq: 40, ind: 2 }, p));
    expect(isFresh(joinSqn({ seq: 45, ind: 3 }, p), s)).toBe(true);
    expect(isFresh(joinSqn({ seq: 40, ind: 2 }, p), s)).toBe(false);
    expect(isFresh(joinSqn({ seq: 41, ind: 2 }, p), s)).toBe(true);
    expect(formatSqn(s.highest())).toBe(formatSqn(joinSqn({ seq: 50, ind: 1 }, p)));
  });
  it("refuses SEQ more than Δ ahead of the highest (C.2.1)", () => {
    const s = new MemoryUsimSqnStore(p, joinSqn({ seq: 10, ind: 0 }, p));
    expect(isFresh(joinSqn({ seq: 110, ind: 4 }, p), s)).toBe(true);
    expect(isFresh(joinSqn({ seq: 111, ind: 4 }, p), s)).toBe(false);
  });
});
