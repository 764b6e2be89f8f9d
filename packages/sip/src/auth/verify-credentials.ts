import { ok, type Result } from "@ims/runtime";
import type { DigestParams } from "../headers/index.js";
import { digestFail, type DigestError } from "./digest-errors.js";
import { parseDigestAlgorithm, parseDigestQop, verifyDigestResponse, type DigestAlgorithm, type DigestQop, type DigestSecret } from "./digest.js";

/** The parts of received credentials a digest check needs, all present. */
export interface CheckedCredentials {
  readonly username: string;
  readonly realm: string;
  readonly nonce: string;
  readonly uri: string;
  readonly response: string;
  readonly algorithm: DigestAlgorithm;
  readonly qop?: DigestQop;
  readonly nc?: string;
  readonly cnonce?: string;
}

/**
 * Reads Authorization parameters (as the message layer's `digestParams` gives them) into the fields
 * a verifier needs; a missing mandatory parameter (RFC 2617 §3.2.2) is digest-malformed, an unknown
 * algorithm or qop digest-unsupported.
 */
export function readDigestCredentials(p: DigestParams): Result<CheckedCredentials, DigestError<"digest-malformed" | "digest-unsupported">> {
  for (const name of ["username", "realm", "nonce", "uri", "response"] as const) {
    if (p[name] === undefined) return digestFail("digest-malformed", `${name} parameter missing`);
  }
  const algorithm = parseDigestAlgorithm(p.algorithm);
  if (!algorithm.ok) return algorithm;
  const qop = parseDigestQop(p.qop);
  if (!qop.ok) return qop;
  return ok({
    username: p.username ?? "",
    realm: p.realm ?? "",
    nonce: p.nonce ?? "",
    uri: p.uri ?? "",
    response: p.response ?? "",
    algorithm: algorithm.value,
    ...(qop.value === undefined ? {} : { qop: qop.value }),
    ...(p.nc === undefined ? {} : { nc: p.nc }),
    ...(p.cnonce === undefined ? {} : { cnonce: p.cnonce }),
  });
}

export interface VerifyContext {
  /** Request method; for an ACK or CANCEL the one of the request they belong to is used by callers. */
  readonly method: string;
  /** HA1 from the HSS (Digest-HA1) or computed, hex; for AKAv1-MD5 `digestHa1(user, realm, XRES octets)`. */
  readonly ha1: string;
  /** Request body, for qop=auth-int. */
  readonly body?: DigestSecret;
}

/**
 * Verifies received credentials against HA1 in constant time. Nonce validity, nonce-count replay and
 * realm/username policy stay with the caller (the S-CSCF owns nonce bookkeeping).
 */
export function verifyDigestCredentials(p: DigestParams, ctx: VerifyContext): Result<CheckedCredentials, DigestError> {
  const c = readDigestCredentials(p);
  if (!c.ok) return c;
  const v = verifyDigestResponse({
    ha1: ctx.ha1,
    algorithm: c.value.algorithm,
    nonce: c.value.nonce,
    method: ctx.method,
    uri: c.value.uri,
    response: c.value.response,
    ...(c.value.qop === undefined ? {} : { qop: c.value.qop }),
    ...(c.value.nc === undefined ? {} : { nc: c.value.nc }),
    ...(c.value.cnonce === undefined ? {} : { cnonce: c.value.cnonce }),
    ...(ctx.body === undefined ? {} : { body: ctx.body }),
  });
  return v.ok ? c : v;
}
