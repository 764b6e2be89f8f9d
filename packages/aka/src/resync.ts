import { ok, timingSafeEqualString, type Result } from "@ims/runtime";
import { field, xor, type BytesInput } from "./bytes.js";
import { akaFail, type AkaError } from "./errors.js";
import { f1Both, f2345 } from "./milenage.js";
import { DEFAULT_SQN_PROFILE, acceptableAfter, formatSqn, nextSqnValue, parseSqn, sqnFromBytes, sqnToBytes, type SqnProfile } from "./sqn.js";

/** AMF input to f1* in re-synchronisation: the dummy value 0x0000 (TS 33.102 §6.3.3). */
export const RESYNC_AMF = Buffer.from([0x00, 0x00]);

/** AUTS = (SQN_MS ⊕ AK*) ‖ MAC-S with MAC-S = f1*(K, SQN_MS, RAND, AMF=0000) (TS 33.102 §6.3.3). */
export function buildAuts(k: BytesInput, opc: BytesInput, rand: BytesInput, sqnMs: string | number): Result<Buffer, AkaError<"aka-malformed">> {
  const sq = typeof sqnMs === "number" ? ok(sqnMs) : parseSqn(sqnMs);
  if (!sq.ok) return sq;
  const sqnBytes = sqnToBytes(sq.value);
  const f = f2345(k, opc, rand);
  if (!f.ok) return f;
  const mac = f1Both(k, opc, rand, sqnBytes, RESYNC_AMF);
  if (!mac.ok) return mac;
  return ok(Buffer.concat([xor(sqnBytes, f.value.akStar), mac.value.macS]));
}

export interface ResyncInput {
  readonly k: BytesInput;
  readonly opc: BytesInput;
  /** The RAND of the challenge the UE refused. */
  readonly rand: BytesInput;
  /** 14 octets, as decoded from the `auts` parameter. */
  readonly auts: BytesInput;
  /** The HE's current SQN_HE (12 hex digits), if known: kept when its successor is still acceptable. */
  readonly sqnHe?: string;
}

export interface ResyncResult {
  /** SQN_MS recovered from AUTS, 12 hex digits. */
  readonly sqnMs: string;
  /**
   * SQN_HE to continue from: the next vector carries nextSqn(sqnHe). Per TS 33.102 §6.3.5 the HE keeps
   * its own SQN_HE when the SQN it would generate next is acceptable to the USIM (C.2.1), otherwise
   * resets SQN_HE to SQN_MS.
   */
  readonly sqnHe: string;
}

/**
 * HE side of re-synchronisation: recovers SQN_MS = (AUTS[0..5] ⊕ f5*(RAND)), checks MAC-S with f1*
 * and AMF = 0000, then picks the SQN_HE to continue from. A bad MAC-S is `auts-invalid`.
 */
export function verifyAuts(input: ResyncInput, profile: SqnProfile = DEFAULT_SQN_PROFILE): Result<ResyncResult, AkaError<"aka-malformed" | "auts-invalid">> {
  const auts = field("auts", input.auts);
  if (!auts.ok) return auts;
  const he = input.sqnHe === undefined ? undefined : parseSqn(input.sqnHe);
  if (he !== undefined && !he.ok) return he;
  const f = f2345(input.k, input.opc, input.rand);
  if (!f.ok) return f;
  const sqnMsBytes = xor(auts.value.subarray(0, 6), f.value.akStar);
  const mac = f1Both(input.k, input.opc, input.rand, sqnMsBytes, RESYNC_AMF);
  if (!mac.ok) return mac;
  if (!timingSafeEqualString(mac.value.macS.toString("hex"), auts.value.subarray(6, 14).toString("hex"))) {
    return akaFail("auts-invalid", "MAC-S in AUTS does not verify");
  }
  const sqnMs = sqnFromBytes(sqnMsBytes);
  if (!sqnMs.ok) return sqnMs;
  const keep = he !== undefined && acceptableAfter(nextSqnValue(he.value, profile), sqnMs.value, profile);
  return ok({ sqnMs: formatSqn(sqnMs.value), sqnHe: formatSqn(keep ? he.value : sqnMs.value) });
}
