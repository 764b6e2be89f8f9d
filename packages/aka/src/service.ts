import { ImsError, err, ok, type Result, type TaggedError } from "@ims/runtime";
import { computeOpc } from "./milenage.js";
import { verifyAuts } from "./resync.js";
import { nextSqn, sqnProfile, type SqnProfile } from "./sqn.js";
import { defaultRandom, generateVector, type AkaVector, type RandomSource } from "./vector.js";

/** Key material as stored for a subscriber (octets). */
export interface StoredAkaKeys {
  readonly k: Uint8Array;
  readonly opc: Uint8Array;
  readonly amf: Uint8Array;
}

/**
 * The AKA operations an HSS needs, over Milenage and the Annex C SQN profile. Keys come from the
 * subscriber store, so a wrong length there is a provisioning bug and throws ImsError (with the field
 * name only); AUTS comes from the network and is answered with a typed error.
 */
export interface AkaService {
  readonly profile: SqnProfile;
  /** OPc from K and OP (TS 35.206 §4.1). */
  opc(k: Uint8Array, op: Uint8Array): Buffer;
  /** The SQN of the vector after `sqn` (12 hex digits in and out). */
  nextSqn(sqn: string): string;
  /** A vector for this SQN with a fresh RAND. */
  vector(keys: StoredAkaKeys, sqn: string): AkaVector;
  /** Verifies AUTS for RAND (MAC-S, AMF 0000) and returns SQN_MS, 12 hex digits (TS 33.102 §6.3.5). */
  resync(keys: StoredAkaKeys, rand: Uint8Array, auts: Uint8Array): Result<string, TaggedError<"auts-invalid">>;
}

export interface AkaServiceOptions {
  readonly indBits?: number;
  readonly delta?: number;
  readonly random?: RandomSource;
}

function must<T>(r: Result<T, TaggedError>): T {
  if (!r.ok) throw new ImsError(r.error.tag, r.error.reason);
  return r.value;
}

export function createAkaService(options: AkaServiceOptions = {}): AkaService {
  const profile = sqnProfile({
    ...(options.indBits === undefined ? {} : { indBits: options.indBits }),
    ...(options.delta === undefined ? {} : { delta: options.delta }),
  });
  const random = options.random ?? defaultRandom;
  return {
    profile,
    opc: (k, op) => must(computeOpc(k, op)),
    nextSqn: (sqn) => must(nextSqn(sqn, profile)),
    vector: (keys, sqn) => must(generateVector(keys, sqn, random)),
    resync(keys, rand, auts) {
      const r = verifyAuts({ k: keys.k, opc: keys.opc, rand, auts }, profile);
      if (r.ok) return ok(r.value.sqnMs);
      return err({ tag: "auts-invalid", reason: r.error.reason });
    },
  };
}
