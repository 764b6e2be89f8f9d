import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { impiSchema, impuSchema, subscriptionSchema, capabilitySetSchema, ifcSchema, serviceProfileSchema } from "../provisioning/schemas.js";
import {
  findImpi,
  findImpu,
  buildUserData,
  implicitSetOf,
  impuWithSubscription,
  marLookup,
  sarLookup,
  subscriptionById,
  uarLookup,
  wildcardMatches,
} from "./cx-repo.js";
import { prepareRows } from "./prepared.js";
import { provisionProfile, provisionUser } from "./fixtures.js";
import type { HssDb } from "./open-db.js";
import { createServiceProfile, deleteApplicationServer, getServiceProfile, putCapabilitySet, putIfc, listCapabilitySets } from "./profile-repo.js";
import { reserveSqns } from "./sqn.js";
import {
  createImpi,
  createImpu,
  createSubscription,
  deleteSubscription,
  getImpi,
  getImpu,
  getSubscription,
  updateImpi,
  updateImpu,
} from "./subscriber-repo.js";
import { testDatabases } from "./test-databases.js";

const plus32 = (s: string): string => ((parseInt(s, 16) + 32) % 2 ** 48).toString(16).padStart(12, "0");

describe.each(testDatabases())("HSS store on $name", (target) => {
  let hss: HssDb & { cleanup(): Promise<void> };
  beforeAll(async () => {
    hss = await target.open();
    await provisionProfile(hss);
    await provisionUser(hss, { name: "alice" });
    await provisionUser(hss, { name: "bob", sqn: "000000000000" });
  });
  afterAll(async () => {
    await hss.cleanup();
  });

  it("shows an IMPI without any secret", async () => {
    const r = await getImpi(hss.db, "alice@domain.imsprovider.org");
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toMatchObject({ hasSecret: true, hasK: false, hasOp: true, amf: "8000", sqn: "000000021090" });
    expect(JSON.stringify(r.value)).not.toContain("alicepass");
    expect(Object.keys(r.value)).not.toContain("secret");
  });

  it("links IMPU and IMPI and starts NOT_REGISTERED in its own implicit set", async () => {
    const r = await getImpu(hss.db, "sip:alice@domain.imsprovider.org");
    expect(r.ok && r.value).toMatchObject({
      registrationState: "NOT_REGISTERED",
      impis: ["alice@domain.imsprovider.org"],
      implicitSet: ["sip:alice@domain.imsprovider.org"],
      serviceProfile: "default",
    });
  });

  it("joins an implicit registration set and builds the User-Data of the set", async () => {
    const r = await createImpu(
      hss.db,
      impuSchema.parse({
        identity: "tel:+4930111",
        subscription: "alice",
        serviceProfile: "default",
        implicitSetWith: "sip:alice@domain.imsprovider.org",
        impis: ["alice@domain.imsprovider.org"],
      }),
    );
    expect(r.ok && r.value.implicitSet).toEqual(["sip:alice@domain.imsprovider.org", "tel:+4930111"]);
    const impu = await findImpu(hss.db, "tel:+4930111");
    if (impu === undefined) throw new Error("missing");
    const ud = await buildUserData(hss.db, "alice@domain.imsprovider.org", await implicitSetOf(hss.db, impu));
    expect(ud.serviceProfiles).toHaveLength(1);
    expect(ud.serviceProfiles[0]?.publicIdentities.map((p) => p.identity)).toEqual(["sip:alice@domain.imsprovider.org", "tel:+4930111"]);
    expect(ud.serviceProfiles[0]?.initialFilterCriteria[0]?.triggerPoint?.spt[0]?.condition).toEqual({ kind: "method", method: "INVITE" });
  });

  it("builds User-Data for profiles with several iFCs (by priority) and with none", async () => {
    expect((await createServiceProfile(hss.db, serviceProfileSchema.parse({ name: "two", cnServiceAuth: 7 }))).ok).toBe(true);
    expect((await createServiceProfile(hss.db, serviceProfileSchema.parse({ name: "none" }))).ok).toBe(true);
    for (const [name, priority] of [["late", 5], ["early", 2]] as const) {
      const r = await putIfc(hss.db, "two", ifcSchema.parse({ name, priority, applicationServer: "default-as", profilePartIndicator: 0 }));
      expect(r.ok).toBe(true);
    }
    await createSubscription(hss.db, subscriptionSchema.parse({ name: "pat" }));
    await createImpi(hss.db, impiSchema.parse({ identity: "pat@x", subscription: "pat", secret: "p" }));
    for (const [identity, serviceProfile] of [["sip:pat-two@x", "two"], ["sip:pat-none@x", "none"]] as const) {
      const r = await createImpu(hss.db, impuSchema.parse({ identity, subscription: "pat", serviceProfile, impis: ["pat@x"] }));
      expect(r.ok).toBe(true);
    }
    const two = await findImpu(hss.db, "sip:pat-two@x");
    const none = await findImpu(hss.db, "sip:pat-none@x");
    if (two === undefined || none === undefined) throw new Error("missing");
    const ud = await buildUserData(hss.db, "pat@x", [two, none]);
    expect(ud.serviceProfiles).toHaveLength(2);
    expect(ud.serviceProfiles[0]).toMatchObject({ subscribedMediaProfileId: 7, publicIdentities: [{ identity: "sip:pat-two@x" }] });
    expect(ud.serviceProfiles[0]?.initialFilterCriteria.map((i) => [i.priority, i.profilePartIndicator, i.applicationServer.serverName])).toEqual([
      [2, 0, "sip:as.domain.imsprovider.org:5070"],
      [5, 0, "sip:as.domain.imsprovider.org:5070"],
    ]);
    expect(ud.serviceProfiles[1]).toEqual({ publicIdentities: [{ identity: "sip:pat-none@x", identityType: 0 }], initialFilterCriteria: [] });
  });

  it("refuses duplicates, unknown references and a default scheme that is not allowed", async () => {
    const dup = await createSubscription(hss.db, subscriptionSchema.parse({ name: "alice" }));
    expect(!dup.ok && dup.error.tag).toBe("conflict");
    const badRef = await createImpi(hss.db, impiSchema.parse({ identity: "x@y", subscription: "nobody", secret: "s" }));
    expect(!badRef.ok && badRef.error.tag).toBe("invalid");
    const badImpu = await createImpu(
      hss.db,
      impuSchema.parse({ identity: "sip:z@y", subscription: "alice", serviceProfile: "default", impis: ["nobody@y"] }),
    );
    expect(!badImpu.ok && badImpu.error.tag).toBe("invalid");
    expect((await getImpu(hss.db, "sip:z@y")).ok).toBe(false);
    const badScheme = await updateImpi(hss.db, "alice@domain.imsprovider.org", { authSchemes: ["Digest-AKAv1-MD5"] });
    expect(!badScheme.ok && badScheme.error.tag).toBe("invalid");
    expect(impiSchema.safeParse({ identity: "a", subscription: "s" }).success).toBe(false);
    expect(impiSchema.safeParse({ identity: "a", subscription: "s", secret: "x", k: "zz" }).success).toBe(false);
  });

  it("refuses to delete an application server still used by an iFC", async () => {
    const r = await deleteApplicationServer(hss.db, "default-as");
    expect(!r.ok && r.error.tag).toBe("conflict");
    expect((await getServiceProfile(hss.db, "default")).ok).toBe(true);
  });

  it("updates IMPU barring and capability sets", async () => {
    const r = await updateImpu(hss.db, "sip:bob@domain.imsprovider.org", { barring: true, visitedNetworks: ["visited.net"] });
    expect(r.ok && r.value).toMatchObject({ barring: true, visitedNetworks: ["visited.net"], impis: ["bob@domain.imsprovider.org"] });
    await putCapabilitySet(hss.db, capabilitySetSchema.parse({ name: "caps", mandatory: [1], optional: [2, 3] }));
    await putCapabilitySet(hss.db, capabilitySetSchema.parse({ name: "caps", mandatory: [4], optional: [] }));
    expect(await listCapabilitySets(hss.db)).toEqual([{ name: "caps", mandatory: [4], optional: [] }]);
  });

  it("issues distinct SQNs to 40 parallel reservations of one IMPI", async () => {
    const impi = await findImpi(hss.db, "bob@domain.imsprovider.org");
    if (impi === undefined) throw new Error("missing");
    const all = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        reserveSqns(hss.db, hss.dialect, impi.id, { count: 1 + (i % 2), step: plus32, ...(i % 3 === 0 ? { expected: "000000000000" } : {}) }),
      ),
    );
    const sqns = all.flatMap((r) => r?.sqns ?? []);
    expect(sqns).toHaveLength(60);
    expect(new Set(sqns).size).toBe(60);
    const after = await findImpi(hss.db, "bob@domain.imsprovider.org");
    expect(after?.sqn).toBe((60 * 32).toString(16).padStart(12, "0"));
  });

  it("keeps an SQN reserved while another writer's transaction is open when that transaction rolls back", async () => {
    const impi = await findImpi(hss.db, "bob@domain.imsprovider.org");
    if (impi === undefined) throw new Error("missing");
    let release = (): void => undefined;
    const gate = new Promise<void>((r) => (release = r));
    let began = (): void => undefined;
    const begun = new Promise<void>((r) => (began = r));
    const other = hss.db
      .transaction()
      .execute(async (trx) => {
        await trx.updateTable("subscription").set({ preferred_scscf: "sip:rolled-back" }).where("name", "=", "alice").execute();
        began();
        await gate;
        throw new Error("roll back");
      })
      .catch(() => "rolled back");
    await begun;
    const reservation = reserveSqns(hss.db, hss.dialect, impi.id, { count: 1, step: plus32, expected: impi.sqn });
    await new Promise((r) => setTimeout(r, 20));
    release();
    expect(await other).toBe("rolled back");
    const r = await reservation;
    expect(r?.sqns).toEqual([plus32(impi.sqn)]);
    expect((await findImpi(hss.db, "bob@domain.imsprovider.org"))?.sqn).toBe(plus32(impi.sqn));
    const alice = await getSubscription(hss.db, "alice");
    expect(alice.ok && alice.value.preferredScscf).toBe(null);
  });

  it("continues from SQN_MS after a resynchronisation", async () => {
    const impi = await findImpi(hss.db, "alice@domain.imsprovider.org");
    if (impi === undefined) throw new Error("missing");
    const r = await reserveSqns(hss.db, hss.dialect, impi.id, { count: 2, step: plus32, resyncFrom: "000000100000" });
    expect(r?.sqns).toEqual(["000000100020", "000000100040"]);
  });

  it("the one-query Cx lookups give the same rows as the step-by-step reads, directly and inside a transaction", async () => {
    const impi = "bob@domain.imsprovider.org";
    const impu = "sip:bob@domain.imsprovider.org";
    const u = await findImpu(hss.db, impu);
    const i = await findImpi(hss.db, impi);
    if (u === undefined || i === undefined) throw new Error("bob not provisioned");
    const sub = await subscriptionById(hss.db, u.subscription_id);
    expect(await uarLookup(hss.db, impi, impu)).toEqual({
      impu: { id: u.id, subscription_id: u.subscription_id, impu_type: u.impu_type, barring: u.barring, can_register: u.can_register, implicit_set: u.implicit_set, user_state: u.user_state },
      subscription: { capability_set_id: sub?.capability_set_id, preferred_scscf: sub?.preferred_scscf, scscf_name: sub?.scscf_name, pending_scscf: sub?.pending_scscf },
    });
    expect(await impuWithSubscription(hss.db, impu)).toEqual({ impu: u, subscription: sub });
    expect(await sarLookup(hss.db, impi, impu)).toEqual({ impi: { id: i.id, identity: i.identity }, set: [u], subscription: sub });
    expect(await marLookup(hss.db, impi, impu)).toEqual({ ...i, user_state: u.user_state, scscf_name: sub?.scscf_name, pending_scscf: sub?.pending_scscf, sub_id: sub?.id });
    expect(await uarLookup(hss.db, impi, "sip:nobody@domain.imsprovider.org")).toBeUndefined();
    expect(await sarLookup(hss.db, "nobody@domain.imsprovider.org", impu)).toBeUndefined();
    // Inside a transaction the store's queries go through kysely (objects, not value arrays).
    const query = prepareRows(hss.db, 1, ["id", "identity"], (d, [a]) => d.selectFrom("impu").select(["id", "identity"]).where("identity", "=", a));
    const direct = await query(hss.db, [impu]);
    expect(direct).toEqual([[u.id, impu]]);
    expect(await hss.db.transaction().execute((trx) => query(trx, [impu]))).toEqual(direct);
  });

  it("deletes a subscription with its identities in one go", async () => {
    await createSubscription(hss.db, subscriptionSchema.parse({ name: "carol" }));
    await createImpi(hss.db, impiSchema.parse({ identity: "carol@x", subscription: "carol", secret: "c" }));
    await createImpu(hss.db, impuSchema.parse({ identity: "sip:carol@x", subscription: "carol", serviceProfile: "default", impis: ["carol@x"] }));
    expect((await deleteSubscription(hss.db, "carol")).ok).toBe(true);
    expect((await getImpi(hss.db, "carol@x")).ok).toBe(false);
    expect((await getImpu(hss.db, "sip:carol@x")).ok).toBe(false);
    expect((await getSubscription(hss.db, "carol")).ok).toBe(false);
  });
});

describe("wildcarded PSI", () => {
  it("matches the FHoSS !regex! syntax and nothing else", () => {
    expect(wildcardMatches("sip:chat-!.*!@d.org", "sip:chat-42@d.org")).toBe(true);
    expect(wildcardMatches("sip:chat-!.*!@d.org", "sip:chat-42@e.org")).toBe(false);
    expect(wildcardMatches("sip:a.b@d", "sip:aXb@d")).toBe(false);
    expect(wildcardMatches("sip:!(!@d", "sip:x@d")).toBe(false);
  });
});

describe("prepared row queries", () => {
  it("refuse result columns other than the ones named (SQLite)", async () => {
    const target = testDatabases().find((t) => t.name === "sqlite");
    if (target === undefined) throw new Error("no SQLite test store");
    const hss = await target.open();
    try {
      expect(() => prepareRows(hss.db, 1, ["identity", "id"], (d, [a]) => d.selectFrom("impu").select(["id", "identity"]).where("identity", "=", a))).toThrow(/columns id,identity/);
    } finally {
      await hss.cleanup();
    }
  });
});
