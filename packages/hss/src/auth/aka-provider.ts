import type { Result, TaggedError } from "@ims/runtime";

/** One AKA authentication vector (TS 33.102 §6.3.2), binary. */
export interface AkaVector {
  readonly rand: Uint8Array;
  /** AUTN = SQN⊕AK ‖ AMF ‖ MAC-A (16 octets). */
  readonly autn: Uint8Array;
  readonly xres: Uint8Array;
  readonly ck: Uint8Array;
  readonly ik: Uint8Array;
}

export interface AkaKeys {
  readonly k: Uint8Array;
  readonly opc: Uint8Array;
  readonly amf: Uint8Array;
}

/**
 * The AKA operations the HSS uses, implemented by packages/aka (Milenage, TS 33.102 Annex C SQN).
 * Kept as a seam so the Cx procedures do not care how vectors are computed.
 */
export interface AkaProvider {
  /** OPc from K and OP (TS 35.206 §4.1). */
  opc(k: Uint8Array, op: Uint8Array): Uint8Array;
  /** The SQN to use after `sqn` (12 hex digits in and out). */
  nextSqn(sqn: string): string;
  /** A vector for this SQN with a fresh RAND. */
  vector(keys: AkaKeys, sqn: string): AkaVector;
  /** Verifies AUTS (MAC-S) for RAND and returns SQN_MS (12 hex digits) (TS 33.102 §6.3.5). */
  resync(keys: AkaKeys, rand: Uint8Array, auts: Uint8Array): Result<string, TaggedError<"auts-invalid">>;
}
