import { serializeUserData } from "@ims/ims";
import { avp, getValue, getValues, type Avp, type DiameterMessage } from "@ims/diameter";
import type { CxContext } from "./context.js";
import { answerHead, isMissing, requiredString, type HssIdentity, type MissingAvp } from "./wire.js";
import {
  buildUserData,
  chargingInfoOf,
  findImpi,
  findImpu,
  firstImpiOf,
  implicitSetOf,
  impusOfImpi,
  isLinked,
  setAssignedScscf,
  setRegistrationState,
  sarLookup,
  subscriptionById,
  type ImpiRow,
  type ImpuRow,
  type SubscriptionRow,
} from "../store/cx-repo.js";
import type { HssDb } from "../store/open-db.js";
import type { RegistrationState } from "../store/tables.js";

type Db = HssDb["db"];
import { experimental, result, SERVER_ASSIGNMENT_TYPE as SAT, SUCCESS, type CxResult, type ServerAssignmentType } from "./outcome.js";

/** Server-Assignment-Request as the HSS reads it (TS 29.229 §6.1.3). */
export interface SarInput {
  readonly userName?: string;
  readonly publicIdentities: readonly string[];
  readonly serverName: string;
  readonly assignmentType: ServerAssignmentType;
  readonly userDataAlreadyAvailable: boolean;
  /** Origin-Host/Realm of the S-CSCF: where the HSS later sends RTR and PPR. */
  readonly originHost: string;
  readonly originRealm: string;
}

export interface ChargingInformation {
  readonly primaryEventChargingFunctionName?: string;
  readonly secondaryEventChargingFunctionName?: string;
  readonly primaryChargingCollectionFunctionName?: string;
  readonly secondaryChargingCollectionFunctionName?: string;
}

export interface SarOutput {
  readonly result: CxResult;
  readonly userName?: string;
  readonly userData?: string;
  readonly chargingInformation?: ChargingInformation;
}

const DEREGISTRATIONS: ReadonlySet<number> = new Set([
  SAT.TIMEOUT_DEREGISTRATION,
  SAT.USER_DEREGISTRATION,
  SAT.ADMINISTRATIVE_DEREGISTRATION,
  SAT.DEREGISTRATION_TOO_MUCH_DATA,
]);
const DEREGISTRATIONS_KEEPING_NAME: ReadonlySet<number> = new Set([
  SAT.TIMEOUT_DEREGISTRATION_STORE_SERVER_NAME,
  SAT.USER_DEREGISTRATION_STORE_SERVER_NAME,
]);

type Profile = Pick<SarOutput, "userData" | "chargingInformation">;
type ScscfChange = "assign" | "keep" | "clear-if-unused";

/** User-Data (and charging information) of the identities, unless the S-CSCF has them already. */
async function profileOf(db: Db, req: SarInput, owner: Pick<ImpiRow, "identity">, targets: readonly ImpuRow[], first: ImpuRow): Promise<Profile | undefined> {
  if (req.userDataAlreadyAvailable) return undefined;
  const userData = serializeUserData(await buildUserData(db, owner.identity, targets));
  const ci = await chargingInfoOf(db, first.charging_info_id);
  if (ci === undefined) return { userData };
  const chargingInformation: ChargingInformation = {
    ...(ci.pri_ecf === null ? {} : { primaryEventChargingFunctionName: ci.pri_ecf }),
    ...(ci.sec_ecf === null ? {} : { secondaryEventChargingFunctionName: ci.sec_ecf }),
    ...(ci.pri_ccf === null ? {} : { primaryChargingCollectionFunctionName: ci.pri_ccf }),
    ...(ci.sec_ccf === null ? {} : { secondaryChargingCollectionFunctionName: ci.sec_ccf }),
  };
  return { userData, chargingInformation };
}

function done(owner: Pick<ImpiRow, "identity">, extra?: Profile, r: CxResult = SUCCESS): SarOutput {
  return extra === undefined ? { result: r, userName: owner.identity } : { result: r, userName: owner.identity, ...extra };
}

/** Whether the transition would change nothing (a re-registration, usually). */
function unchanged(req: SarInput, targets: readonly ImpuRow[], sub: SubscriptionRow, state: RegistrationState, scscf: ScscfChange): boolean {
  for (const t of targets) if (t.user_state !== state) return false;
  return (
    scscf === "keep" ||
    (scscf === "assign" && sub.scscf_name === req.serverName && sub.scscf_host === req.originHost && sub.scscf_realm === req.originRealm && sub.pending_scscf === null)
  );
}

async function transition(db: Db, req: SarInput, targets: readonly ImpuRow[], sub: SubscriptionRow, state: RegistrationState, scscf: ScscfChange): Promise<void> {
  // A re-registration usually changes nothing: no write, no transaction.
  if (unchanged(req, targets, sub, state, scscf)) return;
  const ids = targets.map((t) => t.id);
  await db.transaction().execute(async (trx) => {
    await setRegistrationState(trx, ids, state);
    if (scscf === "assign") await setAssignedScscf(trx, sub.id, { name: req.serverName, host: req.originHost, realm: req.originRealm });
    if (scscf === "clear-if-unused") {
      const still = await trx
        .selectFrom("impu")
        .select("id")
        .where("subscription_id", "=", sub.id)
        .where("user_state", "!=", "NOT_REGISTERED")
        .executeTakeFirst();
      if (still === undefined) await setAssignedScscf(trx, sub.id, { name: null, host: null, realm: null });
    }
  });
}

/** TS 29.228 §6.1.2.1: S-CSCF registration/deregistration notification. */
export async function handleSar(ctx: CxContext, req: SarInput): Promise<SarOutput> {
  const db = ctx.hss.db;
  // Usually one IMPI and one of its IMPUs: one query; otherwise step by step.
  const identities = req.publicIdentities;
  const found = req.userName !== undefined && identities.length === 1 ? await sarLookup(db, req.userName, identities[0] as string) : undefined;
  const impi: Pick<ImpiRow, "id" | "identity"> | undefined = found?.impi ?? (req.userName === undefined ? undefined : await findImpi(db, req.userName));
  if (req.userName !== undefined && impi === undefined) return { result: experimental("DIAMETER_ERROR_USER_UNKNOWN") };
  // The identities concerned: the implicit set of each Public-Identity, or every IMPU of the IMPI.
  let targets: ImpuRow[] = [];
  if (found !== undefined) {
    targets = found.set;
  } else if (identities.length > 0) {
    for (const id of identities) {
      const impu = await findImpu(db, id);
      if (impu === undefined) return { result: experimental("DIAMETER_ERROR_USER_UNKNOWN") };
      if (impi !== undefined && !(await isLinked(db, impi.id, impu.id))) return { result: experimental("DIAMETER_ERROR_IDENTITIES_DONT_MATCH") };
      for (const u of await implicitSetOf(db, impu)) if (!targets.some((t) => t.id === u.id)) targets.push(u);
    }
  } else if (impi !== undefined) {
    targets = await impusOfImpi(db, impi.id);
  } else {
    return { result: result("DIAMETER_MISSING_AVP") };
  }
  const first = targets[0];
  if (first === undefined) return { result: experimental("DIAMETER_ERROR_USER_UNKNOWN") };
  const owner = impi ?? (await firstImpiOf(db, first.id));
  const sub = found?.subscription ?? (await subscriptionById(db, first.subscription_id));
  if (owner === undefined || sub === undefined) return { result: experimental("DIAMETER_ERROR_USER_UNKNOWN") };
  const servedByOther = sub.scscf_name !== null && sub.scscf_name !== req.serverName;

  switch (req.assignmentType) {
    case SAT.REGISTRATION:
    case SAT.RE_REGISTRATION:
      await transition(db, req, targets, sub, "REGISTERED", "assign");
      return done(owner, await profileOf(db, req, owner, targets, first));
    case SAT.UNREGISTERED_USER:
      // A user already registered stays registered; otherwise the S-CSCF serves it unregistered.
      await transition(db, req, targets, sub, first.user_state === "REGISTERED" && !servedByOther ? "REGISTERED" : "UNREGISTERED", "assign");
      return done(owner, await profileOf(db, req, owner, targets, first));
    case SAT.NO_ASSIGNMENT:
      if (first.user_state === "NOT_REGISTERED" || sub.scscf_name === null) return done(owner, undefined, experimental("DIAMETER_ERROR_IDENTITY_NOT_REGISTERED"));
      if (servedByOther) return done(owner, undefined, result("DIAMETER_UNABLE_TO_COMPLY"));
      return done(owner, await profileOf(db, req, owner, targets, first));
    case SAT.AUTHENTICATION_FAILURE:
    case SAT.AUTHENTICATION_TIMEOUT:
      // Registered users keep their S-CSCF; for others the pending name of the failed attempt is dropped.
      if (first.user_state === "NOT_REGISTERED") {
        await db.updateTable("subscription").set({ pending_scscf: null }).where("id", "=", sub.id).execute();
      }
      return done(owner);
    case SAT.AAA_USER_DATA_REQUEST:
    case SAT.PGW_UPDATE:
      return done(owner);
    case SAT.RESTORATION:
      return done(owner, undefined, experimental("DIAMETER_ERROR_IN_ASSIGNMENT_TYPE"));
    default:
      if (DEREGISTRATIONS.has(req.assignmentType)) {
        if (servedByOther) return done(owner, undefined, result("DIAMETER_UNABLE_TO_COMPLY"));
        await transition(db, req, targets, sub, "NOT_REGISTERED", "clear-if-unused");
        return done(owner);
      }
      if (DEREGISTRATIONS_KEEPING_NAME.has(req.assignmentType)) {
        if (servedByOther) return done(owner, undefined, result("DIAMETER_UNABLE_TO_COMPLY"));
        await transition(db, req, targets, sub, "UNREGISTERED", "keep");
        return done(owner);
      }
      return done(owner, undefined, experimental("DIAMETER_ERROR_IN_ASSIGNMENT_TYPE"));
  }
}

export function sarFromRequest(msg: DiameterMessage): SarInput | MissingAvp {
  const serverName = requiredString(msg, "Server-Name");
  if (isMissing(serverName)) return serverName;
  const originHost = requiredString(msg, "Origin-Host");
  if (isMissing(originHost)) return originHost;
  const originRealm = requiredString(msg, "Origin-Realm");
  if (isMissing(originRealm)) return originRealm;
  const type = getValue(msg, "Server-Assignment-Type");
  if (type === undefined) return { missing: "Server-Assignment-Type" };
  const userName = getValue(msg, "User-Name");
  const publicIdentities = getValues(msg, "Public-Identity");
  const assignmentType = type as ServerAssignmentType;
  const userDataAlreadyAvailable = getValue(msg, "User-Data-Already-Available") === 1;
  // Two literals rather than a spread of `{ userName }`: one object per request.
  return userName === undefined || userName === ""
    ? { publicIdentities, serverName, assignmentType, userDataAlreadyAvailable, originHost, originRealm }
    : { userName, publicIdentities, serverName, assignmentType, userDataAlreadyAvailable, originHost, originRealm };
}

export function chargingInformationAvp(c: ChargingInformation): Avp {
  return avp("Charging-Information", [
    ...(c.primaryEventChargingFunctionName === undefined ? [] : [avp("Primary-Event-Charging-Function-Name", c.primaryEventChargingFunctionName)]),
    ...(c.secondaryEventChargingFunctionName === undefined ? [] : [avp("Secondary-Event-Charging-Function-Name", c.secondaryEventChargingFunctionName)]),
    ...(c.primaryChargingCollectionFunctionName === undefined ? [] : [avp("Primary-Charging-Collection-Function-Name", c.primaryChargingCollectionFunctionName)]),
    ...(c.secondaryChargingCollectionFunctionName === undefined ? [] : [avp("Secondary-Charging-Collection-Function-Name", c.secondaryChargingCollectionFunctionName)]),
  ]);
}

/** SAA AVPs after Session-Id (TS 29.229 §6.1.4). */
export function saaAvps(id: HssIdentity, out: SarOutput): Avp[] {
  return [
    ...answerHead(id, out.result),
    ...(out.userName === undefined ? [] : [avp("User-Name", out.userName)]),
    ...(out.userData === undefined ? [] : [avp("User-Data", Buffer.from(out.userData, "utf8"))]),
    ...(out.chargingInformation === undefined ? [] : [chargingInformationAvp(out.chargingInformation)]),
  ];
}
