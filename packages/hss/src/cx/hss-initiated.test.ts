import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildPpa, buildRta, cxSuccess, experimentalResult, parseUserData, readPpr, readRtr, type PushProfileRequest, type RegistrationTerminationRequest } from "@ims/ims";
import type { DiameterMessage } from "@ims/diameter";
import { silentLogger } from "@ims/runtime";
import { addSubscriber, subscriberSchema } from "../provisioning/subscriber.js";
import { getImpu, getSubscription } from "../store/subscriber-repo.js";
import { testDatabases, type TestDb } from "../store/test-databases.js";
import type { CxContext } from "./context.js";
import { fakeAka } from "./fake-aka.js";
import { SERVER_ASSIGNMENT_TYPE as SAT } from "./outcome.js";
import { pushProfiles } from "./ppr.js";
import { deregisterImpu } from "./rtr.js";
import { handleSar } from "./sar.js";
import type { CxSender } from "./sender.js";

const D = "domain.imsprovider.org";
const ID = { originHost: `hss.${D}`, originRealm: D };

describe("HSS-initiated RTR and PPR", () => {
  let hss: TestDb;
  let ctx: CxContext;
  const rtrs: RegistrationTerminationRequest[] = [];
  const pprs: PushProfileRequest[] = [];
  let rtaCode = 2001;
  let n = 0;
  const sender: CxSender = {
    nextIds: () => ({ hopByHop: ++n, endToEnd: n }),
    nextSessionId: () => `hss;${n}`,
    send: (req: DiameterMessage) => {
      const r = readRtr(req);
      if (r.ok) {
        rtrs.push(r.value);
        return Promise.resolve(buildRta(req, { originHost: `scscf1.${D}`, originRealm: D, result: rtaCode === 2001 ? cxSuccess : experimentalResult(rtaCode) }));
      }
      const p = readPpr(req);
      if (p.ok) {
        pprs.push(p.value);
        return Promise.resolve(buildPpa(req, { originHost: `scscf1.${D}`, originRealm: D, result: cxSuccess }));
      }
      return Promise.reject(new Error("unexpected request"));
    },
  };
  const register = (user: string) =>
    handleSar(ctx, { userName: `${user}@${D}`, publicIdentities: [`sip:${user}@${D}`], serverName: `sip:scscf1.${D}:6060`, assignmentType: SAT.REGISTRATION, userDataAlreadyAvailable: false, originHost: `scscf1.${D}`, originRealm: D });

  beforeAll(async () => {
    const sqlite = testDatabases()[0];
    if (sqlite === undefined) throw new Error("no sqlite");
    hss = await sqlite.open();
    ctx = { hss, homeRealm: D, aka: fakeAka(), logger: silentLogger() };
    for (const u of ["a", "b"]) {
      const r = await addSubscriber(hss.db, subscriberSchema.parse({ impi: `${u}@${D}`, impus: [`sip:${u}@${D}`, `tel:+100${u === "a" ? 1 : 2}`], secret: "x" }));
      expect(r.ok).toBe(true);
    }
  });
  afterAll(async () => hss.cleanup());

  it("sends an RTR with the implicit set to the assigned S-CSCF and de-registers on success", async () => {
    await register("a");
    const r = await deregisterImpu(ctx, ID, sender, `sip:a@${D}`);
    expect(r).toEqual({ ok: true, value: { sent: true, answer: 2001 } });
    expect(rtrs[0]).toMatchObject({ destinationHost: `scscf1.${D}`, userName: `a@${D}`, publicIdentities: [`sip:a@${D}`, "tel:+1001"], deregistrationReason: { reasonCode: 0 } });
    const u = await getImpu(hss.db, "tel:+1001");
    expect(u.ok && u.value.registrationState).toBe("NOT_REGISTERED");
    const s = await getSubscription(hss.db, `a@${D}`);
    expect(s.ok && s.value.scscfName).toBeNull();
  });

  it("keeps the registration when the S-CSCF refuses the RTR, and sends nothing for a user not registered", async () => {
    await register("b");
    rtaCode = 5012;
    const r = await deregisterImpu(ctx, ID, sender, `sip:b@${D}`);
    expect(r.ok && r.value.answer).toBe(5012);
    expect((await getImpu(hss.db, `sip:b@${D}`)).ok && (await getImpu(hss.db, `sip:b@${D}`))).toMatchObject({ value: { registrationState: "REGISTERED" } });
    rtaCode = 2001;
    const before = rtrs.length;
    expect(await deregisterImpu(ctx, ID, sender, `sip:a@${D}`)).toEqual({ ok: true, value: { sent: false, reason: "no S-CSCF assigned" } });
    expect(rtrs.length).toBe(before);
    expect((await deregisterImpu(ctx, ID, sender, "sip:ghost@x")).ok).toBe(false);
  });

  it("pushes the new profile of a registered implicit set once, and none for users not registered", async () => {
    const codes = await pushProfiles(ctx, ID, sender, [`sip:b@${D}`, "tel:+1002", `sip:a@${D}`]);
    expect(codes).toEqual([2001]);
    expect(pprs).toHaveLength(1);
    expect(pprs[0]?.userName).toBe(`b@${D}`);
    const ud = parseUserData(pprs[0]?.userData ?? "");
    expect(ud.ok && ud.value.serviceProfiles[0]?.publicIdentities.map((p) => p.identity)).toEqual([`sip:b@${D}`, "tel:+1002"]);
  });
});
