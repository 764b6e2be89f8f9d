import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseUserData } from "@ims/ims";
import { silentLogger } from "@ims/runtime";
import { digestHa1 } from "../auth/digest.js";
import { impuSchema, ifcSchema } from "../provisioning/schemas.js";
import { addSubscriber, subscriberSchema } from "../provisioning/subscriber.js";
import { provisionProfile } from "../store/fixtures.js";
import type { HssDb } from "../store/open-db.js";
import { createServiceProfile, putCapabilitySet, putChargingInfo, putIfc } from "../store/profile-repo.js";
import { createImpu, getImpu, getSubscription, updateImpi, updateImpu, updateSubscription } from "../store/subscriber-repo.js";
import { testDatabases } from "../store/test-databases.js";
import type { CxContext } from "./context.js";
import { fakeAka, fakeAuts } from "./fake-aka.js";
import { handleLir } from "./lir.js";
import { handleMar, type AuthItem } from "./mar.js";
import { SERVER_ASSIGNMENT_TYPE as SAT, USER_AUTHORIZATION_TYPE as UAT } from "./outcome.js";
import { handleSar, type SarInput } from "./sar.js";
import { handleUar } from "./uar.js";

const D = "domain.imsprovider.org";
const S1 = `sip:scscf1.${D}:6060`;
const S2 = `sip:scscf2.${D}:6060`;
const exp = (name: string) => ({ kind: "experimental", name });
const res = (name: string) => ({ kind: "result", name });

describe.each(testDatabases())("Cx procedures on $name", (target) => {
  let hss: HssDb & { cleanup(): Promise<void> };
  let ctx: CxContext;
  const add = async (user: string, extra: Record<string, unknown> = {}) => {
    const r = await addSubscriber(hss.db, subscriberSchema.parse({ impi: `${user}@${D}`, impus: [`sip:${user}@${D}`], secret: `${user}pass`, sqn: "000000021090", ...extra }));
    if (!r.ok) throw new Error(r.error.reason);
  };
  const sar = (user: string, type: number, extra: Partial<SarInput> & { withoutUserName?: boolean } = {}) => {
    const { withoutUserName, ...rest } = extra;
    const input: SarInput = { userName: `${user}@${D}`, publicIdentities: [`sip:${user}@${D}`], serverName: S1, assignmentType: type as SarInput["assignmentType"], userDataAlreadyAvailable: false, originHost: `scscf1.${D}`, originRealm: D, ...rest };
    if (withoutUserName === true) {
      const { userName: _, ...noUser } = input;
      return handleSar(ctx, noUser);
    }
    return handleSar(ctx, input);
  };
  const uar = (user: string, type: number = UAT.REGISTRATION, vni = D) =>
    handleUar(ctx, { userName: `${user}@${D}`, publicIdentity: `sip:${user}@${D}`, visitedNetworkIdentifier: vni, authorizationType: type as 0 });
  const state = async (impu: string) => {
    const r = await getImpu(hss.db, impu);
    return r.ok ? r.value.registrationState : "missing";
  };

  beforeAll(async () => {
    hss = await target.open();
    ctx = { hss, homeRealm: D, aka: fakeAka(), logger: silentLogger() };
    await provisionProfile(hss, "default");
    await add("alice");
    await add("bob", { impus: [`sip:bob@${D}`, "tel:+4930222"] });
    await add("carl", { authSchemes: ["Digest-AKAv1-MD5"], defaultScheme: "Digest-AKAv1-MD5", k: "000102030405060708090a0b0c0d0e0f" });
    await add("dave");
    await add("erin", { visitedNetworks: ["partner.net"] });
    await putCapabilitySet(hss.db, { name: "caps", mandatory: [1], optional: [2, 3] });
    await updateSubscription(hss.db, `alice@${D}`, { name: `alice@${D}`, capabilitySet: "caps", preferredScscf: S1 });
  });
  afterAll(async () => hss.cleanup());

  describe("UAR/UAA", () => {
    it("answers 2001 with Server-Capabilities when no S-CSCF is assigned", async () => {
      expect(await uar("alice")).toEqual({ result: exp("DIAMETER_FIRST_REGISTRATION"), serverCapabilities: { mandatory: [1], optional: [2, 3], serverNames: [S1] } });
    });
    it("answers 5001 for an unknown user and 5002 for identities that do not match", async () => {
      expect((await handleUar(ctx, { userName: `nobody@${D}`, publicIdentity: `sip:alice@${D}`, visitedNetworkIdentifier: D, authorizationType: 0 })).result).toEqual(exp("DIAMETER_ERROR_USER_UNKNOWN"));
      expect((await handleUar(ctx, { userName: `bob@${D}`, publicIdentity: `sip:alice@${D}`, visitedNetworkIdentifier: D, authorizationType: 0 })).result).toEqual(exp("DIAMETER_ERROR_IDENTITIES_DONT_MATCH"));
    });
    it("answers 5004 for a visited network without roaming agreement, 2001 for an allowed one", async () => {
      expect((await uar("alice", UAT.REGISTRATION, "elsewhere.net")).result).toEqual(exp("DIAMETER_ERROR_ROAMING_NOT_ALLOWED"));
      expect((await uar("erin", UAT.REGISTRATION, "partner.net")).result).toEqual(exp("DIAMETER_FIRST_REGISTRATION"));
    });
    it("answers 5003 AUTHORIZATION_REJECTED for a barred identity and one that cannot register", async () => {
      await updateImpu(hss.db, `sip:dave@${D}`, { barring: true });
      expect((await uar("dave")).result).toEqual(res("DIAMETER_AUTHORIZATION_REJECTED"));
      await updateImpu(hss.db, `sip:dave@${D}`, { barring: false, canRegister: false });
      expect((await uar("dave")).result).toEqual(res("DIAMETER_AUTHORIZATION_REJECTED"));
      await updateImpu(hss.db, `sip:dave@${D}`, { canRegister: true });
    });
    it("lets a barred IMPU register when its implicit set has a non-barred one", async () => {
      await updateImpu(hss.db, `sip:bob@${D}`, { barring: true });
      expect((await uar("bob")).result).toEqual(exp("DIAMETER_FIRST_REGISTRATION"));
      await updateImpu(hss.db, `sip:bob@${D}`, { barring: false });
    });
  });

  describe("MAR/MAA", () => {
    it("gives SIP Digest HA1 for scheme Unknown (the default) and stores the S-CSCF as pending", async () => {
      const r = await handleMar(ctx, { userName: `alice@${D}`, publicIdentity: `sip:alice@${D}`, serverName: S1, numberAuthItems: 1, scheme: "Unknown" });
      expect(r.result).toEqual(res("DIAMETER_SUCCESS"));
      expect(r.items).toEqual([{ kind: "digest", itemNumber: 1, scheme: "SIP Digest", realm: D, algorithm: "MD5", qop: "auth", ha1: digestHa1(`alice@${D}`, D, "alicepass") }]);
      expect(await uar("alice")).toEqual({ result: exp("DIAMETER_FIRST_REGISTRATION"), serverName: S1 });
    });
    it("issues several AKA vectors with fresh SQNs; K is the zero-padded secret", async () => {
      const r = await handleMar(ctx, { userName: `alice@${D}`, publicIdentity: `sip:alice@${D}`, serverName: S1, numberAuthItems: 3, scheme: "Digest-AKAv1-MD5" });
      expect(r.items).toHaveLength(3);
      const aka = r.items.filter((i): i is Extract<AuthItem, { kind: "aka" }> => i.kind === "aka");
      expect(aka.map((i) => Buffer.from(i.authenticate.subarray(16, 22)).toString("hex"))).toEqual(["0000000210b0", "0000000210d0", "0000000210f0"]);
      expect(aka.map((i) => i.itemNumber)).toEqual([1, 2, 3]);
      expect(aka.every((i) => i.authenticate.length === 32 && i.ck.length === 16 && i.ik.length === 16)).toBe(true);
      const again = await handleMar(ctx, { userName: `alice@${D}`, publicIdentity: `sip:alice@${D}`, serverName: S1, numberAuthItems: 1, scheme: "Digest-AKAv1-MD5" });
      const a0 = again.items[0];
      expect(a0?.kind === "aka" && Buffer.from(a0.authenticate.subarray(16, 22)).toString("hex")).toBe("000000021110");
    });
    it("uses a changed K at once (AKA keys are never served stale)", async () => {
      const xresFor = (k: string, rand: Uint8Array) => createHash("sha256").update(Buffer.concat([Buffer.from(k, "hex"), rand])).digest().subarray(0, 8).toString("hex");
      await add("kim", { authSchemes: ["Digest-AKAv1-MD5"], defaultScheme: "Digest-AKAv1-MD5", k: "000102030405060708090a0b0c0d0e0f" });
      const mar = () => handleMar(ctx, { userName: `kim@${D}`, publicIdentity: `sip:kim@${D}`, serverName: S1, numberAuthItems: 1, scheme: "Digest-AKAv1-MD5" });
      const item = (r: Awaited<ReturnType<typeof mar>>) => {
        const i = r.items[0];
        if (i?.kind !== "aka") throw new Error("no AKA item");
        return { rand: i.authenticate.subarray(0, 16), xres: Buffer.from(i.authorization).toString("hex") };
      };
      const before = item(await mar());
      expect(before.xres).toBe(xresFor("000102030405060708090a0b0c0d0e0f", before.rand));
      expect((await updateImpi(hss.db, `kim@${D}`, { k: "f0e0d0c0b0a090807060504030201000" })).ok).toBe(true);
      const after = item(await mar());
      expect(after.xres).toBe(xresFor("f0e0d0c0b0a090807060504030201000", after.rand));
    });
    it("resynchronises from a valid AUTS and ignores a forged one", async () => {
      const k = Buffer.from("000102030405060708090a0b0c0d0e0f", "hex");
      const rand = Buffer.alloc(16, 7);
      const good = Buffer.concat([rand, fakeAuts(k, rand, "000000500000")]);
      const r = await handleMar(ctx, { userName: `carl@${D}`, publicIdentity: `sip:carl@${D}`, serverName: S1, numberAuthItems: 1, scheme: "Unknown", authorization: good });
      const v = r.items[0];
      expect(v?.kind === "aka" && Buffer.from(v.authenticate.subarray(16, 22)).toString("hex")).toBe("000000500020");
      const forged = Buffer.concat([rand, Buffer.alloc(14, 1)]);
      const f = await handleMar(ctx, { userName: `carl@${D}`, publicIdentity: `sip:carl@${D}`, serverName: S1, numberAuthItems: 1, scheme: "Unknown", authorization: forged });
      const w = f.items[0];
      expect(w?.kind === "aka" && Buffer.from(w.authenticate.subarray(16, 22)).toString("hex")).toBe("000000500040");
      const short = await handleMar(ctx, { userName: `carl@${D}`, publicIdentity: `sip:carl@${D}`, serverName: S1, numberAuthItems: 1, scheme: "Unknown", authorization: Buffer.alloc(5) });
      expect(short.result).toEqual(res("DIAMETER_UNABLE_TO_COMPLY"));
    });
    it("answers 5006 for a scheme the IMPI may not use, 5001 and 5002 for bad identities", async () => {
      expect((await handleMar(ctx, { userName: `carl@${D}`, publicIdentity: `sip:carl@${D}`, serverName: S1, numberAuthItems: 1, scheme: "SIP Digest" })).result).toEqual(exp("DIAMETER_ERROR_AUTH_SCHEME_NOT_SUPPORTED"));
      expect((await handleMar(ctx, { userName: `carl@${D}`, publicIdentity: `sip:carl@${D}`, serverName: S1, numberAuthItems: 1, scheme: "NASS-Bundled" })).result).toEqual(exp("DIAMETER_ERROR_AUTH_SCHEME_NOT_SUPPORTED"));
      expect((await handleMar(ctx, { userName: `x@${D}`, publicIdentity: `sip:carl@${D}`, serverName: S1, numberAuthItems: 1, scheme: "Unknown" })).result).toEqual(exp("DIAMETER_ERROR_USER_UNKNOWN"));
      expect((await handleMar(ctx, { userName: `alice@${D}`, publicIdentity: `sip:carl@${D}`, serverName: S1, numberAuthItems: 1, scheme: "Unknown" })).result).toEqual(exp("DIAMETER_ERROR_IDENTITIES_DONT_MATCH"));
    });
  });

  describe("SAR/SAA and the registration state", () => {
    it("REGISTRATION registers the implicit set, assigns the S-CSCF and returns User-Data and charging", async () => {
      await putChargingInfo(hss.db, { name: "ci", priEcf: "aaa://ecf1", secEcf: null, priCcf: "aaa://ccf1", secCcf: "aaa://ccf2" });
      await updateImpu(hss.db, `sip:bob@${D}`, { chargingInfo: "ci" });
      const r = await sar("bob", SAT.REGISTRATION);
      expect(r.result).toEqual(res("DIAMETER_SUCCESS"));
      expect(r.userName).toBe(`bob@${D}`);
      expect(r.chargingInformation).toEqual({ primaryEventChargingFunctionName: "aaa://ecf1", primaryChargingCollectionFunctionName: "aaa://ccf1", secondaryChargingCollectionFunctionName: "aaa://ccf2" });
      const ud = parseUserData(r.userData ?? "");
      expect(ud.ok && ud.value.serviceProfiles[0]?.publicIdentities.map((p) => p.identity)).toEqual([`sip:bob@${D}`, "tel:+4930222"]);
      expect(await state("tel:+4930222")).toBe("REGISTERED");
      const s = await getSubscription(hss.db, `bob@${D}`);
      expect(s.ok && s.value.scscfName).toBe(S1);
      expect(s.ok && s.value.scscfHost).toBe(`scscf1.${D}`);
      expect(await uar("bob")).toEqual({ result: exp("DIAMETER_SUBSEQUENT_REGISTRATION"), serverName: S1 });
      expect(await handleLir(ctx, { publicIdentity: "tel:+4930222" })).toEqual({ result: res("DIAMETER_SUCCESS"), serverName: S1 });
    });
    it("RE_REGISTRATION with user data already available sends none", async () => {
      const r = await sar("bob", SAT.RE_REGISTRATION, { userDataAlreadyAvailable: true });
      expect(r.result).toEqual(res("DIAMETER_SUCCESS"));
      expect(r.userData).toBeUndefined();
    });
    it("NO_ASSIGNMENT returns the profile to the assigned S-CSCF only", async () => {
      expect((await sar("bob", SAT.NO_ASSIGNMENT)).userData).toContain("<PrivateID>bob@");
      expect((await sar("bob", SAT.NO_ASSIGNMENT, { serverName: S2 })).result).toEqual(res("DIAMETER_UNABLE_TO_COMPLY"));
      expect((await sar("dave", SAT.NO_ASSIGNMENT)).result).toEqual(exp("DIAMETER_ERROR_IDENTITY_NOT_REGISTERED"));
    });
    it("UAR DE_REGISTRATION gives the Server-Name of a registered user and 5003 otherwise", async () => {
      expect(await uar("bob", UAT.DE_REGISTRATION)).toEqual({ result: res("DIAMETER_SUCCESS"), serverName: S1 });
      expect((await uar("dave", UAT.DE_REGISTRATION)).result).toEqual(exp("DIAMETER_ERROR_IDENTITY_NOT_REGISTERED"));
      expect((await uar("bob", UAT.REGISTRATION_AND_CAPABILITIES)).serverCapabilities).toEqual({ mandatory: [], optional: [], serverNames: [] });
    });
    it("USER_DEREGISTRATION_STORE_SERVER_NAME keeps the name with state UNREGISTERED; USER_DEREGISTRATION clears it", async () => {
      expect((await sar("bob", SAT.USER_DEREGISTRATION_STORE_SERVER_NAME)).result).toEqual(res("DIAMETER_SUCCESS"));
      expect(await state(`sip:bob@${D}`)).toBe("UNREGISTERED");
      expect(await handleLir(ctx, { publicIdentity: `sip:bob@${D}` })).toEqual({ result: exp("DIAMETER_UNREGISTERED_SERVICE"), serverName: S1 });
      expect((await sar("bob", SAT.USER_DEREGISTRATION, { serverName: S2 })).result).toEqual(res("DIAMETER_UNABLE_TO_COMPLY"));
      expect((await sar("bob", SAT.USER_DEREGISTRATION)).result).toEqual(res("DIAMETER_SUCCESS"));
      expect(await state("tel:+4930222")).toBe("NOT_REGISTERED");
      const s = await getSubscription(hss.db, `bob@${D}`);
      expect(s.ok && s.value.scscfName).toBeNull();
    });
    it("TIMEOUT_DEREGISTRATION clears, UNREGISTERED_USER assigns for unregistered services", async () => {
      await sar("alice", SAT.REGISTRATION);
      expect((await sar("alice", SAT.TIMEOUT_DEREGISTRATION)).result).toEqual(res("DIAMETER_SUCCESS"));
      expect(await state(`sip:alice@${D}`)).toBe("NOT_REGISTERED");
      const r = await sar("alice", SAT.UNREGISTERED_USER, { withoutUserName: true });
      expect(r.userName).toBe(`alice@${D}`);
      expect(r.userData).toContain("sip:alice@");
      expect(await state(`sip:alice@${D}`)).toBe("UNREGISTERED");
      await sar("alice", SAT.ADMINISTRATIVE_DEREGISTRATION);
      expect(await state(`sip:alice@${D}`)).toBe("NOT_REGISTERED");
    });
    it("AUTHENTICATION_FAILURE drops the pending S-CSCF of a user that is not registered", async () => {
      await handleMar(ctx, { userName: `dave@${D}`, publicIdentity: `sip:dave@${D}`, serverName: S2, numberAuthItems: 1, scheme: "Unknown" });
      expect((await uar("dave")).serverName).toBe(S2);
      expect((await sar("dave", SAT.AUTHENTICATION_FAILURE, { serverName: S2 })).result).toEqual(res("DIAMETER_SUCCESS"));
      expect((await uar("dave")).serverName).toBeUndefined();
      expect((await sar("dave", SAT.AUTHENTICATION_TIMEOUT)).result).toEqual(res("DIAMETER_SUCCESS"));
    });
    it("answers 5001/5002 for unknown or unrelated identities and 5007 for RESTORATION", async () => {
      expect((await sar("nobody", SAT.REGISTRATION)).result).toEqual(exp("DIAMETER_ERROR_USER_UNKNOWN"));
      expect((await sar("alice", SAT.REGISTRATION, { publicIdentities: [`sip:bob@${D}`] })).result).toEqual(exp("DIAMETER_ERROR_IDENTITIES_DONT_MATCH"));
      expect((await sar("alice", SAT.REGISTRATION, { publicIdentities: [`sip:ghost@${D}`] })).result).toEqual(exp("DIAMETER_ERROR_USER_UNKNOWN"));
      expect((await sar("alice", SAT.RESTORATION)).result).toEqual(exp("DIAMETER_ERROR_IN_ASSIGNMENT_TYPE"));
    });
  });

  describe("LIR/LIA", () => {
    it("answers 5001 for an unknown identity and 5003 for one not registered without unregistered services", async () => {
      expect((await handleLir(ctx, { publicIdentity: `sip:ghost@${D}` })).result).toEqual(exp("DIAMETER_ERROR_USER_UNKNOWN"));
      await createServiceProfile(hss.db, { name: "bare", cnServiceAuth: null });
      await updateImpu(hss.db, `sip:dave@${D}`, { serviceProfile: "bare" });
      expect((await handleLir(ctx, { publicIdentity: `sip:dave@${D}` })).result).toEqual(exp("DIAMETER_ERROR_IDENTITY_NOT_REGISTERED"));
    });
    it("answers 2003 with capabilities for a user with unregistered-state services, and for a wildcarded PSI", async () => {
      await putIfc(hss.db, "bare", ifcSchema.parse({ name: "unreg", priority: 9, applicationServer: "default-as", profilePartIndicator: 1 }));
      expect(await handleLir(ctx, { publicIdentity: `sip:dave@${D}` })).toEqual({ result: exp("DIAMETER_UNREGISTERED_SERVICE"), serverCapabilities: { mandatory: [], optional: [], serverNames: [] } });
      await createImpu(hss.db, impuSchema.parse({ identity: `sip:conf!.*!@${D}`, subscription: `dave@${D}`, type: "wildcarded_psi", wildcardPsi: `sip:conf!.*!@${D}`, serviceProfile: "default" }));
      const w = await handleLir(ctx, { publicIdentity: `sip:conf42@${D}` });
      expect(w.result).toEqual(exp("DIAMETER_UNREGISTERED_SERVICE"));
      expect(w.wildcardedPublicIdentity).toBe(`sip:conf!.*!@${D}`);
    });
  });
});
