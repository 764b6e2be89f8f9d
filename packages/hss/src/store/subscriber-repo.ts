import { ok } from "@ims/runtime";
import type { Kysely, Selectable, Transaction } from "kysely";
import type { ImpiData, ImpiPatch, ImpuData, ImpuPatch, SubscriptionData } from "../provisioning/schemas.js";
import { guarded, notFound, StoreAbort, type StoreResult } from "./errors.js";
import { idOf } from "./profile-repo.js";
import type { HssDatabase, ImpiTable, ImpuType, RegistrationState } from "./tables.js";

type Db = Kysely<HssDatabase>;
type Trx = Transaction<HssDatabase>;

export interface SubscriptionView extends SubscriptionData {
  readonly scscfName: string | null;
  readonly scscfHost: string | null;
  readonly impis: string[];
  readonly impus: string[];
}

/** An IMPI as the API shows it: which secrets are set, never their values. */
export interface ImpiView {
  readonly identity: string;
  readonly subscription: string;
  readonly amf: string;
  readonly sqn: string;
  readonly authSchemes: string[];
  readonly defaultScheme: string;
  readonly hasSecret: boolean;
  readonly hasK: boolean;
  readonly hasOp: boolean;
  readonly hasOpc: boolean;
}

export interface ImpuView {
  readonly identity: string;
  readonly subscription: string;
  readonly type: ImpuType;
  readonly wildcardPsi: string | null;
  readonly displayName: string | null;
  readonly barring: boolean;
  readonly canRegister: boolean;
  readonly psiActivation: boolean;
  readonly serviceProfile: string;
  readonly chargingInfo: string | null;
  readonly implicitSet: string[];
  readonly impis: string[];
  readonly visitedNetworks: string[];
  readonly registrationState: RegistrationState;
}

// ---- subscriptions

export async function listSubscriptions(db: Db): Promise<SubscriptionView[]> {
  const rows = await db.selectFrom("subscription").select("name").orderBy("name").execute();
  const out: SubscriptionView[] = [];
  for (const r of rows) {
    const v = await getSubscription(db, r.name);
    if (v.ok) out.push(v.value);
  }
  return out;
}

export async function getSubscription(db: Db, name: string): Promise<StoreResult<SubscriptionView>> {
  const s = await db
    .selectFrom("subscription")
    .leftJoin("capability_set", "capability_set.id", "subscription.capability_set_id")
    .select([
      "subscription.id",
      "subscription.name",
      "subscription.preferred_scscf",
      "subscription.scscf_name",
      "subscription.scscf_host",
      "capability_set.name as caps",
    ])
    .where("subscription.name", "=", name)
    .executeTakeFirst();
  if (s === undefined) return notFound(`subscription '${name}'`);
  const impis = await db.selectFrom("impi").select("identity").where("subscription_id", "=", s.id).orderBy("identity").execute();
  const impus = await db.selectFrom("impu").select("identity").where("subscription_id", "=", s.id).orderBy("identity").execute();
  return ok({
    name: s.name,
    capabilitySet: s.caps,
    preferredScscf: s.preferred_scscf,
    scscfName: s.scscf_name,
    scscfHost: s.scscf_host,
    impis: impis.map((r) => r.identity),
    impus: impus.map((r) => r.identity),
  });
}

async function subscriptionRow(trx: Db, s: SubscriptionData) {
  return {
    name: s.name,
    capability_set_id: s.capabilitySet === null ? null : await idOf(trx, "capability_set", s.capabilitySet),
    preferred_scscf: s.preferredScscf,
  };
}

export const createSubscription = (db: Db, s: SubscriptionData): Promise<StoreResult<SubscriptionData>> =>
  guarded(async () => {
    await db.insertInto("subscription").values(await subscriptionRow(db, s)).execute();
    return ok(s);
  });

export const updateSubscription = (db: Db, name: string, s: SubscriptionData): Promise<StoreResult<SubscriptionData>> =>
  guarded(async () => {
    const r = await db.updateTable("subscription").set(await subscriptionRow(db, s)).where("name", "=", name).executeTakeFirst();
    return r.numUpdatedRows === 0n ? notFound(`subscription '${name}'`) : ok(s);
  });

/** Deletes a subscription with its IMPIs, IMPUs and links (foreign keys cascade; one transaction). */
export const deleteSubscription = (db: Db, name: string): Promise<StoreResult<null>> =>
  guarded(() =>
    db.transaction().execute(async (trx) => {
      const s = await trx.selectFrom("subscription").select("id").where("name", "=", name).executeTakeFirst();
      if (s === undefined) return notFound(`subscription '${name}'`);
      const impus = trx.selectFrom("impu").select("id").where("subscription_id", "=", s.id);
      const impis = trx.selectFrom("impi").select("id").where("subscription_id", "=", s.id);
      await trx.deleteFrom("impu_visited_network").where("impu_id", "in", impus).execute();
      await trx.deleteFrom("impi_impu").where((eb) => eb.or([eb("impu_id", "in", impus), eb("impi_id", "in", impis)])).execute();
      await trx.deleteFrom("impu").where("subscription_id", "=", s.id).execute();
      await trx.deleteFrom("impi").where("subscription_id", "=", s.id).execute();
      await trx.deleteFrom("subscription").where("id", "=", s.id).execute();
      return ok(null);
    }),
  );

// ---- IMPIs

export function impiView(r: Selectable<ImpiTable>, subscription: string): ImpiView {
  return {
    identity: r.identity,
    subscription,
    amf: r.amf,
    sqn: r.sqn,
    authSchemes: r.auth_schemes.split(",").filter((s) => s !== ""),
    defaultScheme: r.default_scheme,
    hasSecret: r.secret !== null,
    hasK: r.k !== null,
    hasOp: r.op !== null,
    hasOpc: r.opc !== null,
  };
}

export async function listImpis(db: Db): Promise<ImpiView[]> {
  const rows = await db
    .selectFrom("impi")
    .innerJoin("subscription", "subscription.id", "impi.subscription_id")
    .selectAll("impi")
    .select("subscription.name as sub")
    .orderBy("impi.identity")
    .execute();
  return rows.map((r) => impiView(r, r.sub));
}

export async function getImpi(db: Db, identity: string): Promise<StoreResult<ImpiView>> {
  const r = await db
    .selectFrom("impi")
    .innerJoin("subscription", "subscription.id", "impi.subscription_id")
    .selectAll("impi")
    .select("subscription.name as sub")
    .where("impi.identity", "=", identity)
    .executeTakeFirst();
  return r === undefined ? notFound(`IMPI '${identity}'`) : ok(impiView(r, r.sub));
}

export async function insertImpi(db: Db, i: ImpiData): Promise<void> {
  const subId = await idOf(db, "subscription", i.subscription);
  await db
      .insertInto("impi")
      .values({
        subscription_id: subId,
        identity: i.identity,
        secret: i.secret ?? null,
        k: i.k ?? null,
        amf: i.amf,
        op: i.op ?? (i.opc === undefined ? "0".repeat(32) : null),
        opc: i.opc ?? null,
        sqn: i.sqn,
        auth_schemes: i.authSchemes.join(","),
        default_scheme: i.defaultScheme,
      })
      .execute();
}

export const createImpi = (db: Db, i: ImpiData): Promise<StoreResult<ImpiView>> =>
  guarded(async () => {
    await insertImpi(db, i);
    return getImpi(db, i.identity);
  });

export const updateImpi = (db: Db, identity: string, p: ImpiPatch): Promise<StoreResult<ImpiView>> =>
  guarded(() =>
    db.transaction().execute(async (trx) => {
      const cur = await trx.selectFrom("impi").selectAll().where("identity", "=", identity).executeTakeFirst();
      if (cur === undefined) return notFound(`IMPI '${identity}'`);
      const schemes = p.authSchemes ?? cur.auth_schemes.split(",");
      const def = p.defaultScheme ?? cur.default_scheme;
      if (!schemes.includes(def)) throw new StoreAbort({ tag: "invalid", reason: "defaultScheme must be one of authSchemes" });
      await trx
        .updateTable("impi")
        .set({
          ...(p.secret === undefined ? {} : { secret: p.secret }),
          ...(p.k === undefined ? {} : { k: p.k }),
          ...(p.amf === undefined ? {} : { amf: p.amf }),
          ...(p.op === undefined ? {} : { op: p.op }),
          ...(p.opc === undefined ? {} : { opc: p.opc }),
          ...(p.sqn === undefined ? {} : { sqn: p.sqn }),
          auth_schemes: schemes.join(","),
          default_scheme: def,
        })
        .where("id", "=", cur.id)
        .execute();
      return getImpi(trx, identity);
    }),
  );

export const deleteImpi = (db: Db, identity: string): Promise<StoreResult<null>> =>
  guarded(() =>
    db.transaction().execute(async (trx) => {
      const cur = await trx.selectFrom("impi").select("id").where("identity", "=", identity).executeTakeFirst();
      if (cur === undefined) return notFound(`IMPI '${identity}'`);
      await trx.deleteFrom("impi_impu").where("impi_id", "=", cur.id).execute();
      await trx.deleteFrom("impi").where("id", "=", cur.id).execute();
      return ok(null);
    }),
  );

// ---- IMPUs

export async function getImpu(db: Db, identity: string): Promise<StoreResult<ImpuView>> {
  const r = await db
    .selectFrom("impu")
    .innerJoin("subscription", "subscription.id", "impu.subscription_id")
    .innerJoin("service_profile", "service_profile.id", "impu.service_profile_id")
    .leftJoin("charging_info", "charging_info.id", "impu.charging_info_id")
    .selectAll("impu")
    .select(["subscription.name as sub", "service_profile.name as sp", "charging_info.name as ci"])
    .where("impu.identity", "=", identity)
    .executeTakeFirst();
  if (r === undefined) return notFound(`IMPU '${identity}'`);
  const set = await db.selectFrom("impu").select("identity").where("implicit_set", "=", r.implicit_set).orderBy("id").execute();
  const impis = await db
    .selectFrom("impi_impu")
    .innerJoin("impi", "impi.id", "impi_impu.impi_id")
    .select("impi.identity")
    .where("impi_impu.impu_id", "=", r.id)
    .orderBy("impi.identity")
    .execute();
  const vns = await db.selectFrom("impu_visited_network").select("network").where("impu_id", "=", r.id).orderBy("network").execute();
  return ok({
    identity: r.identity,
    subscription: r.sub,
    type: r.impu_type as ImpuType,
    wildcardPsi: r.wildcard_psi,
    displayName: r.display_name,
    barring: r.barring === 1,
    canRegister: r.can_register === 1,
    psiActivation: r.psi_activation === 1,
    serviceProfile: r.sp,
    chargingInfo: r.ci,
    implicitSet: set.map((x) => x.identity),
    impis: impis.map((x) => x.identity),
    visitedNetworks: vns.map((x) => x.network),
    registrationState: r.user_state as RegistrationState,
  });
}

export async function listImpus(db: Db): Promise<ImpuView[]> {
  const rows = await db.selectFrom("impu").select("identity").orderBy("identity").execute();
  const out: ImpuView[] = [];
  for (const r of rows) {
    const v = await getImpu(db, r.identity);
    if (v.ok) out.push(v.value);
  }
  return out;
}

async function setLinks(trx: Trx, impuId: number, impis: readonly string[], networks: readonly string[] | undefined): Promise<void> {
  await trx.deleteFrom("impi_impu").where("impu_id", "=", impuId).execute();
  for (const identity of impis) {
    const impi = await trx.selectFrom("impi").select("id").where("identity", "=", identity).executeTakeFirst();
    if (impi === undefined) throw new StoreAbort({ tag: "invalid", reason: `IMPI '${identity}' does not exist` });
    await trx.insertInto("impi_impu").values({ impi_id: impi.id, impu_id: impuId }).execute();
  }
  if (networks !== undefined) {
    await trx.deleteFrom("impu_visited_network").where("impu_id", "=", impuId).execute();
    if (networks.length > 0) {
      await trx.insertInto("impu_visited_network").values(networks.map((network) => ({ impu_id: impuId, network }))).execute();
    }
  }
}

/** Inserts an IMPU with its IMPI links and visited networks (inside the caller's transaction). */
export async function insertImpu(trx: Trx, u: ImpuData): Promise<void> {
  const subId = await idOf(trx, "subscription", u.subscription);
  let implicitSet = 0;
  if (u.implicitSetWith !== null) {
    const other = await trx.selectFrom("impu").select(["implicit_set", "subscription_id"]).where("identity", "=", u.implicitSetWith).executeTakeFirst();
    if (other === undefined || other.subscription_id !== subId) {
      throw new StoreAbort({ tag: "invalid", reason: `implicitSetWith: no IMPU '${u.implicitSetWith}' in this subscription` });
    }
    implicitSet = other.implicit_set;
  }
  const r = await trx
    .insertInto("impu")
    .values({
      subscription_id: subId,
      identity: u.identity,
      impu_type: u.type,
      wildcard_psi: u.wildcardPsi,
      display_name: u.displayName,
      barring: u.barring ? 1 : 0,
      can_register: u.canRegister ? 1 : 0,
      psi_activation: u.psiActivation ? 1 : 0,
      service_profile_id: await idOf(trx, "service_profile", u.serviceProfile),
      charging_info_id: u.chargingInfo === null ? null : await idOf(trx, "charging_info", u.chargingInfo),
      implicit_set: implicitSet,
      user_state: "NOT_REGISTERED",
    })
    .executeTakeFirstOrThrow();
  const id = Number(r.insertId);
  if (implicitSet === 0) await trx.updateTable("impu").set({ implicit_set: id }).where("id", "=", id).execute();
  await setLinks(trx, id, u.impis, u.visitedNetworks);
}

/** Creates an IMPU with its IMPI links and visited networks in one transaction. */
export const createImpu = (db: Db, u: ImpuData): Promise<StoreResult<ImpuView>> =>
  guarded(async () => {
    await db.transaction().execute((trx) => insertImpu(trx, u));
    return getImpu(db, u.identity);
  });

export const updateImpu = (db: Db, identity: string, p: ImpuPatch): Promise<StoreResult<ImpuView>> =>
  guarded(async () => {
    const found = await db.transaction().execute(async (trx) => {
      const cur = await trx.selectFrom("impu").select("id").where("identity", "=", identity).executeTakeFirst();
      if (cur === undefined) return false;
      const set = {
        ...(p.displayName === undefined ? {} : { display_name: p.displayName }),
        ...(p.barring === undefined ? {} : { barring: p.barring ? 1 : 0 }),
        ...(p.canRegister === undefined ? {} : { can_register: p.canRegister ? 1 : 0 }),
        ...(p.psiActivation === undefined ? {} : { psi_activation: p.psiActivation ? 1 : 0 }),
        ...(p.serviceProfile === undefined ? {} : { service_profile_id: await idOf(trx, "service_profile", p.serviceProfile) }),
        ...(p.chargingInfo === undefined
          ? {}
          : { charging_info_id: p.chargingInfo === null ? null : await idOf(trx, "charging_info", p.chargingInfo) }),
      };
      if (Object.keys(set).length > 0) await trx.updateTable("impu").set(set).where("id", "=", cur.id).execute();
      if (p.impis !== undefined || p.visitedNetworks !== undefined) {
        const impis =
          p.impis ??
          (await trx.selectFrom("impi_impu").innerJoin("impi", "impi.id", "impi_impu.impi_id").select("impi.identity").where("impu_id", "=", cur.id).execute()).map((x) => x.identity);
        await setLinks(trx, cur.id, impis, p.visitedNetworks);
      }
      return true;
    });
    return found ? getImpu(db, identity) : notFound(`IMPU '${identity}'`);
  });

export const deleteImpu = (db: Db, identity: string): Promise<StoreResult<null>> =>
  guarded(() =>
    db.transaction().execute(async (trx) => {
      const cur = await trx.selectFrom("impu").select("id").where("identity", "=", identity).executeTakeFirst();
      if (cur === undefined) return notFound(`IMPU '${identity}'`);
      await trx.deleteFrom("impu_visited_network").where("impu_id", "=", cur.id).execute();
      await trx.deleteFrom("impi_impu").where("impu_id", "=", cur.id).execute();
      await trx.deleteFrom("impu").where("id", "=", cur.id).execute();
      return ok(null);
    }),
  );
