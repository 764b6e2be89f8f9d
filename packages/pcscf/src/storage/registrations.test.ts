import { FakeClock } from "@ims/runtime";
import { describe, expect, it } from "vitest";
import { RegistrationStore, type UeRegistration } from "./registrations.js";

const reg = (expiresAt: number, contact = "sip:a@127.0.0.111:5566", aor = "sip:a@domain.imsprovider.org"): UeRegistration => ({
  aor,
  contact,
  transport: "udp",
  address: "127.0.0.111",
  port: 5566,
  impus: ["sip:a@domain.imsprovider.org", "tel:+34600000001"],
  serviceRoute: ["<sip:orig@scscf1.domain.imsprovider.org:6060;lr>"],
  expiresAt,
});

describe("RegistrationStore", () => {
  it("finds a UE by its source address and by IMPU", () => {
    const store = new RegistrationStore(new FakeClock());
    store.save(reg(600_000));
    expect(store.fromSource("udp", "127.0.0.111", 5566)).toHaveLength(1);
    expect(store.fromSource("tcp", "127.0.0.111", 5566)).toHaveLength(0);
    expect(store.forImpu("tel:+34600000001")[0]?.contact).toBe("sip:a@127.0.0.111:5566");
    expect(store.forContact("sip:a@127.0.0.111:5566")).toHaveLength(1);
    expect(store.forContact("sip:a@127.0.0.111:5566;transport=udp")).toHaveLength(1);
    expect(store.forContact("sip:a@127.0.0.111")).toHaveLength(0);
  });

  it("keeps one entry per registered IMPU and contact", () => {
    const store = new RegistrationStore(new FakeClock());
    store.save(reg(600_000));
    store.save(reg(600_000, "sip:a@127.0.0.111:5566", "sip:a2@domain.imsprovider.org"));
    expect(store.size()).toBe(2);
    expect(store.fromSource("udp", "127.0.0.111", 5566)).toHaveLength(2);
    expect(store.remove("sip:a2@domain.imsprovider.org", "sip:a@127.0.0.111:5566")?.aor).toBe("sip:a2@domain.imsprovider.org");
    expect(store.forAor("sip:a@domain.imsprovider.org")).toHaveLength(1);
    expect(store.get("sip:a2@domain.imsprovider.org", "sip:a@127.0.0.111:5566")).toBeUndefined();
  });

  it("forgets a registration on expiry and tells the caller", () => {
    const clock = new FakeClock();
    const gone: string[] = [];
    const store = new RegistrationStore(clock, (r) => gone.push(r.contact));
    store.save(reg(60_000));
    clock.advance(59_999);
    expect(store.size()).toBe(1);
    clock.advance(1);
    expect(store.size()).toBe(0);
    expect(gone).toEqual(["sip:a@127.0.0.111:5566"]);
    expect(store.fromSource("udp", "127.0.0.111", 5566)).toHaveLength(0);
  });

  it("refreshing re-arms the expiry; saving an expired one removes it", () => {
    const clock = new FakeClock();
    const store = new RegistrationStore(clock);
    store.save(reg(60_000));
    clock.advance(30_000);
    store.save(reg(120_000));
    clock.advance(40_000);
    expect(store.size()).toBe(1);
    store.save(reg(clock.now()));
    expect(store.size()).toBe(0);
    expect(clock.pending()).toBe(0);
  });

  it("keeps its indices right when a refresh changes the IMPUs or the source", () => {
    const store = new RegistrationStore(new FakeClock());
    store.save(reg(600_000));
    store.save({ ...reg(600_000), impus: ["sip:a@domain.imsprovider.org"], address: "127.0.0.112" });
    expect(store.forImpu("tel:+34600000001")).toHaveLength(0);
    expect(store.forImpu("sip:a@domain.imsprovider.org")).toHaveLength(1);
    expect(store.fromSource("udp", "127.0.0.111", 5566)).toHaveLength(0);
    expect(store.fromSource("udp", "127.0.0.112", 5566)).toHaveLength(1);
    store.clear();
    expect([store.size(), store.forContact("sip:a@127.0.0.111:5566").length, store.forAor("sip:a@domain.imsprovider.org").length]).toEqual([0, 0, 0]);
  });
});

describe("RegistrationStore refreshes", () => {
  const A = "sip:a@127.0.0.111:5566";
  const B = "sip:b@127.0.0.111:5566";
  const lookups = (store: RegistrationStore) => ({
    source: store.fromSource("udp", "127.0.0.111", 5566).map((r) => [r.contact, r.expiresAt]),
    moved: store.fromSource("udp", "127.0.0.111", 7777).map((r) => r.contact),
    aor: store.forAor("sip:a@domain.imsprovider.org").map((r) => r.contact),
    tel: store.forImpu("tel:+34600000001").map((r) => r.contact),
    tel2: store.forImpu("tel:+34600000002").map((r) => r.contact),
    contactA: store.forContact(A).map((r) => r.expiresAt),
    size: store.size(),
  });

  it("moves a refreshed entry to the end of every lookup, as removing and saving it does", () => {
    const store = new RegistrationStore(new FakeClock());
    store.save(reg(600_000, A));
    store.save(reg(600_000, B));
    store.save(reg(700_000, A));
    expect(lookups(store)).toEqual({
      source: [[B, 600_000], [A, 700_000]],
      moved: [],
      aor: [B, A],
      tel: [B, A],
      tel2: [],
      contactA: [700_000],
      size: 2,
    });
    expect(store.get("sip:a@domain.imsprovider.org", A)?.expiresAt).toBe(700_000);
  });

  it("files a refresh from another source or with other IMPUs under the new ones only", () => {
    const store = new RegistrationStore(new FakeClock());
    store.save(reg(600_000, A));
    store.save(reg(600_000, B));
    store.save({ ...reg(700_000, A), port: 7777 });
    expect(lookups(store)).toMatchObject({ source: [[B, 600_000]], moved: [A], aor: [B, A], tel: [B, A], size: 2 });
    expect(store.hasSource("udp", "127.0.0.111", 7777)).toBe(true);
    store.save({ ...reg(800_000, A), impus: ["sip:a@domain.imsprovider.org", "tel:+34600000002"] });
    expect(lookups(store)).toMatchObject({ source: [[B, 600_000], [A, 800_000]], moved: [], tel: [B], tel2: [A], size: 2 });
    expect(store.hasSource("udp", "127.0.0.111", 7777)).toBe(false);
    store.save(reg(900_000, B));
    store.remove("sip:a@domain.imsprovider.org", A);
    expect(lookups(store)).toEqual({ source: [[B, 900_000]], moved: [], aor: [B], tel: [B], tel2: [], contactA: [], size: 1 });
  });

  it("keeps only the last expiry of a refreshed entry, and removes one refreshed with an expiry in the past", () => {
    const clock = new FakeClock();
    const gone: number[] = [];
    const store = new RegistrationStore(clock, (r) => gone.push(r.expiresAt));
    store.save(reg(60_000, A));
    clock.advance(30_000);
    store.save(reg(120_000, A));
    expect(lookups(store)).toEqual({ source: [[A, 120_000]], moved: [], aor: [A], tel: [A], tel2: [], contactA: [120_000], size: 1 });
    clock.advance(30_000);
    expect([store.size(), gone]).toEqual([1, []]);
    clock.advance(60_000);
    expect([store.size(), gone]).toEqual([0, [120_000]]);
    store.save(reg(600_000, A));
    store.save(reg(clock.now(), A));
    expect(lookups(store)).toEqual({ source: [], moved: [], aor: [], tel: [], tel2: [], contactA: [], size: 0 });
    clock.advance(600_000);
    expect(gone).toEqual([120_000]);
  });
});
