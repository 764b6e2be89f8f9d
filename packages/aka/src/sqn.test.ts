import { describe, expect, it } from "vitest";
import {
  DEFAULT_SQN_PROFILE, acceptableAfter, formatSqn, joinSqn, nextSqn, nextSqnValue, parseSqn, splitSqn, sqnFromBytes, sqnProfile, sqnToBytes,
} from "./sqn.js";

describe("SQN format and parse", () => {
  it("round-trips 12 hex digits", () => {
    const r = parseSqn("FF9BB4D0B607");
    expect(r.ok && formatSqn(r.value)).toBe("ff9bb4d0b607");
    expect(formatSqn(0)).toBe("000000000000");
    expect(formatSqn(2 ** 48 - 1)).toBe("ffffffffffff");
  });
  it.each(["", "00000002109", "0000000210900", "00000002109g", " 00000002109"])("refuses %j", (s) => {
    const r = parseSqn(s);
    expect(!r.ok && r.error).toEqual({ tag: "aka-malformed", reason: "sqn must be 12 hex digits" });
  });
  it("converts to and from 6 octets", () => {
    expect(sqnToBytes(0x21090).toString("hex")).toBe("000000021090");
    const r = sqnFromBytes(Buffer.from("ff9bb4d0b607", "hex"));
    expect(r.ok && r.value).toBe(0xff9bb4d0b607);
    expect(sqnFromBytes(Buffer.alloc(5)).ok).toBe(false);
  });
  it("refuses to format values outside 48 bits (a bug)", () => {
    expect(() => formatSqn(2 ** 48)).toThrow(/48-bit/);
    expect(() => formatSqn(-1)).toThrow();
  });
});

describe("SEQ ‖ IND (TS 33.102 Annex C)", () => {
  it("splits with the default IND length of 5 bits", () => {
    expect(DEFAULT_SQN_PROFILE.indBits).toBe(5);
    // lab default SQN 000000021090: SEQ 0x1084, IND 16
    expect(splitSqn(0x21090)).toEqual({ seq: 0x1084, ind: 16 });
    expect(joinSqn({ seq: 0x1084, ind: 16 })).toBe(0x21090);
  });
  it("next SQN increments SEQ by 1 and IND by 1 modulo 2^IND (not +100 or +32)", () => {
    const n = nextSqn("000000021090");
    expect(n.ok && n.value).toBe("0000000210b1");
    expect(splitSqn(0x210b1)).toEqual({ seq: 0x1085, ind: 17 });
  });
  it("IND wraps inside its field without carrying into SEQ", () => {
    const p = sqnProfile({ indBits: 5 });
    expect(splitSqn(nextSqnValue(joinSqn({ seq: 7, ind: 31 }, p), p), p)).toEqual({ seq: 8, ind: 0 });
  });
  it("a configurable IND length changes the layout", () => {
    const p = sqnProfile({ indBits: 3 });
    expect(splitSqn(0b1011_101, p)).toEqual({ seq: 0b1011, ind: 0b101 });
    expect(nextSqnValue(0b1011_111, p)).toBe(0b1100_000);
    const zero = sqnProfile({ indBits: 0 });
    expect(nextSqnValue(41, zero)).toBe(42);
  });
  it("SEQ wraps at its maximum", () => {
    expect(nextSqnValue(2 ** 48 - 1)).toBe(0);
  });
  it("successive vectors are each acceptable after the previous", () => {
    let s = 0x21090;
    for (let i = 0; i < 40; i++) {
      const n = nextSqnValue(s);
      expect(acceptableAfter(n, s)).toBe(true);
      s = n;
    }
  });
  it("acceptableAfter enforces SEQ > SEQ_MS and Δ", () => {
    const p = sqnProfile({ delta: 10 });
    const ms = joinSqn({ seq: 100, ind: 3 }, p);
    expect(acceptableAfter(joinSqn({ seq: 100, ind: 4 }, p), ms, p)).toBe(false);
    expect(acceptableAfter(joinSqn({ seq: 110, ind: 0 }, p), ms, p)).toBe(true);
    expect(acceptableAfter(joinSqn({ seq: 111, ind: 0 }, p), ms, p)).toBe(false);
  });
  it("rejects nonsense profiles as configuration bugs", () => {
    expect(() => sqnProfile({ indBits: 17 })).toThrow(/indBits/);
    expect(() => sqnProfile({ indBits: 2.5 })).toThrow(/indBits/);
    expect(() => sqnProfile({ delta: 0 })).toThrow(/delta/);
  });
});
