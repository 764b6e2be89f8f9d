import { type Result, randomBase64 } from "@ims/runtime";
import { type CxError, type MultimediaAuthAnswer, SIP_AUTH_SCHEME, type SipAuthDataItem, type SipAuthScheme, isSuccess } from "@ims/ims";
import { type DigestParams, buildAkaNonce, quote } from "@ims/sip";
import type { RegistrarContext } from "./context.js";
import { cxErrorReply, cxFailureReply } from "./cx-status.js";
import type { RegisterRequest } from "./register-request.js";
import { type SipReply, reply } from "./sip-reply.js";

/** RFC 3310 §3.1: RAND (16) ‖ AUTN (16). */
const AKA_NONCE_BYTES = 32;

/**
 * The scheme asked for in the MAR (TS 29.229 §6.3.9) from the Authorization the UE sent:
 * AKAv1-MD5 → Digest-AKAv1-MD5, MD5 → SIP Digest. No algorithm (TS 24.229 §5.1.1.2.1: the first
 * REGISTER of a UE carries none, VoLTE phones included) or no Authorization at all → Unknown: the HSS
 * picks the IMPI's default scheme, as Kamailio's registration_default_algorithm does.
 */
export function schemeFor(credentials: DigestParams | undefined): SipAuthScheme {
  if (credentials === undefined) return SIP_AUTH_SCHEME.UNKNOWN;
  const alg = credentials.algorithm?.toLowerCase();
  if (alg === "md5") return SIP_AUTH_SCHEME.SIP_DIGEST;
  if (alg === "akav1-md5") return SIP_AUTH_SCHEME.AKA_MD5;
  return SIP_AUTH_SCHEME.UNKNOWN;
}

export interface ChallengeOptions {
  readonly scheme: SipAuthScheme;
  /** The UE answered a nonce that is too old (RFC 2617 §3.2.1 stale=true). */
  readonly stale?: boolean;
  /** AKA resynchronisation: RAND ‖ AUTS for the MAR's SIP-Authorization (TS 29.229 §6.3.14). */
  readonly resync?: Uint8Array;
}

/**
 * TS 24.229 §5.4.1.2.1: MAR for a vector, then 401 with the challenge. AKA: nonce = base64(RAND ‖
 * AUTN), ck/ik for the P-CSCF (which removes them); SIP Digest: a random nonce checked against
 * the HA1 from the MAA.
 */
export function challenge(ctx: RegistrarContext, r: RegisterRequest, o: ChallengeOptions): Promise<SipReply> {
  // A `then` on the MAA rather than an async function: no async frame and promise of its own.
  try {
    return ctx.cx
      .mar({
        userName: r.impi,
        publicIdentity: r.impu,
        serverName: ctx.serverName,
        numberAuthItems: 1,
        authData: o.resync === undefined ? { scheme: o.scheme } : { scheme: o.scheme, authorization: o.resync },
      })
      .then((maa) => challengeFrom(ctx, r, o, maa));
  } catch (e) {
    return Promise.reject(e instanceof Error ? e : new Error(String(e)));
  }
}

/** The 401 (or the failure to answer) from the MAA. */
function challengeFrom(ctx: RegistrarContext, r: RegisterRequest, o: ChallengeOptions, maa: Result<MultimediaAuthAnswer, CxError>): SipReply {
  if (!maa.ok) return cxErrorReply(maa.error);
  if (!isSuccess(maa.value.result)) return cxFailureReply(maa.value.result);
  const item = maa.value.items[0];
  if (item === undefined) return reply(500, "HSS Sent No Authentication Vector");
  const aka = item.scheme === SIP_AUTH_SCHEME.AKA_MD5 || (item.digest === undefined && item.authenticate !== undefined);
  return aka ? akaChallenge(ctx, r, item, o.stale === true) : digestChallenge(ctx, r, item, o.stale === true);
}

/**
 * The 401 with its challenge, written as `serializeAuth(authHeader("Digest", {realm, nonce,
 * algorithm, qop: "auth", ck, ik, stale}), "challenge")` writes it (algorithm and stale bare, the
 * others quoted) without the parameter map.
 */
function unauthorized(realm: string, nonce: string, algorithm: string, keys: string, stale: boolean): SipReply {
  const www = `Digest realm=${quote(realm)}, nonce=${quote(nonce)}, algorithm=${algorithm}, qop="auth"${keys}${stale ? ", stale=true" : ""}`;
  return reply(401, "Unauthorized", [["WWW-Authenticate", www]]);
}

/** RFC 3310 §3.1 challenge from an AKA vector; XRES, CK and IK kept for the answer. */
function akaChallenge(ctx: RegistrarContext, r: RegisterRequest, item: SipAuthDataItem, stale: boolean): SipReply {
  const { authenticate, authorization: xres, confidentialityKey: ck, integrityKey: ik } = item;
  const built = authenticate?.length === AKA_NONCE_BYTES ? buildAkaNonce(authenticate.subarray(0, 16), authenticate.subarray(16)) : undefined;
  if (built?.ok !== true || xres === undefined || ck === undefined || ik === undefined) {
    return reply(500, "HSS Sent An Incomplete AKA Vector");
  }
  const nonce = built.value;
  const realm = r.credentials?.realm || ctx.domain;
  const createdAt = ctx.clock.now();
  ctx.challenges.add(nonce, { scheme: "Digest-AKAv1-MD5", impi: r.impi, impu: r.impu, realm, xres, ck, ik, createdAt });
  if (ctx.log.isLevelEnabled("debug")) ctx.log.debug({ impi: r.impi, scheme: "Digest-AKAv1-MD5", stale }, "registrar challenge");
  const keys = `, ck=${quote(Buffer.from(ck).toString("hex"))}, ik=${quote(Buffer.from(ik).toString("hex"))}`;
  return unauthorized(realm, nonce, "AKAv1-MD5", keys, stale);
}

/** RFC 2617 MD5 challenge with a fresh random nonce; the HA1 from the MAA kept for the answer. */
function digestChallenge(ctx: RegistrarContext, r: RegisterRequest, item: SipAuthDataItem, stale: boolean): SipReply {
  const d = item.digest;
  if (d === undefined || d.ha1.length === 0) return reply(500, "HSS Sent No Digest HA1");
  const nonce = randomBase64(24);
  const realm = d.realm || ctx.domain;
  const createdAt = ctx.clock.now();
  ctx.challenges.add(nonce, { scheme: "SIP Digest", impi: r.impi, impu: r.impu, realm, ha1: d.ha1, qop: "auth", createdAt });
  if (ctx.log.isLevelEnabled("debug")) ctx.log.debug({ impi: r.impi, scheme: "SIP Digest", stale }, "registrar challenge");
  return unauthorized(realm, nonce, "MD5", "", stale);
}
