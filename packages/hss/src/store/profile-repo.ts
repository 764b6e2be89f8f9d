import { ok } from "@ims/runtime";
import type { Kysely, Selectable } from "kysely";
import type {
  ApplicationServerData,
  CapabilitySetData,
  ChargingInfoData,
  IfcData,
  ServiceProfileData,
} from "../provisioning/schemas.js";
import { triggerPointSchema } from "../provisioning/schemas.js";
import { guarded, notFound, StoreAbort, type StoreResult } from "./errors.js";
import type { ApplicationServerTable, ChargingInfoTable, HssDatabase } from "./tables.js";

type Db = Kysely<HssDatabase>;

export interface ServiceProfileView extends ServiceProfileData {
  readonly ifcs: IfcData[];
}

export function asView(r: Selectable<ApplicationServerTable>): ApplicationServerData {
  return {
    name: r.name,
    serverName: r.server_name,
    defaultHandling: r.default_handling === 1 ? 1 : 0,
    serviceInfo: r.service_info,
    includeRegisterRequest: r.include_register_request === 1,
    includeRegisterResponse: r.include_register_response === 1,
  };
}

const asRow = (a: ApplicationServerData) => ({
  name: a.name,
  server_name: a.serverName,
  default_handling: a.defaultHandling,
  service_info: a.serviceInfo,
  include_register_request: a.includeRegisterRequest ? 1 : 0,
  include_register_response: a.includeRegisterResponse ? 1 : 0,
});

export async function idOf(db: Db, table: "application_server" | "service_profile" | "charging_info" | "capability_set" | "subscription", name: string): Promise<number> {
  const r = await db.selectFrom(table).select("id").where("name", "=", name).executeTakeFirst();
  if (r === undefined) throw new StoreAbort({ tag: "invalid", reason: `${table.replace("_", " ")} '${name}' does not exist` });
  return r.id;
}

// ---- application servers

export const listApplicationServers = async (db: Db): Promise<ApplicationServerData[]> =>
  (await db.selectFrom("application_server").selectAll().orderBy("name").execute()).map(asView);

export async function getApplicationServer(db: Db, name: string): Promise<StoreResult<ApplicationServerData>> {
  const r = await db.selectFrom("application_server").selectAll().where("name", "=", name).executeTakeFirst();
  return r === undefined ? notFound(`application server '${name}'`) : ok(asView(r));
}

export const createApplicationServer = (db: Db, a: ApplicationServerData): Promise<StoreResult<ApplicationServerData>> =>
  guarded(async () => {
    await db.insertInto("application_server").values(asRow(a)).execute();
    return ok(a);
  });

export const updateApplicationServer = (db: Db, name: string, a: ApplicationServerData): Promise<StoreResult<ApplicationServerData>> =>
  guarded(async () => {
    const r = await db.updateTable("application_server").set(asRow(a)).where("name", "=", name).executeTakeFirst();
    return r.numUpdatedRows === 0n ? notFound(`application server '${name}'`) : ok(a);
  });

export const deleteApplicationServer = (db: Db, name: string): Promise<StoreResult<null>> =>
  guarded(async () => {
    const r = await db.deleteFrom("application_server").where("name", "=", name).executeTakeFirst();
    return r.numDeletedRows === 0n ? notFound(`application server '${name}'`) : ok(null);
  });

// ---- service profiles and their iFCs

async function ifcsOf(db: Db, profileId: number): Promise<IfcData[]> {
  const rows = await db
    .selectFrom("ifc")
    .innerJoin("application_server", "application_server.id", "ifc.application_server_id")
    .select(["ifc.name", "ifc.priority", "ifc.trigger_point", "ifc.profile_part_indicator", "application_server.name as as_name"])
    .where("ifc.service_profile_id", "=", profileId)
    .orderBy("ifc.priority")
    .execute();
  return rows.map((r) => ({
    name: r.name,
    priority: r.priority,
    triggerPoint: r.trigger_point === null ? null : triggerPointSchema.parse(JSON.parse(r.trigger_point)),
    applicationServer: r.as_name,
    profilePartIndicator: r.profile_part_indicator === 0 || r.profile_part_indicator === 1 ? r.profile_part_indicator : null,
  }));
}

export async function listServiceProfiles(db: Db): Promise<ServiceProfileView[]> {
  const rows = await db.selectFrom("service_profile").selectAll().orderBy("name").execute();
  const out: ServiceProfileView[] = [];
  for (const r of rows) out.push({ name: r.name, cnServiceAuth: r.cn_service_auth, ifcs: await ifcsOf(db, r.id) });
  return out;
}

export async function getServiceProfile(db: Db, name: string): Promise<StoreResult<ServiceProfileView>> {
  const r = await db.selectFrom("service_profile").selectAll().where("name", "=", name).executeTakeFirst();
  if (r === undefined) return notFound(`service profile '${name}'`);
  return ok({ name: r.name, cnServiceAuth: r.cn_service_auth, ifcs: await ifcsOf(db, r.id) });
}

export const createServiceProfile = (db: Db, sp: ServiceProfileData): Promise<StoreResult<ServiceProfileData>> =>
  guarded(async () => {
    await db.insertInto("service_profile").values({ name: sp.name, cn_service_auth: sp.cnServiceAuth }).execute();
    return ok(sp);
  });

export const updateServiceProfile = (db: Db, name: string, sp: ServiceProfileData): Promise<StoreResult<ServiceProfileData>> =>
  guarded(async () => {
    const r = await db
      .updateTable("service_profile")
      .set({ name: sp.name, cn_service_auth: sp.cnServiceAuth })
      .where("name", "=", name)
      .executeTakeFirst();
    return r.numUpdatedRows === 0n ? notFound(`service profile '${name}'`) : ok(sp);
  });

export const deleteServiceProfile = (db: Db, name: string): Promise<StoreResult<null>> =>
  guarded(() =>
    db.transaction().execute(async (trx) => {
      const id = await idOf(trx, "service_profile", name).catch(() => undefined);
      if (id === undefined) return notFound(`service profile '${name}'`);
      await trx.deleteFrom("ifc").where("service_profile_id", "=", id).execute();
      await trx.deleteFrom("service_profile").where("id", "=", id).execute();
      return ok(null);
    }),
  );

const ifcRow = (profileId: number, asId: number, i: IfcData) => ({
  service_profile_id: profileId,
  name: i.name,
  priority: i.priority,
  trigger_point: i.triggerPoint === null ? null : JSON.stringify(i.triggerPoint),
  application_server_id: asId,
  profile_part_indicator: i.profilePartIndicator,
});

/** Adds an iFC, or replaces the one of the same name in the profile. */
export const putIfc = (db: Db, profile: string, i: IfcData): Promise<StoreResult<IfcData>> =>
  guarded(() =>
    db.transaction().execute(async (trx) => {
      const spId = await idOf(trx, "service_profile", profile);
      const asId = await idOf(trx, "application_server", i.applicationServer);
      await trx.deleteFrom("ifc").where("service_profile_id", "=", spId).where("name", "=", i.name).execute();
      await trx.insertInto("ifc").values(ifcRow(spId, asId, i)).execute();
      return ok(i);
    }),
  );

export const deleteIfc = (db: Db, profile: string, ifcName: string): Promise<StoreResult<null>> =>
  guarded(async () => {
    const spId = await idOf(db, "service_profile", profile);
    const r = await db.deleteFrom("ifc").where("service_profile_id", "=", spId).where("name", "=", ifcName).executeTakeFirst();
    return r.numDeletedRows === 0n ? notFound(`iFC '${ifcName}'`) : ok(null);
  });

// ---- charging information and capability sets

const ciView = (r: Selectable<ChargingInfoTable>): ChargingInfoData => ({
  name: r.name,
  priEcf: r.pri_ecf,
  secEcf: r.sec_ecf,
  priCcf: r.pri_ccf,
  secCcf: r.sec_ccf,
});

export const listChargingInfos = async (db: Db): Promise<ChargingInfoData[]> =>
  (await db.selectFrom("charging_info").selectAll().orderBy("name").execute()).map(ciView);

export const putChargingInfo = (db: Db, c: ChargingInfoData): Promise<StoreResult<ChargingInfoData>> =>
  guarded(async () => {
    const row = { name: c.name, pri_ecf: c.priEcf, sec_ecf: c.secEcf, pri_ccf: c.priCcf, sec_ccf: c.secCcf };
    const r = await db.updateTable("charging_info").set(row).where("name", "=", c.name).executeTakeFirst();
    if (r.numUpdatedRows === 0n) await db.insertInto("charging_info").values(row).execute();
    return ok(c);
  });

export async function listCapabilitySets(db: Db): Promise<CapabilitySetData[]> {
  const sets = await db.selectFrom("capability_set").selectAll().orderBy("name").execute();
  const caps = await db.selectFrom("capability").selectAll().execute();
  return sets.map((s) => ({
    name: s.name,
    mandatory: caps.filter((c) => c.set_id === s.id && c.mandatory === 1).map((c) => c.code),
    optional: caps.filter((c) => c.set_id === s.id && c.mandatory === 0).map((c) => c.code),
  }));
}

/** Creates or replaces a capability set (one transaction). */
export const putCapabilitySet = (db: Db, c: CapabilitySetData): Promise<StoreResult<CapabilitySetData>> =>
  guarded(() =>
    db.transaction().execute(async (trx) => {
      let set = await trx.selectFrom("capability_set").select("id").where("name", "=", c.name).executeTakeFirst();
      if (set === undefined) {
        const r = await trx.insertInto("capability_set").values({ name: c.name }).executeTakeFirstOrThrow();
        set = { id: Number(r.insertId) };
      }
      const setId = set.id;
      await trx.deleteFrom("capability").where("set_id", "=", setId).execute();
      const rows = [
        ...c.mandatory.map((code) => ({ set_id: setId, code, mandatory: 1 })),
        ...c.optional.map((code) => ({ set_id: setId, code, mandatory: 0 })),
      ];
      if (rows.length > 0) await trx.insertInto("capability").values(rows).execute();
      return ok(c);
    }),
  );

export const deleteChargingInfo = (db: Db, name: string): Promise<StoreResult<null>> =>
  guarded(async () => {
    const r = await db.deleteFrom("charging_info").where("name", "=", name).executeTakeFirst();
    return r.numDeletedRows === 0n ? notFound(`charging information '${name}'`) : ok(null);
  });

/** Deletes a capability set and its capabilities (one transaction); subscriptions lose the reference. */
export const deleteCapabilitySet = (db: Db, name: string): Promise<StoreResult<null>> =>
  guarded(() =>
    db.transaction().execute(async (trx) => {
      const set = await trx.selectFrom("capability_set").select("id").where("name", "=", name).executeTakeFirst();
      if (set === undefined) return notFound(`capability set '${name}'`);
      await trx.updateTable("subscription").set({ capability_set_id: null }).where("capability_set_id", "=", set.id).execute();
      await trx.deleteFrom("capability").where("set_id", "=", set.id).execute();
      await trx.deleteFrom("capability_set").where("id", "=", set.id).execute();
      return ok(null);
    }),
  );
