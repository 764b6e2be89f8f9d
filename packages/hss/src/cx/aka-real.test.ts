import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAkaService, MemoryUsimSqnStore, usimAuthenticate } from "@ims/aka";
import { silentLogger } from "@ims/runtime";
import { applySeed, loadSeedFile } from "../provisioning/seed.js";
import { testDatabases, type TestDb } from "../store/test-databases.js";
import type { CxContext } from "./context.js";
import { handleMar, type AuthItem } from "./mar.js";

const D = "domain.imsprovider.org";
type Aka = Extract<AuthItem, { kind: "aka" }>;

/** MAR with packages/aka's Milenage, checked by its USIM: the vectors a real UE would accept. */
describe("Digest-AKAv1-MD5 vectors with Milenage (packages/aka)", () => {
  let hss: TestDb;
  let ctx: CxContext;
  const mar = async (impi: string, authorization?: Uint8Array): Promise<Aka> => {
    const r = await handleMar(ctx, { userName: impi, publicIdentity: `sip:${impi}`, serverName: `sip:scscf1.${D}:6060`, numberAuthItems: 1, scheme: "Digest-AKAv1-MD5", ...(authorization === undefined ? {} : { authorization }) });
    const item = r.items[0];
    if (item?.kind !== "aka") throw new Error(`no vector: ${JSON.stringify(r.result)}`);
    return item;
  };
  beforeAll(async () => {
    const sqlite = testDatabases()[0];
    if (sqlite === undefined) throw new Error("no sqlite");
    hss = await sqlite.open();
    ctx = { hss, homeRealm: D, aka: createAkaService(), logger: silentLogger() };
    await applySeed(hss, loadSeedFile(new URL("../../../../config/subscribers.json", import.meta.url).pathname), silentLogger());
  });
  afterAll(async () => hss.cleanup());

  it("gives the SIPp subscriber c a vector its K/OP (printable strings) accept, RES = XRES", async () => {
    const v = await mar(`c@${D}`);
    const store = new MemoryUsimSqnStore();
    const out = usimAuthenticate({ k: Buffer.from("0123456789abcdef"), operator: { op: Buffer.from("ABCDEFGHIJKLMNOP") }, rand: v.authenticate.subarray(0, 16), autn: v.authenticate.subarray(16, 32), store });
    expect(out.ok && out.value.kind).toBe("success");
    if (out.ok && out.value.kind === "success") {
      expect(Buffer.from(out.value.res).equals(Buffer.from(v.authorization))).toBe(true);
      expect(Buffer.from(out.value.ck).equals(Buffer.from(v.ck))).toBe(true);
      expect(Buffer.from(v.authenticate.subarray(22, 24)).toString("hex")).toBe("8000");
    }
  });

  it("uses the zero-padded password as K for a (apass, OP zeros), and resynchronises from a real AUTS", async () => {
    const k = Buffer.alloc(16);
    Buffer.from("apass").copy(k);
    const usim = new MemoryUsimSqnStore();
    const first = await mar(`a@${D}`);
    const ok1 = usimAuthenticate({ k, operator: { op: Buffer.alloc(16) }, rand: first.authenticate.subarray(0, 16), autn: first.authenticate.subarray(16), store: usim });
    expect(ok1.ok && ok1.value.kind).toBe("success");
    // The USIM has moved far ahead (another HSS, a reset DB): it answers the next challenge with AUTS.
    for (let i = 0; i < 40; i++) usim.accept(0x0000_0100_0000 + i * 33);
    const stale = await mar(`a@${D}`);
    const sync = usimAuthenticate({ k, operator: { op: Buffer.alloc(16) }, rand: stale.authenticate.subarray(0, 16), autn: stale.authenticate.subarray(16), store: usim });
    if (!sync.ok || sync.value.kind !== "sync-failure") throw new Error("expected a sync failure");
    const fresh = await mar(`a@${D}`, Buffer.concat([stale.authenticate.subarray(0, 16), sync.value.auts]));
    const ok2 = usimAuthenticate({ k, operator: { op: Buffer.alloc(16) }, rand: fresh.authenticate.subarray(0, 16), autn: fresh.authenticate.subarray(16), store: usim });
    expect(ok2.ok && ok2.value.kind).toBe("success");
  });
});
