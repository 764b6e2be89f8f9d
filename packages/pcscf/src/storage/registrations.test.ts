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
