/**
 * 3GPP AKA for the IMS core: MILENAGE (TS 35.206), vectors and AUTN, SQN = SEQ‖IND per TS 33.102
 * Annex C, AUTS re-synchronisation, the USIM side for scripted UEs, and the project's K-from-secret
 * convention. node:crypto only; functions return typed Results (createAkaService throws only on
 * stored keys of the wrong length, a provisioning bug).
 */
export { type AkaError, type AkaErrorTag } from "./errors.js";
export { AKA_LENGTHS, type AkaField, type BytesInput } from "./bytes.js";
export { computeOpc, f1, f1Star, f1Both, f2, f3, f4, f5, f5Star, f2345, type F1Output, type F2345Output } from "./milenage.js";
export { keyFromSecret, resolveOpc, type OperatorKey } from "./key.js";
export {
  SQN_BITS, SQN_MAX, DEFAULT_SQN_PROFILE, sqnProfile, parseSqn, formatSqn, sqnToBytes, sqnFromBytes, splitSqn, joinSqn,
  nextSqn, nextSqnValue, acceptableAfter, type SqnProfile, type SeqInd,
} from "./sqn.js";
export { generateVector, buildAutn, splitAutn, defaultRandom, type RandomSource, type AkaKeys, type AkaVector, type AutnParts } from "./vector.js";
export { RESYNC_AMF, buildAuts, verifyAuts, type ResyncInput, type ResyncResult } from "./resync.js";
export { MemoryUsimSqnStore, isFresh, usimAuthenticate, type UsimSqnStore, type UsimOutcome, type UsimInput } from "./usim.js";
export { createAkaService, type AkaService, type AkaServiceOptions, type StoredAkaKeys } from "./service.js";
