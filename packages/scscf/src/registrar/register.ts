import type { SipRequest } from "@ims/sip";
import { AUTHORIZED, authenticate } from "./authenticate.js";
import { contactChanges, overContactLimits } from "./contact-changes.js";
import type { RegistrarContext } from "./context.js";
import { deregister } from "./deregister.js";
import { type Profile, profileOf } from "./implicit-set.js";
import { type Binding, type Registration, impuKey } from "../storage/bindings.js";
import { okReply } from "./ok-response.js";
import { isDeregistration, readRegister } from "./register-request.js";
import { SAT, serverAssignment } from "./server-assignment.js";
import type { SipReply } from "./sip-reply.js";

/**
 * The S-CSCF's REGISTER procedure (TS 24.229 §5.4.1.2): authenticate (MAR, 401, verify), then
 * SAR REGISTRATION on the first registration or RE_REGISTRATION after, keep the User-Data, bind
 * the contacts to the whole implicit set, and answer 200 OK. Expiry 0 goes to `deregister`.
 */
export async function register(ctx: RegistrarContext, req: SipRequest): Promise<SipReply> {
  const read = readRegister(req, ctx.domain);
  if (!read.ok) return read.error;
  const r = read.value;
  // Good credentials are known at once; only a challenge or a refusal waits for the HSS.
  const authenticated = authenticate(ctx, r, req.method);
  if (authenticated !== AUTHORIZED) {
    const auth = await authenticated;
    if (auth.kind === "reply") return auth.reply;
  }

  const current = ctx.bindings.find(r.impu);
  // RFC 3261 §10.3 step 6: no Contact is a query for the current bindings
  if (r.contacts !== "*" && r.contacts.length === 0) return okReply(ctx, r, current);
  const bound = current === undefined ? NO_BINDINGS : current.bindings;
  const changes = contactChanges(r, bound, ctx.limits, ctx.clock.now());
  if (!changes.ok) return changes.error;
  if (isDeregistration(r)) return deregister(ctx, r, changes.value);
  const over = overContactLimits(bound, changes.value, ctx.limits, ctx.clock.now());
  if (over !== undefined) return over;

  const type = current === undefined ? SAT.REGISTRATION : SAT.RE_REGISTRATION;
  const saa = await serverAssignment(ctx, r.impi, [r.impu], type, current !== undefined);
  if (!saa.ok) return saa.error;
  const userData = saa.value.userData ?? current?.userData;
  // A re-registration gets no User-Data (we sent USER_DATA_ALREADY_AVAILABLE): keep the profile
  // parsed at the first registration instead of parsing the same XML again.
  const profile: Profile =
    saa.value.userData === undefined && current !== undefined && inImplicitSet(current.implicitSet, r.impu)
      ? current
      : profileOf(userData, r.impu);
  const base: Omit<Registration, "bindings"> =
    profile.subscription === undefined
      ? { impi: r.impi, impu: r.impu, implicitSet: profile.implicitSet, userData: userData ?? "" }
      : { impi: r.impi, impu: r.impu, implicitSet: profile.implicitSet, userData: userData ?? "", subscription: profile.subscription };
  const reg = ctx.bindings.update(base, changes.value);
  if (ctx.log.isLevelEnabled("info")) {
    ctx.log.info({ impi: r.impi, impu: r.impu, contacts: reg?.bindings.length ?? 0, first: current === undefined }, "registrar registered");
  }
  return okReply(ctx, r, reg);
}

const NO_BINDINGS: readonly Binding[] = [];

/** Whether an IMPU is one of a set (as the store compares them); the exact string first, no key made. */
function inImplicitSet(set: readonly string[], impu: string): boolean {
  for (let i = 0; i < set.length; i++) if (set[i] === impu) return true;
  const key = impuKey(impu);
  for (let i = 0; i < set.length; i++) if (impuKey(set[i] as string) === key) return true;
  return false;
}
