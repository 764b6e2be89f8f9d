import { randomBytes } from "node:crypto";
import { ok, type Result } from "@ims/runtime";
import { AKA_LENGTHS, field, xor, type BytesInput } from "./bytes.js";
import { akaFail, type AkaError } from "./errors.js";
import { f1Both, f2345 } from "./milenage.js";
import { formatSqn, parseSqn, sqnFromBytes, sqnToBytes } from "./sqn.js";

/** Source of RAND octets; tests inject a fixed one. */
export type RandomSource = (size: number) => Uint8Array;

export const defaultRandom: RandomSource = (n) => randomBytes(n);

/** Subscriber key material as the HE holds it. */
export interface AkaKeys {
  readonly k: BytesInput;
  readonly opc: BytesInput;
  readonly amf: BytesInput;
}

/** A UMTS authentication vector (TS 33.102 §6.3.2), octets. */
export interface AkaVector {
  readonly rand: Buffer;
  /** AUTN = SQN ⊕ AK ‖ AMF ‖ MAC-A. */
  readonly autn: Buffer;
  readonly xres: Buffer;
  readonly ck: Buffer;
  readonly ik: Buffer;
  /** The SQN this vector carries, 12 hex digits. */
  readonly sqn: string;
}

type Malformed = AkaError<"aka-malformed">;

/** AUTN = (SQN ⊕ AK) ‖ AMF ‖ MAC-A (TS 33.102 §6.3.2). */
export function buildAutn(sqn: Uint8Array, ak: Uint8Array, amf: Uint8Array, macA: Uint8Array): Buffer {
  return Buffer.concat([xor(sqn, ak), amf, macA]);
}

export interface AutnParts {
  readonly sqnXorAk: Buffer;
  readonly amf: Buffer;
  readonly mac: Buffer;
}

export function splitAutn(autn: BytesInput): Result<AutnParts, Malformed> {
  const a = field("autn", autn);
  if (!a.ok) return a;
  return ok({ sqnXorAk: a.value.subarray(0, 6), amf: a.value.subarray(6, 8), mac: a.value.subarray(8, 16) });
}

/**
 * Generates one vector for `sqn` (12 hex digits or 6 octets) with a fresh RAND from `random`.
 * The caller owns SQN bookkeeping (see nextSqn) and must commit the SQN before handing out the vector.
 */
export function generateVector(keys: AkaKeys, sqn: BytesInput, random: RandomSource = defaultRandom): Result<AkaVector, Malformed> {
  const sq = typeof sqn === "string" ? parseSqn(sqn) : sqnFromBytes(sqn);
  if (!sq.ok) return sq;
  const rand = Buffer.from(random(AKA_LENGTHS.rand));
  if (rand.length !== AKA_LENGTHS.rand) return akaFail("aka-malformed", `random source gave ${rand.length} octets, want 16`);
  const sqnBytes = sqnToBytes(sq.value);
  const amf = field("amf", keys.amf);
  if (!amf.ok) return amf;
  const mac = f1Both(keys.k, keys.opc, rand, sqnBytes, amf.value);
  if (!mac.ok) return mac;
  const f = f2345(keys.k, keys.opc, rand);
  if (!f.ok) return f;
  return ok({
    rand,
    autn: buildAutn(sqnBytes, f.value.ak, amf.value, mac.value.macA),
    xres: f.value.res,
    ck: f.value.ck,
    ik: f.value.ik,
    sqn: formatSqn(sq.value),
  });
}
