import { FakeClock } from "@ims/runtime";
import { describe, expect, it } from "vitest";
import { type Binding, BindingStore, type ExpiredBinding, impuKey } from "./bindings.js";

const base = {
  impi: "a@domain.imsprovider.org",
  impu: "sip:a@domain.imsprovider.org",
  implicitSet: ["sip:a@domain.imsprovider.org", "tel:+34600000001"],
  userData: "<IMSSubscription/>",
};

function binding(contact: string, expiresAt: number, extra: Partial<Binding> = {}): Binding {
  return { contact, expiresAt, q: 1, path: ["<sip:term@pcscf1.domain.imsprovider.org:5060;lr>"], callId: "c1", cseq: 1, params: "", ...extra };
}

describe("BindingStore", () => {
  it("registers the whole implicit set together and finds it by any IMPU, case-insensitive host", () => {
    const store = new BindingStore(new FakeClock(), () => undefined);
    store.update(base, [{ binding: binding("sip:a@127.0.0.111:5566", 600_000), remove: false }]);
    expect(store.contacts("tel:+34600000001").map((b) => b.contact)).toEqual(["sip:a@127.0.0.111:5566"]);
    expect(store.find("sip:a@DOMAIN.imsprovider.org")?.impi).toBe(base.impi);
    expect(store.find("sip:A@domain.imsprovider.org")).toBeUndefined();
  });

  it("orders contacts by q, refreshes a contact and ignores a stale CSeq of the same Call-ID", () => {
    const store = new BindingStore(new FakeClock(), () => undefined);
    store.update(base, [
      { binding: binding("sip:a@h1", 600_000, { q: 0.5 }), remove: false },
      { binding: binding("sip:a@h2", 600_000, { q: 0.9 }), remove: false },
    ]);
    expect(store.contacts(base.impu).map((b) => b.contact)).toEqual(["sip:a@h2", "sip:a@h1"]);
    store.update(base, [{ binding: binding("sip:a@h1", 900_000, { q: 1, cseq: 2 }), remove: false }]);
    expect(store.contacts(base.impu)[0]?.expiresAt).toBe(900_000);
    store.update(base, [{ binding: binding("sip:a@h1", 5, { cseq: 2 }), remove: true }]);
    expect(store.contacts(base.impu)).toHaveLength(2);
  });

  it("removes with expires 0 and returns undefined when nothing is left", () => {
    const store = new BindingStore(new FakeClock(), () => undefined);
    store.update(base, [{ binding: binding("sip:a@h1", 600_000), remove: false }]);
    const left = store.update(base, [{ binding: binding("sip:a@h1", 0, { cseq: 2 }), remove: true }]);
    expect(left).toBeUndefined();
    expect(store.find("tel:+34600000001")).toBeUndefined();
  });

  it("expires bindings one by one on the clock and says which was the last", () => {
    const clock = new FakeClock();
    const expired: ExpiredBinding[] = [];
    const store = new BindingStore(clock, (e) => expired.push(e));
    store.update(base, [
      { binding: binding("sip:a@h1", 60_000), remove: false },
      { binding: binding("sip:a@h2", 120_000), remove: false },
    ]);
    clock.advance(60_000);
    expect(expired.map((e) => [e.binding.contact, e.last])).toEqual([["sip:a@h1", false]]);
    expect(store.contacts(base.impu).map((b) => b.contact)).toEqual(["sip:a@h2"]);
    clock.advance(60_000);
    expect(expired.map((e) => [e.binding.contact, e.last])).toEqual([
      ["sip:a@h1", false],
      ["sip:a@h2", true],
    ]);
    expect(store.all()).toHaveLength(0);
    expect(clock.pending()).toBe(0);
  });

  it("remove() cancels the expiry timer", () => {
    const clock = new FakeClock();
    const expired: ExpiredBinding[] = [];
    const store = new BindingStore(clock, (e) => expired.push(e));
    store.update(base, [{ binding: binding("sip:a@h1", 60_000), remove: false }]);
    expect(store.remove("tel:+34600000001")?.impi).toBe(base.impi);
    clock.advance(120_000);
    expect(expired).toHaveLength(0);
  });

  it("never arms a timer beyond Node's 2^31-1 ms limit, and still expires a 30-day binding on time", () => {
    const delays: number[] = [];
    const clock = new FakeClock();
    const spy = {
      now: () => clock.now(),
      setTimer: (ms: number, fn: () => void) => {
        delays.push(ms);
        return clock.setTimer(ms, fn);
      },
    };
    const expired: ExpiredBinding[] = [];
    const store = new BindingStore(spy, (e) => expired.push(e));
    const day = 86_400_000;
    store.update(base, [{ binding: binding("sip:a@h1", 30 * day), remove: false }]);
    expect(Math.max(...delays)).toBeLessThanOrEqual(2 ** 31 - 1);
    clock.advance(29 * day);
    expect(store.find(base.impu)).toBeDefined();
    expect(expired).toEqual([]);
    clock.advance(day);
    expect(store.find(base.impu)).toBeUndefined();
    expect(expired.map((e) => e.last)).toEqual([true]);
  });
});

describe("BindingStore merging and keys", () => {
  it("merges changes as a map by contact: a refreshed contact keeps its place, a new one goes last, a removed one goes", () => {
    const clock = new FakeClock();
    const store = new BindingStore(clock, () => undefined);
    store.update(base, ["h1", "h2", "h3"].map((h) => ({ binding: binding(`sip:a@${h}`, 600_000), remove: false })));
    const reg = store.update(base, [
      { binding: binding("sip:a@h2", 700_000, { cseq: 2 }), remove: false },
      { binding: binding("sip:a@h4", 600_000, { cseq: 2 }), remove: false },
      { binding: binding("sip:a@h1", 0, { cseq: 2 }), remove: true },
      { binding: binding("sip:a@h1", 650_000, { cseq: 2 }), remove: false },
      { binding: binding("sip:a@h9", 0, { cseq: 2 }), remove: true },
    ]);
    expect(reg?.bindings.map((b) => [b.contact, b.expiresAt])).toEqual([
      ["sip:a@h2", 700_000],
      ["sip:a@h3", 600_000],
      ["sip:a@h4", 600_000],
      ["sip:a@h1", 650_000],
    ]);
    clock.advance(620_000);
    const after = store.update(base, [{ binding: binding("sip:a@h5", 900_000, { cseq: 3 }), remove: false }]);
    expect(after?.bindings.map((b) => b.contact)).toEqual(["sip:a@h2", "sip:a@h1", "sip:a@h5"]);
  });

  it("impuKey lowers scheme and host only, and gives back an IMPU already so", () => {
    const lower = "sip:Alice@domain.imsprovider.org";
    expect(impuKey(lower)).toBe(lower);
    expect(impuKey("SIP:Alice@DOMAIN.imsprovider.org")).toBe(lower);
    expect(impuKey("sip:a@Dömain.org")).toBe("sip:a@dömain.org");
    expect(impuKey("sip:a@DÖMAIN.org")).toBe("sip:a@dömain.org");
    expect(impuKey("TEL:+34600")).toBe("tel:+34600");
    expect(impuKey("tel:+34600")).toBe("tel:+34600");
    expect(impuKey("noscheme@HOST")).toBe("noscheme@host");
  });
});
