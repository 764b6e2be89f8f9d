import type { Kysely, Selectable } from "kysely";
import type { CompiledQuery } from "kysely";
import { prepareRows, runPrepared, type Placeholder } from "./prepared.js";
import type { ImsSubscription, InitialFilterCriteria, PublicIdentity, ServiceProfile } from "@ims/ims";
import { triggerPointSchema } from "../provisioning/schemas.js";
import type { HssDatabase, ImpiTable, ImpuTable, RegistrationState, SubscriptionTable } from "./tables.js";

/** The reads and writes of the Cx procedures (TS 29.228 §6), apart from the SQN step (sqn.ts). */
type Db = Kysely<HssDatabase>;

export type ImpuRow = Selectable<ImpuTable>;
export type ImpiRow = Selectable<ImpiTable>;
export type SubscriptionRow = Selectable<SubscriptionTable>;

/** FHoSS wildcard syntax: the regular expression part sits between '!' marks, e.g. sip:chat-!.*!@d. */
export function wildcardMatches(pattern: string, identity: string): boolean {
  const parts = pattern.split("!");
  if (parts.length < 3 || parts.length % 2 === 0) return pattern === identity;
  const source = parts.map((p, i) => (i % 2 === 1 ? `(?:${p})` : p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))).join("");
  try {
    return new RegExp(`^${source}$`).test(identity);
  } catch {
    return false;
  }
}

/** Finds an IMPU by identity, or the wildcarded PSI that matches it. */
export async function findImpu(db: Db, identity: string): Promise<ImpuRow | undefined> {
  const [exact] = await runPrepared(db, "impu-by-identity", [identity], (d, [a]) => d.selectFrom("impu").selectAll().where("identity", "=", a));
  if (exact !== undefined) return exact;
  const wild = await runPrepared(db, "wildcarded-psis", [], (d) => d.selectFrom("impu").selectAll().where("impu_type", "=", "wildcarded_psi"));
  return wild.find((w) => wildcardMatches(w.wildcard_psi ?? w.identity, identity));
}

export async function findImpi(db: Db, identity: string): Promise<ImpiRow | undefined> {
  const [row] = await runPrepared(db, "impi-by-identity", [identity], (d, [a]) => d.selectFrom("impi").selectAll().where("identity", "=", a));
  return row;
}

export async function isLinked(db: Db, impiId: number, impuId: number): Promise<boolean> {
  const rows = await runPrepared(db, "is-linked", [impiId, impuId], (d, [a, b]) =>
    d.selectFrom("impi_impu").select("impi_id").where("impi_id", "=", a).where("impu_id", "=", b),
  );
  return rows.length > 0;
}

export async function subscriptionById(db: Db, id: number): Promise<SubscriptionRow | undefined> {
  const [row] = await runPrepared(db, "subscription-by-id", [id], (d, [a]) => d.selectFrom("subscription").selectAll().where("id", "=", a));
  return row;
}

export async function capabilitiesOf(db: Db, setId: number | null): Promise<{ mandatory: number[]; optional: number[] }> {
  if (setId === null) return { mandatory: [], optional: [] };
  const rows = await runPrepared(db, "capabilities-of-set", [setId], (d, [a]) => d.selectFrom("capability").select(["code", "mandatory"]).where("set_id", "=", a));
  return {
    mandatory: rows.filter((r) => r.mandatory === 1).map((r) => r.code),
    optional: rows.filter((r) => r.mandatory !== 1).map((r) => r.code),
  };
}

export async function visitedNetworksOf(db: Db, impuId: number): Promise<string[]> {
  const rows = await runPrepared(db, "visited-networks-of-impu", [impuId], (d, [a]) => d.selectFrom("impu_visited_network").select("network").where("impu_id", "=", a));
  return rows.map((r) => r.network);
}

export const implicitSetOf = (db: Db, impu: Pick<ImpuRow, "implicit_set">): Promise<ImpuRow[]> =>
  runPrepared(db, "implicit-set", [impu.implicit_set], (d, [a]) => d.selectFrom("impu").selectAll().where("implicit_set", "=", a).orderBy("id"));

/** All IMPUs of the subscription linked to the IMPI (the user's registration sets). */
export async function impusOfImpi(db: Db, impiId: number): Promise<ImpuRow[]> {
  return runPrepared(db, "impus-of-impi", [impiId], (d, [a]) =>
    d.selectFrom("impu").innerJoin("impi_impu", "impi_impu.impu_id", "impu.id").selectAll("impu").where("impi_impu.impi_id", "=", a).orderBy("impu.id"),
  );
}

/** The first IMPI linked to an IMPU (SAR without User-Name, RTR's User-Name). */
export async function firstImpiOf(db: Db, impuId: number): Promise<ImpiRow | undefined> {
  const [row] = await runPrepared(db, "first-impi-of-impu", [impuId], (d, [a]) =>
    d.selectFrom("impi").innerJoin("impi_impu", "impi_impu.impi_id", "impi.id").selectAll("impi").where("impi_impu.impu_id", "=", a).orderBy("impi.id").limit(1),
  );
  return row;
}

export async function setRegistrationState(db: Db, impuIds: readonly number[], state: RegistrationState): Promise<void> {
  if (impuIds.length === 0) return;
  await db.updateTable("impu").set({ user_state: state }).where("id", "in", impuIds).execute();
}

export interface AssignedScscf {
  readonly name: string | null;
  readonly host: string | null;
  readonly realm: string | null;
}

export async function setAssignedScscf(db: Db, subscriptionId: number, s: AssignedScscf): Promise<void> {
  await db
    .updateTable("subscription")
    .set({ scscf_name: s.name, scscf_host: s.host, scscf_realm: s.realm, pending_scscf: null })
    .where("id", "=", subscriptionId)
    .execute();
}

export async function chargingInfoOf(db: Db, id: number | null) {
  if (id === null) return undefined;
  const [row] = await runPrepared(db, "charging-info-by-id", [id], (d, [a]) => d.selectFrom("charging_info").selectAll().where("id", "=", a));
  return row;
}

/**
 * A stored trigger point (JSON) validated once per distinct text: every SAR of every user of a
 * profile carries the same iFCs, and the text is the whole input, so nothing goes stale.
 * The parsed value is shared and only read (serialised into User-Data).
 */
const triggerPoints = new Map<string, ReturnType<typeof triggerPointSchema.safeParse>>();
function parsedTriggerPoint(json: string): ReturnType<typeof triggerPointSchema.safeParse> {
  let tp = triggerPoints.get(json);
  if (tp === undefined) {
    tp = triggerPointSchema.safeParse(JSON.parse(json));
    if (triggerPoints.size >= 1024) triggerPoints.clear();
    triggerPoints.set(json, tp);
  }
  return tp;
}

const IDENTITY_TYPE = { public_user: 0, distinct_psi: 1, wildcarded_psi: 2 } as const;

/** An iFC row of the profile query: every column is set when the iFC exists (NOT NULL in the schema). */
interface IfcJoinRow {
  readonly cn_service_auth: number | null;
  readonly ifc_id: number;
  readonly priority: number;
  readonly trigger_point: string | null;
  readonly profile_part_indicator: number | null;
  readonly server_name: string;
  readonly default_handling: number;
  readonly service_info: string | null;
  readonly include_register_request: number;
  readonly include_register_response: number;
}

/** Builds the IMS subscription document (TS 29.228 Annex B) for these IMPUs, grouped by service profile. */
export async function buildUserData(db: Db, privateId: string, impus: readonly ImpuRow[]): Promise<ImsSubscription> {
  const byProfile = new Map<number, ImpuRow[]>();
  for (const u of impus) byProfile.set(u.service_profile_id, [...(byProfile.get(u.service_profile_id) ?? []), u]);
  const profiles: ServiceProfile[] = [];
  for (const [spId, members] of byProfile) {
    // The profile and its iFCs (each with its application server) in one query; no row: no profile.
    const rows = await runPrepared(db, "profile-with-ifcs", [spId], (d, [a]) =>
      d
        .selectFrom("service_profile")
        .leftJoin(
          (eb) =>
            eb
              .selectFrom("ifc")
              .innerJoin("application_server", "application_server.id", "ifc.application_server_id")
              .select([
                "ifc.id as ifc_id",
                "ifc.service_profile_id",
                "ifc.priority",
                "ifc.trigger_point",
                "ifc.profile_part_indicator",
                "application_server.server_name",
                "application_server.default_handling",
                "application_server.service_info",
                "application_server.include_register_request",
                "application_server.include_register_response",
              ])
              .as("x"),
          (join) => join.onRef("x.service_profile_id", "=", "service_profile.id"),
        )
        .select([
          "service_profile.cn_service_auth",
          "x.ifc_id",
          "x.priority",
          "x.trigger_point",
          "x.profile_part_indicator",
          "x.server_name",
          "x.default_handling",
          "x.service_info",
          "x.include_register_request",
          "x.include_register_response",
        ])
        .where("service_profile.id", "=", a)
        .orderBy("x.priority")
        .orderBy("x.ifc_id"),
    );
    const sp = rows[0];
    if (sp === undefined) continue;
    const ifcRows = rows.filter((r): r is IfcJoinRow => r.ifc_id !== null);
    const ifcs: InitialFilterCriteria[] = ifcRows.map((r) => {
      const tp = r.trigger_point === null ? undefined : parsedTriggerPoint(r.trigger_point);
      return {
        priority: r.priority,
        ...(tp?.success === true ? { triggerPoint: tp.data } : {}),
        applicationServer: {
          serverName: r.server_name,
          defaultHandling: r.default_handling === 1 ? 1 : 0,
          ...(r.service_info === null ? {} : { serviceInfo: r.service_info }),
          ...(r.include_register_request === 1 ? { includeRegisterRequest: true } : {}),
          ...(r.include_register_response === 1 ? { includeRegisterResponse: true } : {}),
        },
        ...(r.profile_part_indicator === 0 || r.profile_part_indicator === 1 ? { profilePartIndicator: r.profile_part_indicator } : {}),
      };
    });
    const publicIdentities: PublicIdentity[] = members.map((u) => ({
      identity: u.identity,
      ...(u.barring === 1 ? { barringIndication: true } : {}),
      identityType: IDENTITY_TYPE[u.impu_type as keyof typeof IDENTITY_TYPE] ?? 0,
      ...(u.impu_type === "wildcarded_psi" && u.wildcard_psi !== null ? { wildcardedPsi: u.wildcard_psi } : {}),
      ...(u.display_name === null ? {} : { displayName: u.display_name }),
    }));
    profiles.push({
      publicIdentities,
      initialFilterCriteria: ifcs,
      ...(sp.cn_service_auth === null ? {} : { subscribedMediaProfileId: sp.cn_service_auth }),
    });
  }
  return { privateId, serviceProfiles: profiles };
}

/** The row a MAR needs, in one prepared query: the IMPI linked to the IMPU, with state and S-CSCF. */
export interface MarRow extends ImpiRow {
  readonly user_state: string;
  readonly scscf_name: string | null;
  readonly pending_scscf: string | null;
  readonly sub_id: number;
}

type RowsQuery = (on: Db, args: readonly unknown[]) => Promise<unknown[][]>;

/** Each hot query prepared once per store, its rows read as value arrays (prepareRows). */
const rowQueries = new WeakMap<Db, Map<string, RowsQuery>>();

function rowsQuery<R>(
  db: Db,
  key: string,
  arity: number,
  columns: readonly (keyof R & string)[],
  build: (d: Db, args: readonly Placeholder[]) => { compile(): CompiledQuery<R> },
): RowsQuery {
  let byKey = rowQueries.get(db);
  if (byKey === undefined) rowQueries.set(db, (byKey = new Map()));
  let q = byKey.get(key);
  if (q === undefined) {
    q = prepareRows(db, arity, columns, build);
    byKey.set(key, q);
  }
  return q;
}

const IMPI_COLUMNS = ["id", "subscription_id", "identity", "secret", "k", "amf", "op", "opc", "sqn", "auth_schemes", "default_scheme"] as const;
const IMPU_COLUMNS = [
  "id",
  "subscription_id",
  "identity",
  "impu_type",
  "wildcard_psi",
  "display_name",
  "barring",
  "can_register",
  "psi_activation",
  "service_profile_id",
  "charging_info_id",
  "implicit_set",
  "user_state",
] as const;

/** subscription.* under names that cannot clash with impu's columns in a join. */
const SUBSCRIPTION_COLUMNS = [
  "subscription.id as sub_id",
  "subscription.name as sub_name",
  "subscription.capability_set_id as sub_capability_set_id",
  "subscription.preferred_scscf as sub_preferred_scscf",
  "subscription.scscf_name as sub_scscf_name",
  "subscription.scscf_host as sub_scscf_host",
  "subscription.scscf_realm as sub_scscf_realm",
  "subscription.pending_scscf as sub_pending_scscf",
] as const;
const SUBSCRIPTION_NAMES = [
  "sub_id",
  "sub_name",
  "sub_capability_set_id",
  "sub_preferred_scscf",
  "sub_scscf_name",
  "sub_scscf_host",
  "sub_scscf_realm",
  "sub_pending_scscf",
] as const;

/** The impu columns of a row of values, from position `i` (IMPU_COLUMNS order). */
function impuAt(v: readonly unknown[], i: number): ImpuRow {
  return {
    id: v[i] as number,
    subscription_id: v[i + 1] as number,
    identity: v[i + 2] as string,
    impu_type: v[i + 3] as string,
    wildcard_psi: v[i + 4] as string | null,
    display_name: v[i + 5] as string | null,
    barring: v[i + 6] as number,
    can_register: v[i + 7] as number,
    psi_activation: v[i + 8] as number,
    service_profile_id: v[i + 9] as number,
    charging_info_id: v[i + 10] as number | null,
    implicit_set: v[i + 11] as number,
    user_state: v[i + 12] as string,
  };
}

/** The subscription of a row of values, from position `i` (SUBSCRIPTION_COLUMNS order). */
function subscriptionAt(v: readonly unknown[], i: number): SubscriptionRow {
  return {
    id: v[i] as number,
    name: v[i + 1] as string,
    capability_set_id: v[i + 2] as number | null,
    preferred_scscf: v[i + 3] as string | null,
    scscf_name: v[i + 4] as string | null,
    scscf_host: v[i + 5] as string | null,
    scscf_realm: v[i + 6] as string | null,
    pending_scscf: v[i + 7] as string | null,
  };
}

const MAR_COLUMNS = [...IMPI_COLUMNS, "user_state", "scscf_name", "pending_scscf", "sub_id"] as const;
const marQuery = (d: Db, [a, b]: readonly Placeholder[]) =>
  d
    .selectFrom("impi")
    .innerJoin("impi_impu", "impi_impu.impi_id", "impi.id")
    .innerJoin("impu", "impu.id", "impi_impu.impu_id")
    .innerJoin("subscription", "subscription.id", "impu.subscription_id")
    .select(IMPI_COLUMNS.map((c) => `impi.${c}` as const))
    .select(["impu.user_state", "subscription.scscf_name", "subscription.pending_scscf", "subscription.id as sub_id"])
    .where("impi.identity", "=", a as string)
    .where("impu.identity", "=", b as string);

export async function marLookup(db: Db, impi: string, impu: string): Promise<MarRow | undefined> {
  const v = (await rowsQuery(db, "mar-lookup", 2, MAR_COLUMNS, marQuery)(db, [impi, impu]))[0];
  if (v === undefined) return undefined;
  return {
    id: v[0] as number,
    subscription_id: v[1] as number,
    identity: v[2] as string,
    secret: v[3] as string | null,
    k: v[4] as string | null,
    amf: v[5] as string,
    op: v[6] as string | null,
    opc: v[7] as string | null,
    sqn: v[8] as string,
    auth_schemes: v[9] as string,
    default_scheme: v[10] as string,
    user_state: v[11] as string,
    scscf_name: v[12] as string | null,
    pending_scscf: v[13] as string | null,
    sub_id: v[14] as number,
  };
}

/** The IMPU and subscription columns a UAR reads (TS 29.228 §6.1.1.1): nothing else is fetched. */
export type UarImpu = Pick<ImpuRow, "id" | "subscription_id" | "impu_type" | "barring" | "can_register" | "implicit_set" | "user_state">;
export type UarSubscription = Pick<SubscriptionRow, "capability_set_id" | "preferred_scscf" | "scscf_name" | "pending_scscf">;

const UAR_COLUMNS = [
  "id",
  "subscription_id",
  "impu_type",
  "barring",
  "can_register",
  "implicit_set",
  "user_state",
  "sub_capability_set_id",
  "sub_preferred_scscf",
  "sub_scscf_name",
  "sub_pending_scscf",
] as const;
const uarQuery = (d: Db, [a, b]: readonly Placeholder[]) =>
  d
    .selectFrom("impu")
    .innerJoin("impi_impu", "impi_impu.impu_id", "impu.id")
    .innerJoin("impi", "impi.id", "impi_impu.impi_id")
    .innerJoin("subscription", "subscription.id", "impu.subscription_id")
    .select(["impu.id", "impu.subscription_id", "impu.impu_type", "impu.barring", "impu.can_register", "impu.implicit_set", "impu.user_state"])
    .select([
      "subscription.capability_set_id as sub_capability_set_id",
      "subscription.preferred_scscf as sub_preferred_scscf",
      "subscription.scscf_name as sub_scscf_name",
      "subscription.pending_scscf as sub_pending_scscf",
    ])
    .where("impi.identity", "=", a)
    .where("impu.identity", "=", b);

/**
 * What a UAR needs when the IMPU is a provisioned identity (not a wildcard match) linked to the IMPI,
 * in one query: the IMPU's state and its subscription's S-CSCF data. Undefined otherwise; the caller
 * then takes the step-by-step path, which says which check failed.
 */
export async function uarLookup(db: Db, impi: string, impu: string): Promise<{ impu: UarImpu; subscription: UarSubscription } | undefined> {
  const v = (await rowsQuery(db, "uar-lookup", 2, UAR_COLUMNS, uarQuery)(db, [impi, impu]))[0];
  if (v === undefined) return undefined;
  return {
    impu: {
      id: v[0] as number,
      subscription_id: v[1] as number,
      impu_type: v[2] as string,
      barring: v[3] as number,
      can_register: v[4] as number,
      implicit_set: v[5] as number,
      user_state: v[6] as string,
    },
    subscription: {
      capability_set_id: v[7] as number | null,
      preferred_scscf: v[8] as string | null,
      scscf_name: v[9] as string | null,
      pending_scscf: v[10] as string | null,
    },
  };
}

const SAR_COLUMNS = [...IMPU_COLUMNS, "impi_id", "impi_identity", ...SUBSCRIPTION_NAMES] as const;
const sarQuery = (d: Db, [a, b]: readonly Placeholder[]) =>
  d
    .selectFrom("impi")
    .innerJoin("impi_impu", "impi_impu.impi_id", "impi.id")
    .innerJoin("impu as named", "named.id", "impi_impu.impu_id")
    .innerJoin("impu", "impu.implicit_set", "named.implicit_set")
    .innerJoin("subscription", "subscription.id", "impu.subscription_id")
    .select(IMPU_COLUMNS.map((c) => `impu.${c}` as const))
    .select(["impi.id as impi_id", "impi.identity as impi_identity"])
    .select(SUBSCRIPTION_COLUMNS)
    .where("impi.identity", "=", a)
    .where("named.identity", "=", b)
    .orderBy("impu.id");

/**
 * What a SAR naming one IMPI and one provisioned IMPU linked to it needs, in one query: the IMPI's
 * id and identity, the IMPU's implicit registration set (by id) and the subscription of the set's
 * first member. Undefined when the identities do not match that way (the caller's step-by-step path
 * then answers).
 */
export async function sarLookup(
  db: Db,
  impi: string,
  impu: string,
): Promise<{ impi: Pick<ImpiRow, "id" | "identity">; set: ImpuRow[]; subscription: SubscriptionRow } | undefined> {
  const rows = await rowsQuery(db, "sar-lookup", 2, SAR_COLUMNS, sarQuery)(db, [impi, impu]);
  const first = rows[0];
  if (first === undefined) return undefined;
  const at = IMPU_COLUMNS.length;
  const set: ImpuRow[] = [];
  for (const v of rows) set.push(impuAt(v, 0));
  return { impi: { id: first[at] as number, identity: first[at + 1] as string }, set, subscription: subscriptionAt(first, at + 2) };
}

const LIR_COLUMNS = [...IMPU_COLUMNS, ...SUBSCRIPTION_NAMES] as const;
const lirQuery = (d: Db, [a]: readonly Placeholder[]) =>
  d
    .selectFrom("impu")
    .innerJoin("subscription", "subscription.id", "impu.subscription_id")
    .select(IMPU_COLUMNS.map((c) => `impu.${c}` as const))
    .select(SUBSCRIPTION_COLUMNS)
    .where("impu.identity", "=", a);

/** An IMPU provisioned under exactly this identity, with its subscription, in one query (LIR). */
export async function impuWithSubscription(db: Db, identity: string): Promise<{ impu: ImpuRow; subscription: SubscriptionRow } | undefined> {
  const v = (await rowsQuery(db, "impu-with-subscription", 1, LIR_COLUMNS, lirQuery)(db, [identity]))[0];
  return v === undefined ? undefined : { impu: impuAt(v, 0), subscription: subscriptionAt(v, IMPU_COLUMNS.length) };
}
