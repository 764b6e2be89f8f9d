import { createHash } from "node:crypto";
import { ok, timingSafeEqualString, type Result } from "@ims/runtime";
import { digestFail, type DigestError } from "./digest-errors.js";

/**
 * HTTP Digest as SIP uses it (RFC 2617 §3.2.2, RFC 7616 §3.4, RFC 3261 §22.4), and the algorithm
 * names of RFC 3310 (AKAv1-MD5: plain MD5 digest whose password is RES). Pure functions over plain
 * values; parsing and serializing the headers is the message layer's job.
 */

/** Algorithms (RFC 2617 §3.2.1, RFC 7616 §3.2 table, RFC 3310 §3.1). Names compare case-insensitively. */
export const DIGEST_ALGORITHMS = {
  "MD5": { hash: "md5", sess: false, aka: false },
  "MD5-sess": { hash: "md5", sess: true, aka: false },
  "SHA-256": { hash: "sha256", sess: false, aka: false },
  "SHA-256-sess": { hash: "sha256", sess: true, aka: false },
  "AKAv1-MD5": { hash: "md5", sess: false, aka: true },
} as const;

export type DigestAlgorithm = keyof typeof DIGEST_ALGORITHMS;

/** Quality of protection (RFC 2617 §3.2.1). Absent qop is the RFC 2069 compatible form. */
export const DIGEST_QOPS = ["auth", "auth-int"] as const;
export type DigestQop = (typeof DIGEST_QOPS)[number];

const BY_LOWER = new Map<string, DigestAlgorithm>(Object.keys(DIGEST_ALGORITHMS).map((a) => [a.toLowerCase(), a as DigestAlgorithm]));

/** The algorithm named by a parameter; absent means MD5 (RFC 2617 §3.2.1). */
export function parseDigestAlgorithm(name: string | undefined): Result<DigestAlgorithm, DigestError<"digest-unsupported">> {
  if (name === undefined) return ok("MD5");
  const a = BY_LOWER.get(name.toLowerCase());
  return a === undefined ? digestFail("digest-unsupported", `algorithm ${name} not supported`) : ok(a);
}

export function parseDigestQop(qop: string | undefined): Result<DigestQop | undefined, DigestError<"digest-unsupported">> {
  if (qop === undefined) return ok(undefined);
  const q = qop.toLowerCase();
  return q === "auth" || q === "auth-int" ? ok(q) : digestFail("digest-unsupported", `qop ${qop} not supported`);
}

/** Octets or text (UTF-8). A password may be binary: for AKAv1-MD5 it is the RES octets. */
export type DigestSecret = string | Uint8Array;

function h(alg: DigestAlgorithm, ...parts: DigestSecret[]): string {
  const hash = createHash(DIGEST_ALGORITHMS[alg].hash);
  for (const p of parts) hash.update(p);
  return hash.digest("hex");
}

/**
 * HA1 = H(username ":" realm ":" password) (RFC 2617 §3.2.2.2). For AKAv1-MD5 pass RES as octets:
 * hex-encoding it gives a different, wrong HA1. The -sess variants need `digestSessionHa1` on top.
 */
export function digestHa1(username: string, realm: string, password: DigestSecret, algorithm: DigestAlgorithm = "MD5"): string {
  return h(algorithm, username, ":", realm, ":", password);
}

/** Session HA1 for MD5-sess/SHA-256-sess: H(HA1 ":" nonce ":" cnonce), HA1 as lower-case hex (RFC 7616 §3.4.2). */
export function digestSessionHa1(ha1: string, nonce: string, cnonce: string, algorithm: DigestAlgorithm = "MD5-sess"): string {
  return h(algorithm, ha1.toLowerCase(), ":", nonce, ":", cnonce);
}

/** What the response covers, besides HA1. */
export interface DigestResponseInput {
  /** HA1 as hex, from the HSS (Digest-HA1) or `digestHa1`. For -sess algorithms the plain HA1. */
  readonly ha1: string;
  readonly algorithm?: DigestAlgorithm;
  readonly nonce: string;
  readonly method: string;
  readonly uri: string;
  readonly qop?: DigestQop;
  /** nonce-count, 8 hex digits; required with qop. */
  readonly nc?: string;
  /** Required with qop and with -sess algorithms. */
  readonly cnonce?: string;
  /** Message body for qop=auth-int; empty when absent. */
  readonly body?: DigestSecret;
}

const NC = /^[0-9a-fA-F]{8}$/;

function checkInput(i: Omit<DigestResponseInput, "method">): Result<DigestAlgorithm, DigestError<"digest-malformed">> {
  const alg = i.algorithm ?? "MD5";
  if (i.qop !== undefined) {
    if (i.nc === undefined || !NC.test(i.nc)) return digestFail("digest-malformed", "nc must be 8 hex digits when qop is given");
    if (i.cnonce === undefined || i.cnonce === "") return digestFail("digest-malformed", "cnonce is required when qop is given");
  }
  if (DIGEST_ALGORITHMS[alg].sess && (i.cnonce === undefined || i.cnonce === "")) {
    return digestFail("digest-malformed", `cnonce is required with ${alg}`);
  }
  if (!/^[0-9a-fA-F]+$/.test(i.ha1)) return digestFail("digest-malformed", "HA1 must be hex");
  return ok(alg);
}

/** KD(HA1, nonce ":" [nc ":" cnonce ":" qop ":"] HA2), the body of every response computation. */
function kd(i: Omit<DigestResponseInput, "method">, alg: DigestAlgorithm, a2Prefix: string): string {
  const ha1 = DIGEST_ALGORITHMS[alg].sess ? digestSessionHa1(i.ha1, i.nonce, i.cnonce ?? "", alg) : i.ha1.toLowerCase();
  const ha2 =
    i.qop === "auth-int" ? h(alg, a2Prefix, ":", i.uri, ":", h(alg, i.body ?? "")) : h(alg, a2Prefix, ":", i.uri);
  return i.qop === undefined
    ? h(alg, ha1, ":", i.nonce, ":", ha2)
    : h(alg, ha1, ":", i.nonce, ":", i.nc ?? "", ":", i.cnonce ?? "", ":", i.qop, ":", ha2);
}

/** request-digest (RFC 2617 §3.2.2.1): the `response` parameter, lower-case hex. */
export function digestResponse(i: DigestResponseInput): Result<string, DigestError<"digest-malformed">> {
  const alg = checkInput(i);
  return alg.ok ? ok(kd(i, alg.value, i.method)) : alg;
}

/**
 * `rspauth` of Authentication-Info (RFC 2617 §3.2.3): as the response but A2 has an empty method
 * and, for auth-int, hashes the response's body.
 */
export function digestRspauth(i: Omit<DigestResponseInput, "method">): Result<string, DigestError<"digest-malformed">> {
  const alg = checkInput(i);
  return alg.ok ? ok(kd(i, alg.value, "")) : alg;
}

/**
 * Checks a received `response` against the expected one in constant time. Hex case is ignored
 * (RFC 2617 says LHEX; some clients send upper case).
 */
export function verifyDigestResponse(i: DigestResponseInput & { readonly response: string }): Result<true, DigestError<"digest-malformed" | "digest-mismatch">> {
  const expected = digestResponse(i);
  if (!expected.ok) return expected;
  return timingSafeEqualString(expected.value, i.response.toLowerCase()) ? ok(true) : digestFail("digest-mismatch", "response does not match");
}
