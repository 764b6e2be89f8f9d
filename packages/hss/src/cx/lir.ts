import { avp, getValue, type Avp, type DiameterMessage } from "@ims/diameter";
import type { CxContext } from "./context.js";
import { answerHead, capabilitiesAvp, isMissing, requiredString, type HssIdentity, type MissingAvp } from "./wire.js";
import { capabilitiesOf, findImpu, impuWithSubscription, subscriptionById } from "../store/cx-repo.js";
import { runPrepared } from "../store/prepared.js";
import { experimental, SUCCESS, USER_AUTHORIZATION_TYPE, type CxResult, type ServerCapabilities, type UserAuthorizationType } from "./outcome.js";

/** Location-Info-Request (TS 29.229 §6.1.5). */
export interface LirInput {
  readonly publicIdentity: string;
  readonly originatingRequest?: boolean;
  readonly authorizationType?: UserAuthorizationType;
}

export interface LirOutput {
  readonly result: CxResult;
  readonly serverName?: string;
  readonly serverCapabilities?: ServerCapabilities;
  readonly wildcardedPublicIdentity?: string;
}

/** True when the IMPU's profile has iFCs that apply in the unregistered state (ProfilePartIndicator absent or UNREGISTERED). */
async function hasUnregisteredServices(ctx: CxContext, serviceProfileId: number): Promise<boolean> {
  const rows = await runPrepared(ctx.hss.db, "unregistered-ifcs-of-profile", [serviceProfileId], (d, [a]) =>
    d
      .selectFrom("ifc")
      .select("id")
      .where("service_profile_id", "=", a)
      .where((eb) => eb.or([eb("profile_part_indicator", "is", null), eb("profile_part_indicator", "=", 1)]))
      .limit(1),
  );
  return rows.length > 0;
}

/** TS 29.228 §6.1.4.1: user location query. */
export async function handleLir(ctx: CxContext, req: LirInput): Promise<LirOutput> {
  const db = ctx.hss.db;
  const found = await impuWithSubscription(db, req.publicIdentity);
  const impu = found?.impu ?? (await findImpu(db, req.publicIdentity));
  if (impu === undefined) return { result: experimental("DIAMETER_ERROR_USER_UNKNOWN") };
  const wildcard = impu.impu_type === "wildcarded_psi" && impu.identity !== req.publicIdentity ? { wildcardedPublicIdentity: impu.wildcard_psi ?? impu.identity } : {};
  const sub = found?.subscription ?? (await subscriptionById(db, impu.subscription_id));
  if (sub === undefined) return { result: experimental("DIAMETER_ERROR_USER_UNKNOWN") };
  const capabilities = async (): Promise<ServerCapabilities> => ({
    ...(await capabilitiesOf(db, sub.capability_set_id)),
    serverNames: sub.preferred_scscf === null ? [] : [sub.preferred_scscf],
  });
  if (req.authorizationType === USER_AUTHORIZATION_TYPE.REGISTRATION_AND_CAPABILITIES) {
    return { result: SUCCESS, serverCapabilities: await capabilities(), ...wildcard };
  }
  if (impu.user_state === "REGISTERED" && sub.scscf_name !== null) return { result: SUCCESS, serverName: sub.scscf_name, ...wildcard };
  // Unregistered: an S-CSCF serves the user's unregistered-state services.
  if (impu.user_state === "UNREGISTERED" && sub.scscf_name !== null) {
    return { result: experimental("DIAMETER_UNREGISTERED_SERVICE"), serverName: sub.scscf_name, ...wildcard };
  }
  // Not registered: only users (or PSIs) with services for the unregistered state are reachable.
  const isPsi = impu.impu_type !== "public_user";
  if (isPsi || (await hasUnregisteredServices(ctx, impu.service_profile_id))) {
    if (sub.scscf_name !== null) return { result: experimental("DIAMETER_UNREGISTERED_SERVICE"), serverName: sub.scscf_name, ...wildcard };
    return { result: experimental("DIAMETER_UNREGISTERED_SERVICE"), serverCapabilities: await capabilities(), ...wildcard };
  }
  return { result: experimental("DIAMETER_ERROR_IDENTITY_NOT_REGISTERED"), ...wildcard };
}

export function lirFromRequest(msg: DiameterMessage): LirInput | MissingAvp {
  const publicIdentity = requiredString(msg, "Public-Identity");
  if (isMissing(publicIdentity)) return publicIdentity;
  const t = getValue(msg, "User-Authorization-Type");
  return {
    publicIdentity,
    ...(getValue(msg, "Originating-Request") === 0 ? { originatingRequest: true } : {}),
    ...(t === 0 || t === 1 || t === 2 ? { authorizationType: t } : {}),
  };
}

/** LIA AVPs after Session-Id (TS 29.229 §6.1.6). */
export function liaAvps(id: HssIdentity, out: LirOutput): Avp[] {
  return [
    ...answerHead(id, out.result),
    ...(out.serverName === undefined ? [] : [avp("Server-Name", out.serverName)]),
    ...(out.serverCapabilities === undefined ? [] : [capabilitiesAvp(out.serverCapabilities)]),
    ...(out.wildcardedPublicIdentity === undefined ? [] : [avp("Wildcarded-Public-Identity", out.wildcardedPublicIdentity)]),
  ];
}
