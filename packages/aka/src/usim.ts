import { ok, timingSafeEqualString, type Result } from "@ims/runtime";
import { field, xor, type BytesInput } from "./bytes.js";
import { akaFail, type AkaError } from "./errors.js";
import { resolveOpc, type OperatorKey } from "./key.js";
import { f1Both, f2345 } from "./milenage.js";
import { buildAuts } from "./resync.js";
import { DEFAULT_SQN_PROFILE, formatSqn, sqnFromBytes, splitSqn, type SqnProfile } from "./sqn.js";

/**
 * UE (USIM) side of AKA, for the scripted UE in tests: checks MAC-A, checks SQN freshness with the
 * array scheme of TS 33.102 Annex C.2, and answers RES/CK/IK or AUTS.
 */

/** The USIM's sequence-number memory (TS 33.102 C.2): SEQ_MS(i) per IND slot. */
export interface UsimSqnStore {
  readonly profile: SqnProfile;
  /** SEQ_MS(i) for slot `ind`. */
  seqAt(ind: number): number;
  /** The highest previously accepted SQN anywhere in the array (SQN_MS), as a full SQN. */
  highest(): number;
  /** Records `sqn` as accepted. */
  accept(sqn: number): void;
}

/** An in-memory store. A starting SQN makes every slot refuse SEQ at or below its SEQ. */
export class MemoryUsimSqnStore implements UsimSqnStore {
  readonly profile: SqnProfile;
  private readonly seqs: number[];
  private top: number;

  constructor(profile: SqnProfile = DEFAULT_SQN_PROFILE, initialSqn = 0) {
    this.profile = profile;
    this.seqs = new Array<number>(2 ** profile.indBits).fill(splitSqn(initialSqn, profile).seq);
    this.top = initialSqn;
  }

  seqAt(ind: number): number {
    return this.seqs[ind] ?? 0;
  }

  highest(): number {
    return this.top;
  }

  accept(sqn: number): void {
    const { seq, ind } = splitSqn(sqn, this.profile);
    this.seqs[ind] = seq;
    if (seq > splitSqn(this.top, this.profile).seq) this.top = sqn;
  }
}

/** Fresh per C.2.1 (SEQ − SEQ_MS ≤ Δ, SEQ_MS the highest) and C.2.2 (SEQ > SEQ_MS(IND)). */
export function isFresh(sqn: number, store: UsimSqnStore): boolean {
  const p = store.profile;
  const { seq, ind } = splitSqn(sqn, p);
  const seqMs = splitSqn(store.highest(), p).seq;
  return seq - seqMs <= p.delta && seq > store.seqAt(ind);
}

export type UsimOutcome =
  | { readonly kind: "success"; readonly res: Buffer; readonly ck: Buffer; readonly ik: Buffer; readonly sqn: string }
  /** SQN not fresh: send AUTS (TS 33.102 §6.3.3) in a re-synchronisation request. */
  | { readonly kind: "sync-failure"; readonly auts: Buffer; readonly sqnMs: string };

export interface UsimInput {
  readonly k: BytesInput;
  readonly operator: OperatorKey;
  readonly rand: BytesInput;
  readonly autn: BytesInput;
  readonly store: UsimSqnStore;
}

/**
 * Runs the USIM procedure of TS 33.102 §6.3.3: AK = f5(RAND), SQN = AUTN[0..5] ⊕ AK, XMAC = f1 over
 * the AUTN's AMF, MAC failure first, then SQN freshness. On success the store records the SQN.
 */
export function usimAuthenticate(input: UsimInput): Result<UsimOutcome, AkaError<"aka-malformed" | "autn-mac-failure">> {
  const autn = field("autn", input.autn);
  if (!autn.ok) return autn;
  const opc = resolveOpc(input.k, input.operator);
  if (!opc.ok) return opc;
  const f = f2345(input.k, opc.value, input.rand);
  if (!f.ok) return f;
  const sqnBytes = xor(autn.value.subarray(0, 6), f.value.ak);
  const mac = f1Both(input.k, opc.value, input.rand, sqnBytes, autn.value.subarray(6, 8));
  if (!mac.ok) return mac;
  if (!timingSafeEqualString(mac.value.macA.toString("hex"), autn.value.subarray(8, 16).toString("hex"))) {
    return akaFail("autn-mac-failure", "MAC-A in AUTN does not verify");
  }
  const sqn = sqnFromBytes(sqnBytes);
  if (!sqn.ok) return sqn;
  if (!isFresh(sqn.value, input.store)) {
    // C.2.2: the AUTS carries the highest previously accepted sequence number anywhere in the array
    const sqnMs = input.store.highest();
    const auts = buildAuts(input.k, opc.value, input.rand, sqnMs);
    if (!auts.ok) return auts;
    return ok({ kind: "sync-failure", auts: auts.value, sqnMs: formatSqn(sqnMs) });
  }
  input.store.accept(sqn.value);
  return ok({ kind: "success", res: f.value.res, ck: f.value.ck, ik: f.value.ik, sqn: formatSqn(sqn.value) });
}
