import { SIP_AUTH_SCHEME, type SipAuthScheme } from "@ims/ims";
import { type DigestParams, akaHa1, decodeAuts, splitAkaNonce, verifyDigestCredentials } from "@ims/sip";
import type { Challenge } from "../storage/challenges.js";
import type { RegistrarContext } from "./context.js";
import { challenge, schemeFor } from "./challenge.js";
import type { RegisterRequest } from "./register-request.js";
import { SAT, serverAssignment } from "./server-assignment.js";
import { type SipReply, reply } from "./sip-reply.js";

export type AuthOutcome = { readonly kind: "authorized" } | { readonly kind: "reply"; readonly reply: SipReply };

/** The outcome of good credentials: given at once (no HSS round trip, no promise). */
export const AUTHORIZED: { readonly kind: "authorized" } = Object.freeze({ kind: "authorized" });

const answer = (r: SipReply): AuthOutcome => ({ kind: "reply", reply: r });

/** RFC 3310 §3.3: SIP-Authorization of the resync MAR = RAND (from the nonce answered) ‖ AUTS. */
function resyncData(nonce: string, auts: string): Uint8Array | undefined {
  const parts = splitAkaNonce(nonce);
  const a = decodeAuts(auts);
  return parts.ok && a.ok ? Buffer.concat([parts.value.rand, a.value]) : undefined;
}

/** The algorithm the UE used must be the one it was challenged with (no MD5-sess, SHA-256...). */
function sameAlgorithm(c: DigestParams, taken: Challenge): boolean {
  const alg = c.algorithm?.toLowerCase();
  return alg === undefined || alg === (taken.scheme === "SIP Digest" ? "md5" : "akav1-md5");
}

/** True when the response matches, computed over the credentials' own `uri` (SIPp: sip:ip:port). */
function verified(c: DigestParams, taken: Challenge, method: string): boolean {
  if (!sameAlgorithm(c, taken)) return false;
  const ha1 = taken.scheme === "SIP Digest" ? taken.ha1 : akaHa1(c.username ?? "", c.realm ?? taken.realm, taken.xres);
  // The response is an MD5 digest for both schemes (RFC 3310 §3.4); credentials naming no algorithm
  // or MD5 already are read as MD5, the others (AKAv1-MD5) are so named for the check.
  const md5 = c.algorithm === undefined || c.algorithm === "MD5" ? c : { ...c, algorithm: "MD5" };
  return verifyDigestCredentials(md5, { method, ha1 }).ok;
}

/**
 * TS 24.229 §5.4.1.2.1 / §5.4.1.2.2: a REGISTER is authorised only by a response to a nonce this
 * S-CSCF issued for the same IMPI, once. Otherwise: a new challenge (stale=true when the nonce was
 * too old or already used), a resync on AUTS (RFC 3310 §3.3), or 403 and SAR AUTHENTICATION_FAILURE
 * on a wrong response.
 */
export function authenticate(ctx: RegistrarContext, r: RegisterRequest, method: string): typeof AUTHORIZED | Promise<AuthOutcome> {
  const c = r.credentials;
  const nonce = c?.nonce;
  if (c === undefined || nonce === undefined || nonce.length === 0) return challenged(ctx, r, schemeFor(c), false);
  const taken = ctx.challenges.take(nonce);
  if (c.auts !== undefined) return resynchronise(ctx, r, nonce, c.auts);
  if (typeof taken === "object" && taken.impi !== r.impi) return challenged(ctx, r, schemeFor(c), false);
  // RFC 2617 §3.2.1 stale=true: the credentials may be right but the nonce is no longer good (too
  // old, or already used: a re-REGISTER answering the last challenge again), so the UE retries
  // with the new nonce instead of giving up on its password.
  if (taken === "stale" || taken === "unknown") return challenged(ctx, r, schemeFor(c), true);
  if (verified(c, taken, method)) return AUTHORIZED;
  return refused(ctx, r, taken.scheme);
}

function challenged(ctx: RegistrarContext, r: RegisterRequest, scheme: SipAuthScheme, stale: boolean): Promise<AuthOutcome> {
  // Not async: the challenge's promise, mapped (no async frame per challenge).
  return challenge(ctx, r, stale ? { scheme, stale } : { scheme }).then(answer);
}

async function resynchronise(ctx: RegistrarContext, r: RegisterRequest, nonce: string, auts: string): Promise<AuthOutcome> {
  const resync = resyncData(nonce, auts);
  if (resync === undefined) return answer(reply(400, "Malformed AUTS"));
  ctx.log.debug({ impi: r.impi }, "registrar AKA resynchronisation");
  return answer(await challenge(ctx, r, { scheme: SIP_AUTH_SCHEME.AKA_MD5, resync }));
}

async function refused(ctx: RegistrarContext, r: RegisterRequest, scheme: string): Promise<AuthOutcome> {
  ctx.log.info({ impi: r.impi, scheme }, "registrar authentication failed");
  await serverAssignment(ctx, r.impi, [r.impu], SAT.AUTHENTICATION_FAILURE);
  return answer(reply(403, "Forbidden - Authentication Failed"));
}
