import { inspect } from "node:util";
import { FakeClock } from "@ims/runtime";
import { describe, expect, it } from "vitest";
import { SecurityKeyStore, SecurityKeys } from "./security-keys.js";

describe("SecurityKeys", () => {
  it("never prints the keys", () => {
    const k = new SecurityKeys("c0ffee", "beef00");
    for (const text of [JSON.stringify({ k }), String(k), inspect({ k }), `${k}`]) {
      expect(text).not.toContain("c0ffee");
      expect(text).not.toContain("beef00");
    }
    expect(k.reveal()).toEqual({ ck: "c0ffee", ik: "beef00" });
  });

  it("drops keys after their lifetime; extend re-arms it", () => {
    const clock = new FakeClock();
    const store = new SecurityKeyStore(clock);
    store.set("r", new SecurityKeys("a", "b"), 1_000);
    clock.advance(900);
    store.extend("r", 1_000);
    clock.advance(900);
    expect(store.get("r")).toBeDefined();
    clock.advance(100);
    expect(store.get("r")).toBeUndefined();
    store.extend("r", 1_000);
    expect(store.size()).toBe(0);
    expect(clock.pending()).toBe(0);
  });
});
