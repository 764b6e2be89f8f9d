import { ImsError, ok, type Result } from "@ims/runtime";
import { field } from "./bytes.js";
import { akaFail, type AkaError } from "./errors.js";

/**
 * SQN arithmetic per TS 33.102 Annex C: SQN (48 bits) = SEQ ‖ IND, IND being the low `indBits` bits
 * (C.1.1; C.3.4 suggests 5). Values are numbers (48 bits fit in a double exactly) and cross the API
 * as 12 hex digits.
 */
export const SQN_BITS = 48;
export const SQN_MAX = 2 ** SQN_BITS - 1;

export interface SqnProfile {
  /** Length of IND in bits (TS 33.102 C.1.1, C.3.4). */
  readonly indBits: number;
  /** Δ of C.2.1: the USIM refuses SEQ − SEQ_MS > Δ; the HE resynchronises when it would exceed it. */
  readonly delta: number;
}

/** Annex C defaults: IND of 5 bits (C.3.4 example), Δ = 2^28 (C.2.1). */
export const DEFAULT_SQN_PROFILE: SqnProfile = { indBits: 5, delta: 2 ** 28 };

/** Fills in defaults; a profile outside the ranges Annex C allows is a configuration bug. */
export function sqnProfile(p: Partial<SqnProfile> = {}): SqnProfile {
  const indBits = p.indBits ?? DEFAULT_SQN_PROFILE.indBits;
  const delta = p.delta ?? DEFAULT_SQN_PROFILE.delta;
  if (!Number.isInteger(indBits) || indBits < 0 || indBits > 16) throw new ImsError("aka-config", `indBits must be an integer 0..16, got ${indBits}`);
  if (!Number.isInteger(delta) || delta < 1 || delta > 2 ** (SQN_BITS - indBits)) throw new ImsError("aka-config", `delta out of range: ${delta}`);
  return { indBits, delta };
}

const HEX12 = /^[0-9a-fA-F]{12}$/;

/** SQN from 12 hex digits. */
export function parseSqn(hex: string): Result<number, AkaError<"aka-malformed">> {
  if (!HEX12.test(hex)) return akaFail("aka-malformed", "sqn must be 12 hex digits");
  return ok(parseInt(hex, 16));
}

/** SQN as 12 lower-case hex digits. */
export function formatSqn(sqn: number): string {
  if (!Number.isInteger(sqn) || sqn < 0 || sqn > SQN_MAX) throw new ImsError("aka-bug", `SQN out of 48-bit range: ${sqn}`);
  return sqn.toString(16).padStart(12, "0");
}

export function sqnToBytes(sqn: number): Buffer {
  return Buffer.from(formatSqn(sqn), "hex");
}

export function sqnFromBytes(b: Uint8Array): Result<number, AkaError<"aka-malformed">> {
  const f = field("sqn", b);
  return f.ok ? ok(f.value.readUIntBE(0, 6)) : f;
}

export interface SeqInd {
  readonly seq: number;
  readonly ind: number;
}

export function splitSqn(sqn: number, p: SqnProfile = DEFAULT_SQN_PROFILE): SeqInd {
  const a = 2 ** p.indBits;
  return { seq: Math.floor(sqn / a), ind: sqn % a };
}

export function joinSqn(s: SeqInd, p: SqnProfile = DEFAULT_SQN_PROFILE): number {
  return s.seq * 2 ** p.indBits + s.ind;
}

/**
 * The SQN of the next vector after `sqn` (TS 33.102 C.3.2 with C.3.4): SEQ_HE is incremented by 1
 * and IND_HE by 1 modulo 2^indBits, so consecutive vectors land in different slots of the USIM's
 * array and may be used out of order. SEQ wraps to 0 after its maximum (not reached in practice).
 */
export function nextSqnValue(sqn: number, p: SqnProfile = DEFAULT_SQN_PROFILE): number {
  const { seq, ind } = splitSqn(sqn, p);
  const seqMax = 2 ** (SQN_BITS - p.indBits);
  return joinSqn({ seq: (seq + 1) % seqMax, ind: (ind + 1) % 2 ** p.indBits }, p);
}

/** `nextSqnValue` over 12 hex digits. */
export function nextSqn(sqn: string, p: SqnProfile = DEFAULT_SQN_PROFILE): Result<string, AkaError<"aka-malformed">> {
  const v = parseSqn(sqn);
  return v.ok ? ok(formatSqn(nextSqnValue(v.value, p))) : v;
}

/**
 * Would a USIM whose highest accepted sequence number is `sqnMs` accept `sqn`? True when
 * SEQ > SEQ_MS (so whatever IND slot it lands in is fresh) and SEQ − SEQ_MS ≤ Δ (C.2.1).
 */
export function acceptableAfter(sqn: number, sqnMs: number, p: SqnProfile = DEFAULT_SQN_PROFILE): boolean {
  const seq = splitSqn(sqn, p).seq;
  const seqMs = splitSqn(sqnMs, p).seq;
  return seq > seqMs && seq - seqMs <= p.delta;
}
