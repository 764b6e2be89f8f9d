import { err, type TaggedError } from "@ims/runtime";

/**
 * Typed AKA errors. Reasons name the field and its expected shape, never the value: K, OP/OPc,
 * RES, CK/IK and the SQN-hiding AK must not leak into logs.
 */
export type AkaErrorTag =
  /** A field has the wrong length or is not hex. */
  | "aka-malformed"
  /** AUTS whose MAC-S does not verify (TS 33.102 §6.3.5). */
  | "auts-invalid"
  /** UE side: AUTN whose MAC-A does not verify ("MAC failure", TS 33.102 §6.3.3). */
  | "autn-mac-failure";

export type AkaError<T extends AkaErrorTag = AkaErrorTag> = TaggedError<T>;

export const akaFail = <T extends AkaErrorTag>(tag: T, reason: string): { readonly ok: false; readonly error: AkaError<T> } =>
  err({ tag, reason });
