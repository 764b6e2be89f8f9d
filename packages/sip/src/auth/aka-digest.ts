import { ok, type Result } from "@ims/runtime";
import { digestFail, type DigestError } from "./digest-errors.js";
import { digestHa1 } from "./digest.js";

/**
 * Digest-AKAv1-MD5 pieces (RFC 3310): the nonce is base64(RAND ‖ AUTN ‖ optional server data) and is
 * hashed as that base64 text; the password is RES as raw octets.
 */

/** Octet lengths in the AKA nonce and auts parameter (RFC 3310 §3.1, §3.4; TS 33.102 §6.3). */
export const AKA_NONCE_LAYOUT = { rand: 16, autn: 16, auts: 14 } as const;

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function decodeBase64(s: string, what: string): Result<Buffer, DigestError<"digest-malformed">> {
  if (!BASE64.test(s)) return digestFail("digest-malformed", `${what} is not base64`);
  return ok(Buffer.from(s, "base64"));
}

/** nonce = base64(RAND ‖ AUTN ‖ serverData). */
export function buildAkaNonce(rand: Uint8Array, autn: Uint8Array, serverData?: Uint8Array): Result<string, DigestError<"digest-malformed">> {
  if (rand.length !== AKA_NONCE_LAYOUT.rand) return digestFail("digest-malformed", `RAND must be 16 octets, got ${rand.length}`);
  if (autn.length !== AKA_NONCE_LAYOUT.autn) return digestFail("digest-malformed", `AUTN must be 16 octets, got ${autn.length}`);
  return ok(Buffer.concat([rand, autn, serverData ?? new Uint8Array(0)]).toString("base64"));
}

export interface AkaNonceParts {
  readonly rand: Buffer;
  readonly autn: Buffer;
  /** Anything after the first 32 octets (often empty). */
  readonly serverData: Buffer;
}

/** Splits an AKA nonce; fewer than 32 octets or non-base64 text is digest-malformed. */
export function splitAkaNonce(nonce: string): Result<AkaNonceParts, DigestError<"digest-malformed">> {
  const b = decodeBase64(nonce, "AKA nonce");
  if (!b.ok) return b;
  const min = AKA_NONCE_LAYOUT.rand + AKA_NONCE_LAYOUT.autn;
  if (b.value.length < min) return digestFail("digest-malformed", `AKA nonce must hold at least ${min} octets, got ${b.value.length}`);
  return ok({ rand: b.value.subarray(0, 16), autn: b.value.subarray(16, 32), serverData: b.value.subarray(32) });
}

/** The `auts` parameter: base64 of exactly 14 octets (20 characters). */
export function decodeAuts(auts: string): Result<Buffer, DigestError<"digest-malformed">> {
  const b = decodeBase64(auts, "auts");
  if (!b.ok) return b;
  if (b.value.length !== AKA_NONCE_LAYOUT.auts) return digestFail("digest-malformed", `auts must be 14 octets, got ${b.value.length}`);
  return b;
}

export function encodeAuts(auts: Uint8Array): Result<string, DigestError<"digest-malformed">> {
  if (auts.length !== AKA_NONCE_LAYOUT.auts) return digestFail("digest-malformed", `auts must be 14 octets, got ${auts.length}`);
  return ok(Buffer.from(auts).toString("base64"));
}

/** HA1 for AKAv1-MD5: MD5(username ":" realm ":" RES), RES (or XRES) as octets, never hex. */
export function akaHa1(username: string, realm: string, res: Uint8Array): string {
  return digestHa1(username, realm, res, "AKAv1-MD5");
}
