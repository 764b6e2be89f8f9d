import { err, type TaggedError } from "@ims/runtime";

/**
 * Typed digest errors. A reason names the parameter at fault and never carries a password, HA1,
 * RES or response value. The status to answer is in the tag: "digest-malformed" → 400 (or 401
 * with a fresh challenge), "digest-unsupported" → 401 offering what we support, "digest-mismatch" → 401/403.
 */
export type DigestErrorTag = "digest-malformed" | "digest-unsupported" | "digest-mismatch";

export type DigestError<T extends DigestErrorTag = DigestErrorTag> = TaggedError<T>;

export const digestFail = <T extends DigestErrorTag>(tag: T, reason: string): { readonly ok: false; readonly error: DigestError<T> } =>
  err({ tag, reason });
