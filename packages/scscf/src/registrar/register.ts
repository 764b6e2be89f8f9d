import type { ServerAssignmentAnswer } from "@ims/ims";
import type { SipRequest } from "@ims/sip";
import { type AuthOutcome, AUTHORIZED, authenticate } from "./authenticate.js";
import { type BindingChange, contactChanges, overContactLimits } from "./contact-changes.js";
import type { RegistrarContext } from "./context.js";
import { deregister } from "./deregister.js";
import { type Profile, profileOf } from "./implicit-set.js";
import { detachString } from "@ims/runtime";
import { type Binding, type Registration, impuKey } from "../storage/bindings.js";
import { okReply } from "./ok-response.js";
import { type RegisterRequest, isDeregistration, readRegister } from "./register-request.js";
import { SAT, serverAssignment } from "./server-assignment.js";
import type { SipReply } from "./sip-reply.js";

/**
 * The S-CSCF's REGISTER procedure (TS 24.229 §5.4.1.2): authenticate (MAR, 401, verify), then
 * SAR REGISTRATION on the first registration or RE_REGISTRATION after, keep the User-Data, bind
 * the contacts to the whole implicit set, and answer 200 OK. Expiry 0 goes to `deregister`.
 */
export function register(ctx: RegistrarContext, req: SipRequest): Promise<SipReply> {
  // Plain functions and one `then` per wait (no async frames): this runs once per registration.
  try {
    const read = readRegister(req, ctx.domain);
    if (!read.ok) return Promise.resolve(read.error);
    const r = read.value;
    // Good credentials are known at once; only a challenge or a refusal waits for the HSS.
    const authenticated = authenticate(ctx, r, req.method);
    if (authenticated !== AUTHORIZED) return (authenticated as Promise<AuthOutcome>).then((auth) => (auth.kind === "reply" ? auth.reply : bind(ctx, r)));
    return bind(ctx, r);
  } catch (e) {
    return Promise.reject(e instanceof Error ? e : new Error(String(e)));
  }
}

/** An authenticated REGISTER: the contact changes, then SAR and the new bindings. */
function bind(ctx: RegistrarContext, r: RegisterRequest): Promise<SipReply> {
  const current = ctx.bindings.find(r.impu);
  // RFC 3261 §10.3 step 6: no Contact is a query for the current bindings
  if (r.contacts !== "*" && r.contacts.length === 0) return Promise.resolve(okReply(ctx, r, current));
  const bound = current === undefined ? NO_BINDINGS : current.bindings;
  const changes = contactChanges(r, bound, ctx.limits, ctx.clock.now());
  if (!changes.ok) return Promise.resolve(changes.error);
  if (isDeregistration(r)) return deregister(ctx, r, changes.value);
  const over = overContactLimits(bound, changes.value, ctx.limits, ctx.clock.now());
  if (over !== undefined) return Promise.resolve(over);

  const type = current === undefined ? SAT.REGISTRATION : SAT.RE_REGISTRATION;
  const accepted = changes.value;
  return serverAssignment(ctx, r.impi, [r.impu], type, current !== undefined).then((saa) => (saa.ok ? registered(ctx, r, current, accepted, saa.value) : saa.error));
}

/** After a successful SAA: keep the User-Data and profile, bind the contacts, answer 200 OK. */
function registered(ctx: RegistrarContext, r: RegisterRequest, current: Registration | undefined, accepted: readonly BindingChange[], saa: ServerAssignmentAnswer): SipReply {
  const userData = saa.userData ?? current?.userData;
  // A re-registration gets no User-Data (we sent USER_DATA_ALREADY_AVAILABLE): keep the profile
  // parsed at the first registration instead of parsing the same XML again.
  const profile: Profile =
    saa.userData === undefined && current !== undefined && inImplicitSet(current.implicitSet, r.impu)
      ? current
      : profileOf(userData, r.impu);
  // Kept as long as the registration: strings of their own, not views into the REGISTER's text.
  const impi = current?.impi === r.impi ? current.impi : detachString(r.impi);
  const impu = current?.impu === r.impu ? current.impu : detachString(r.impu);
  const base: Omit<Registration, "bindings"> =
    profile.subscription === undefined
      ? { impi, impu, implicitSet: profile.implicitSet, userData: userData ?? "" }
      : { impi, impu, implicitSet: profile.implicitSet, userData: userData ?? "", subscription: profile.subscription };
  const reg = ctx.bindings.update(base, accepted);
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
