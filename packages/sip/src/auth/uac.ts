import { randomBytes } from "node:crypto";
import { ok, type Result } from "@ims/runtime";
import type { DigestParams } from "../headers/index.js";
import { encodeAuts } from "./aka-digest.js";
import { digestFail, type DigestError } from "./digest-errors.js";
import { DIGEST_ALGORITHMS, digestHa1, digestResponse, parseDigestAlgorithm, type DigestQop, type DigestSecret } from "./digest.js";

/**
 * UAC side: answer a WWW-/Proxy-Authenticate digest challenge with Authorization parameters
 * (RFC 2617 §3.2.2, RFC 3310 §3.2–3.4). The result is a plain record in header order, ready for the
 * message layer's `authHeader("Digest", params)`.
 */

/** What the UAC knows: a password, a precomputed HA1, AKA's RES, or an AKA sync failure's AUTS. */
export type DigestAnswerSecret =
  | { readonly kind: "password"; readonly password: DigestSecret }
  | { readonly kind: "ha1"; readonly ha1: string }
  /** AKAv1-MD5 after the USIM accepted AUTN: RES octets are the password. */
  | { readonly kind: "aka-res"; readonly res: Uint8Array }
  /**
   * AKAv1-MD5 after a synchronisation failure: the auts parameter is sent. RFC 3310 §3.4 could not
   * be re-read here; the response is computed over an empty password, which is what servers that
   * check it expect (they resynchronise through the HSS rather than authenticate this request).
   */
  | { readonly kind: "aka-sync-failure"; readonly auts: Uint8Array };

export interface DigestAnswerRequest {
  readonly method: string;
  /** digest-uri: the Request-URI as sent. */
  readonly uri: string;
  readonly body?: DigestSecret;
}

export interface DigestAnswerOptions {
  /** Client nonce; random 16 hex digits by default. */
  readonly cnonce?: string;
  /** nonce-count for this nonce, starting at 1. */
  readonly nc?: number;
}

/** Picks qop from a challenge's comma-separated list: auth first, else auth-int (RFC 3261 §22.4 prefers auth). */
function chooseQop(offered: string | undefined): Result<DigestQop | undefined, DigestError<"digest-unsupported">> {
  if (offered === undefined) return ok(undefined);
  const list = offered.split(",").map((q) => q.trim().toLowerCase());
  if (list.includes("auth")) return ok("auth");
  if (list.includes("auth-int")) return ok("auth-int");
  return digestFail("digest-unsupported", `no supported qop in "${offered}"`);
}

export function answerDigestChallenge(
  challenge: DigestParams,
  username: string,
  secret: DigestAnswerSecret,
  request: DigestAnswerRequest,
  options: DigestAnswerOptions = {},
): Result<Record<string, string>, DigestError> {
  if (challenge.realm === undefined) return digestFail("digest-malformed", "challenge has no realm");
  if (challenge.nonce === undefined) return digestFail("digest-malformed", "challenge has no nonce");
  const alg = parseDigestAlgorithm(challenge.algorithm);
  if (!alg.ok) return alg;
  const isAka = DIGEST_ALGORITHMS[alg.value].aka;
  const akaSecret = secret.kind === "aka-res" || secret.kind === "aka-sync-failure";
  if (isAka !== akaSecret) {
    return digestFail("digest-unsupported", `algorithm ${alg.value} needs ${isAka ? "an AKA result" : "a password or HA1"}`);
  }
  const qop = chooseQop(challenge.qop);
  if (!qop.ok) return qop;
  const nc = (options.nc ?? 1).toString(16).padStart(8, "0");
  const cnonce = options.cnonce ?? randomBytes(8).toString("hex");
  const withCnonce = qop.value !== undefined || DIGEST_ALGORITHMS[alg.value].sess;

  let ha1: string;
  switch (secret.kind) {
    case "password":
      ha1 = digestHa1(username, challenge.realm, secret.password, alg.value);
      break;
    case "ha1":
      ha1 = secret.ha1;
      break;
    case "aka-res":
      ha1 = digestHa1(username, challenge.realm, secret.res, alg.value);
      break;
    case "aka-sync-failure":
      ha1 = digestHa1(username, challenge.realm, "", alg.value);
      break;
  }
  let auts: string | undefined;
  if (secret.kind === "aka-sync-failure") {
    const a = encodeAuts(secret.auts);
    if (!a.ok) return a;
    auts = a.value;
  }
  const response = digestResponse({
    ha1,
    algorithm: alg.value,
    nonce: challenge.nonce,
    method: request.method,
    uri: request.uri,
    ...(qop.value === undefined ? {} : { qop: qop.value, nc }),
    ...(withCnonce ? { cnonce } : {}),
    ...(request.body === undefined ? {} : { body: request.body }),
  });
  if (!response.ok) return response;

  const out: Record<string, string> = {
    username,
    realm: challenge.realm,
    nonce: challenge.nonce,
    uri: request.uri,
    response: response.value,
    algorithm: challenge.algorithm ?? "MD5",
  };
  if (withCnonce) out["cnonce"] = cnonce;
  if (challenge.opaque !== undefined) out["opaque"] = challenge.opaque;
  if (qop.value !== undefined) {
    out["qop"] = qop.value;
    out["nc"] = nc;
  }
  if (auts !== undefined) out["auts"] = auts;
  return ok(out);
}
