import { describe, expect, it } from "vitest";
import { IdGenerator, getValue } from "@ims/diameter";
import { REASON_CODE, buildRtr, readRta } from "@ims/ims";
import { Harness, IMPI, IMPU } from "../testing/registrar-harness.js";
import { answerRtr } from "./rtr-handler.js";

const ID = { originHost: "scscf1.domain.imsprovider.org", originRealm: "domain.imsprovider.org", destinationRealm: "domain.imsprovider.org", destinationHost: "hss.domain.imsprovider.org" };
const HSS = { originHost: "hss.domain.imsprovider.org", originRealm: "domain.imsprovider.org" };

describe("RTR handler", () => {
  it("removes the registration and answers RTA 2001 with our identity", async () => {
    const h = new Harness();
    await h.registerMd5();
    const rtr = buildRtr(
      { sessionId: "hss;1;1", ...HSS, destinationRealm: "domain.imsprovider.org", destinationHost: ID.originHost, userName: IMPI, publicIdentities: [IMPU], deregistrationReason: { reasonCode: REASON_CODE.PERMANENT_TERMINATION } },
      new IdGenerator(0).next(),
    );
    const rta = readRta(answerRtr(h.ctx, { originHost: ID.originHost, originRealm: ID.originRealm }, rtr));
    expect(rta.ok && rta.value).toMatchObject({ result: { kind: "result", code: 2001 }, originHost: ID.originHost, sessionId: "hss;1;1" });
    expect(h.ctx.bindings.find(IMPU)).toBeUndefined();
  });

  it("an RTR missing its User-Name is answered with an error, nothing removed", async () => {
    const h = new Harness();
    await h.registerMd5();
    const good = buildRtr(
      { sessionId: "hss;1;2", ...HSS, destinationRealm: "d", userName: IMPI, publicIdentities: [IMPU], deregistrationReason: { reasonCode: 0 } },
      new IdGenerator(0).next(),
    );
    const bad = { ...good, avps: good.avps.filter((a) => a.code !== 1) };
    const answer = answerRtr(h.ctx, { originHost: ID.originHost, originRealm: ID.originRealm }, bad);
    expect(getValue(answer, "Result-Code")).toBe(5005);
    expect(h.ctx.bindings.find(IMPU)).toBeDefined();
  });
});
