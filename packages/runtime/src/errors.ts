/**
 * Errors are values with a tag and a human reason. Peer input never throws: codecs return
 * `Result`s whose error tells the caller what to answer. `ImsError` is thrown only for programmer
 * bugs and for start-up failures (bad config, a port that cannot be bound).
 */

export type Result<T, E> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: E };

export const ok = <T>(value: T): { readonly ok: true; readonly value: T } => ({ ok: true, value });
export const err = <E>(error: E): { readonly ok: false; readonly error: E } => ({ ok: false, error });

/** Base shape of every typed error in the project. */
export interface TaggedError<Tag extends string = string> {
  readonly tag: Tag;
  readonly reason: string;
}

/** Thrown error carrying a tag, for failures that must stop the caller (start-up, programmer bugs). */
export class ImsError<Tag extends string = string> extends Error implements TaggedError<Tag> {
  readonly tag: Tag;
  readonly reason: string;

  constructor(tag: Tag, reason: string, options?: { cause?: unknown }) {
    super(`${tag}: ${reason}`, options);
    this.name = "ImsError";
    this.tag = tag;
    this.reason = reason;
  }
}

/** Marks a branch the type system proves unreachable. */
export function assertNever(value: never, what = "value"): never {
  throw new ImsError("unreachable", `unexpected ${what}: ${String(value)}`);
}
