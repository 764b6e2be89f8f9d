import { describe, expect, it } from "vitest";
import { bytesFreedByDropping } from "../../../test/support/retained.js";
import { InFlightMap, detachString } from "./retention.js";

describe("InFlightMap", () => {
  it("maps keys to values like a Map", () => {
    const m = new InFlightMap<string, { n: number }>();
    const a = { n: 1 };
    const b = { n: 2 };
    m.set("a", a).set("b", b);
    expect(m.size).toBe(2);
    expect(m.get("a")).toBe(a);
    expect(m.has("b")).toBe(true);
    expect(m.get("c")).toBeUndefined();
    expect([...m.keys()]).toEqual(["a", "b"]);
    expect(m.values()).toEqual([a, b]);
    const c = { n: 3 };
    m.set("a", c);
    expect(m.get("a")).toBe(c);
    expect(m.size).toBe(2);
    expect(m.delete("a")).toBe(true);
    expect(m.delete("a")).toBe(false);
    expect(m.get("a")).toBeUndefined();
    expect(m.has("a")).toBe(false);
    expect(m.size).toBe(1);
    m.clear();
    expect(m.size).toBe(0);
    expect(m.get("b")).toBeUndefined();
  });

  it("deleteIf removes an entry only while it still holds that value", () => {
    const m = new InFlightMap<string, object>();
    const old = {};
    const now = {};
    m.set("k", old);
    m.set("k", now);
    expect(m.deleteIf("k", old)).toBe(false);
    expect(m.get("k")).toBe(now);
    expect(m.deleteIf("k", now)).toBe(true);
    expect(m.has("k")).toBe(false);
    expect(m.deleteIf("k", now)).toBe(false);
  });

  it("values() is a snapshot: entries removed while walking it do not disturb the walk", () => {
    const m = new InFlightMap<number, number>();
    for (let i = 0; i < 5; i++) m.set(i, i * 10);
    const seen: number[] = [];
    for (const v of m.values()) {
      seen.push(v);
      m.delete(v / 10 + 1);
    }
    expect(seen).toEqual([0, 10, 20, 30, 40]);
    expect([...m.keys()]).toEqual([0]);
  });
});

describe("detachString", () => {
  it("returns an equal string", () => {
    const text = `REGISTER sip:x SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1;branch=z9hG4bK${"a".repeat(40)}\r\n`;
    const part = `${text.slice(40, 90)}|127.0.0.1:5060|REGISTER`;
    expect(detachString(part)).toBe(part);
    expect(detachString("short")).toBe("short");
    expect(detachString("")).toBe("");
    expect(detachString("ünïcödé ✓ ".repeat(3))).toBe("ünïcödé ✓ ".repeat(3));
  });

  // What it is for: a key cut from a message text must not keep that text alive.
  const key = (keep: (part: string) => string) => () => {
    const text = `${"x".repeat(1 << 20)}${Math.random()}`;
    return keep(`${text.slice(100, 160)}|udp`);
  };

  it("lets the text a key was cut from be collected (a plain substring keeps it)", async () => {
    expect(await bytesFreedByDropping(key((p) => p))).toBeGreaterThan(900_000);
    expect(await bytesFreedByDropping(key(detachString))).toBeLessThan(100_000);
  });
});
