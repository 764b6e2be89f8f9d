import { describe, expect, it } from "vitest";
import { REASON_CODE, SERVER_ASSIGNMENT_TYPE } from "@ims/ims";
import { err } from "@ims/runtime";
import { Harness, IMPI, IMPU, header, headers } from "../testing/registrar-harness.js";
import { registrationTermination } from "./rtr.js";

const SAT = SERVER_ASSIGNMENT_TYPE;
const A1 = "<sip:a@127.0.0.111:5566>";
const A2 = "<sip:a@127.0.0.112:5566>";

describe("binding lifetimes (RFC 3261 §10.3)", () => {
  it("Contact expires beats the Expires header, which beats the default 3600", async () => {
    const h = new Harness();
    const r = await h.registerMd5({ contacts: [`${A1};expires=120`, A2], expires: 300 });
    expect(headers(r, "Contact").sort()).toEqual([`${A1};expires=120`, `${A2};expires=300`]);
    const h2 = new Harness();
    expect(headers(await h2.registerMd5({ contacts: [A1] }), "Contact")).toEqual([`${A1};expires=3600`]);
  });

  it("caps at the maximum and refuses below the minimum with 423 and Min-Expires", async () => {
    const h = new Harness({ defaultExpires: 3600, minExpires: 60, maxExpires: 7200 });
    expect(headers(await h.registerMd5({ contacts: [`${A1};expires=999999`] }), "Contact")).toEqual([`${A1};expires=7200`]);
    const r = await h.registerMd5({ contacts: [`${A1};expires=10`], cseq: 5 });
    expect(r.status).toBe(423);
    expect(header(r, "Min-Expires")).toBe("60");
  });

  it("several contacts: all returned, higher q first, and the remaining lifetime counts down", async () => {
    const h = new Harness();
    await h.registerMd5({ contacts: [`${A1};q=0.5`, `${A2};q=0.9`], expires: 600 });
    h.clock.advance(100_000);
    const r = await h.registerMd5({ contacts: [], cseq: 3 });
    expect(r.status).toBe(200);
    expect(headers(r, "Contact")).toEqual([`${A2};expires=500;q=0.9`, `${A1};expires=500;q=0.5`]);
    expect(h.cx.sars).toHaveLength(1);
  });

  it("a later REGISTER adds a contact to the registration and keeps the first", async () => {
    const h = new Harness();
    await h.registerMd5({ contacts: [A1], callId: "c1" });
    const r = await h.registerMd5({ contacts: [A2], callId: "c2" });
    expect(headers(r, "Contact")).toHaveLength(2);
  });
});

describe("de-registration (TS 24.229 §5.4.1.4)", () => {
  it("Expires: 0 removes the bindings, SAR USER_DEREGISTRATION, 200 without Contact", async () => {
    const h = new Harness();
    await h.registerMd5({ contacts: [A1] });
    const r = await h.registerMd5({ contacts: [A1], expires: 0, cseq: 3 });
    expect(r.status).toBe(200);
    expect(headers(r, "Contact")).toEqual([]);
    expect(header(r, "Service-Route")).toBeUndefined();
    expect(h.cx.sars.map((s) => [s.serverAssignmentType, s.userName, s.publicIdentities])).toEqual([
      [SAT.REGISTRATION, IMPI, [IMPU]],
      [SAT.USER_DEREGISTRATION, IMPI, [IMPU]],
    ]);
    expect(h.ctx.bindings.find(IMPU)).toBeUndefined();
  });

  it("Contact: * with Expires: 0 removes every contact", async () => {
    const h = new Harness();
    await h.registerMd5({ contacts: [A1, A2] });
    const r = await h.registerMd5({ contacts: "*", expires: 0, cseq: 3 });
    expect(r.status).toBe(200);
    expect(h.ctx.bindings.find(IMPU)).toBeUndefined();
    expect(h.cx.sars.at(-1)?.serverAssignmentType).toBe(SAT.USER_DEREGISTRATION);
  });

  it("expires=0 on one of two contacts removes that one only: no SAR, 200 with the other", async () => {
    const h = new Harness();
    await h.registerMd5({ contacts: [A1, A2] });
    const r = await h.registerMd5({ contacts: [`${A1};expires=0`], cseq: 3 });
    expect(headers(r, "Contact")).toEqual([`${A2};expires=3600`]);
    expect(h.cx.sars).toHaveLength(1);
  });

  it("a de-registration of a user not registered is answered 200 without SAR; when the HSS is down, still 200", async () => {
    const h = new Harness();
    expect((await h.registerMd5({ expires: 0 })).status).toBe(200);
    expect(h.cx.sars).toEqual([]);
    await h.registerMd5({ cseq: 3 });
    h.cx.onSar = () => err({ tag: "cx-unreachable", reason: "down" });
    expect((await h.registerMd5({ expires: 0, cseq: 5 })).status).toBe(200);
    expect(h.ctx.bindings.find(IMPU)).toBeUndefined();
  });

  it("a de-registration must be authenticated too", async () => {
    const h = new Harness();
    await h.registerMd5();
    expect((await h.registerMd5({ expires: 0, cseq: 3 }, "wrong")).status).toBe(403);
    expect(h.ctx.bindings.find(IMPU)).toBeDefined();
  });
});

describe("expiry (TS 24.229 §5.4.1.5)", () => {
  it("the last binding expiring sends SAR TIMEOUT_DEREGISTRATION; an earlier one expiring does not", async () => {
    const h = new Harness();
    await h.registerMd5({ contacts: [`${A1};expires=100`, `${A2};expires=200`] });
    h.clock.advance(100_001);
    await h.registrar.pending();
    expect(h.ctx.bindings.contacts(IMPU)).toHaveLength(1);
    expect(h.cx.sars).toHaveLength(1);
    h.clock.advance(100_000);
    await h.registrar.pending();
    expect(h.ctx.bindings.find(IMPU)).toBeUndefined();
    expect(h.cx.sars.map((s) => [s.serverAssignmentType, s.userName, s.publicIdentities])).toEqual([
      [SAT.REGISTRATION, IMPI, [IMPU]],
      [SAT.TIMEOUT_DEREGISTRATION, IMPI, [IMPU]],
    ]);
  });

  it("a re-registration before expiry pushes it back", async () => {
    const h = new Harness();
    await h.registerMd5({ expires: 100 });
    h.clock.advance(90_000);
    await h.registerMd5({ expires: 100, cseq: 3 });
    h.clock.advance(90_000);
    await h.registrar.pending();
    expect(h.ctx.bindings.find(IMPU)).toBeDefined();
    expect(h.cx.sars.map((s) => s.serverAssignmentType)).toEqual([SAT.REGISTRATION, SAT.RE_REGISTRATION]);
  });
});

describe("RTR from the HSS (TS 29.228 §6.5.1)", () => {
  const rtr = (publicIdentities: string[], userName = IMPI) => ({
    sessionId: "s",
    originHost: "hss",
    originRealm: "r",
    destinationRealm: "r",
    userName,
    publicIdentities,
    deregistrationReason: { reasonCode: REASON_CODE.PERMANENT_TERMINATION },
  });

  it("removes the listed identities' registrations and answers 2001", async () => {
    const h = new Harness();
    await h.registerMd5();
    expect(registrationTermination(h.ctx, rtr([IMPU]))).toEqual({ kind: "result", code: 2001 });
    expect(h.ctx.bindings.find(IMPU)).toBeUndefined();
    expect(h.cx.sars).toHaveLength(1);
  });

  it("without public identities, removes every registration of the IMPI; unknown identities are still 2001", async () => {
    const h = new Harness();
    await h.registerMd5();
    expect(registrationTermination(h.ctx, rtr([], "nobody@x")).code).toBe(2001);
    expect(h.ctx.bindings.find(IMPU)).toBeDefined();
    registrationTermination(h.ctx, rtr([], IMPI.toUpperCase()));
    expect(h.ctx.bindings.find(IMPU)).toBeUndefined();
    h.clock.advance(4_000_000);
    await h.registrar.pending();
    expect(h.cx.sars).toHaveLength(1);
  });
});
