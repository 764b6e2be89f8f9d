import { avp, getValue, type Avp, type DiameterMessage } from "@ims/diameter";
import type { CxContext } from "./context.js";
import { answerHead, capabilitiesAvp, isMissing, requiredString, type HssIdentity, type MissingAvp } from "./wire.js";
import {
  capabilitiesOf,
  findImpi,
  findImpu,
  implicitSetOf,
  isLinked,
  subscriptionById,
  uarLookup,
  visitedNetworksOf,
  type UarImpu,
  type UarSubscription,
} from "../store/cx-repo.js";
import { experimental, result, SUCCESS, USER_AUTHORIZATION_TYPE, type CxResult, type ServerCapabilities, type UserAuthorizationType } from "./outcome.js";

/** User-Authorization-Request as the HSS reads it (TS 29.229 §6.1.1). */
export interface UarInput {
  readonly userName: string;
  readonly publicIdentity: string;
  readonly visitedNetworkIdentifier: string;
  readonly authorizationType: UserAuthorizationType;
}

export interface UarOutput {
  readonly result: CxResult;
  readonly serverName?: string;
  readonly serverCapabilities?: ServerCapabilities;
}

/** The capabilities the I-CSCF selects an S-CSCF by, with the subscription's preferred one. */
async function capabilitiesFor(db: CxContext["hss"]["db"], sub: UarSubscription): Promise<ServerCapabilities> {
  const caps = await capabilitiesOf(db, sub.capability_set_id);
  return { ...caps, serverNames: sub.preferred_scscf === null ? [] : [sub.preferred_scscf] };
}

/** TS 29.228 §6.1.1.1: user registration status query, in the order of its steps. */
export async function handleUar(ctx: CxContext, req: UarInput): Promise<UarOutput> {
  const db = ctx.hss.db;
  // 1.–2. both identities known and linked: usually one query, else step by step to say which failed
  const found = await uarLookup(db, req.userName, req.publicIdentity);
  let impu: UarImpu;
  if (found !== undefined) {
    impu = found.impu;
  } else {
    const u = await findImpu(db, req.publicIdentity);
    const impi = await findImpi(db, req.userName);
    if (u === undefined || impi === undefined) return { result: experimental("DIAMETER_ERROR_USER_UNKNOWN") };
    if (!(await isLinked(db, impi.id, u.id))) return { result: experimental("DIAMETER_ERROR_IDENTITIES_DONT_MATCH") };
    impu = u;
  }
  const dereg = req.authorizationType === USER_AUTHORIZATION_TYPE.DE_REGISTRATION;
  if (!dereg) {
    // 3. barred, unless another identity of the implicit set is not barred; PSIs and can_register=0 refused
    if (impu.can_register !== 1 || impu.impu_type !== "public_user") return { result: result("DIAMETER_AUTHORIZATION_REJECTED") };
    if (impu.barring === 1) {
      const set = await implicitSetOf(db, impu);
      if (set.every((u) => u.barring === 1)) return { result: result("DIAMETER_AUTHORIZATION_REJECTED") };
    }
    // 4. roaming agreement with the visited network
    const vni = req.visitedNetworkIdentifier;
    if (vni !== ctx.homeRealm) {
      const allowed = await visitedNetworksOf(db, impu.id);
      if (!allowed.includes(vni) && !allowed.includes("*")) return { result: experimental("DIAMETER_ERROR_ROAMING_NOT_ALLOWED") };
    }
  }
  const sub = found?.subscription ?? (await subscriptionById(db, impu.subscription_id));
  if (sub === undefined) return { result: experimental("DIAMETER_ERROR_USER_UNKNOWN") };
  const state = impu.user_state;
  // 5. registration status
  if (dereg) {
    if (state === "NOT_REGISTERED" || sub.scscf_name === null) return { result: experimental("DIAMETER_ERROR_IDENTITY_NOT_REGISTERED") };
    return { result: SUCCESS, serverName: sub.scscf_name };
  }
  if (req.authorizationType === USER_AUTHORIZATION_TYPE.REGISTRATION_AND_CAPABILITIES) {
    return { result: experimental("DIAMETER_FIRST_REGISTRATION"), serverCapabilities: await capabilitiesFor(db, sub) };
  }
  if ((state === "REGISTERED" || state === "UNREGISTERED") && sub.scscf_name !== null) {
    return { result: experimental("DIAMETER_SUBSEQUENT_REGISTRATION"), serverName: sub.scscf_name };
  }
  // Not registered: an S-CSCF already chosen for this subscription (another IMPU registered, or an
  // authentication in progress) is kept; otherwise the I-CSCF selects one from the capabilities.
  const chosen = sub.scscf_name ?? sub.pending_scscf;
  if (chosen !== null) return { result: experimental("DIAMETER_FIRST_REGISTRATION"), serverName: chosen };
  return { result: experimental("DIAMETER_FIRST_REGISTRATION"), serverCapabilities: await capabilitiesFor(db, sub) };
}

/** UAR → UarInput, or the name of a missing mandatory AVP. */
export function uarFromRequest(msg: DiameterMessage): UarInput | MissingAvp {
  const userName = requiredString(msg, "User-Name");
  if (isMissing(userName)) return userName;
  const publicIdentity = requiredString(msg, "Public-Identity");
  if (isMissing(publicIdentity)) return publicIdentity;
  const vni = requiredString(msg, "Visited-Network-Identifier");
  if (isMissing(vni)) return vni;
  const t = getValue(msg, "User-Authorization-Type") ?? USER_AUTHORIZATION_TYPE.REGISTRATION;
  const authorizationType = (t === 1 || t === 2 ? t : 0) as UserAuthorizationType;
  // P-Visited-Network-ID values may arrive quoted (RFC 3455 §4.3 allows a quoted-string).
  return { userName, publicIdentity, visitedNetworkIdentifier: vni.replace(/^"(.*)"$/, "$1"), authorizationType };
}

/** UAA AVPs after Session-Id (TS 29.229 §6.1.2). */
export function uaaAvps(id: HssIdentity, out: UarOutput): Avp[] {
  return [
    ...answerHead(id, out.result),
    ...(out.serverName === undefined ? [] : [avp("Server-Name", out.serverName)]),
    ...(out.serverCapabilities === undefined ? [] : [capabilitiesAvp(out.serverCapabilities)]),
  ];
}
