import { err, type Result, type TaggedError } from "@ims/runtime";

/** Why a store operation was refused; the REST API maps these to 404/409/422. */
export type StoreError = TaggedError<"not-found" | "conflict" | "invalid">;
export type StoreResult<T> = Result<T, StoreError>;

export const notFound = (what: string): { ok: false; error: StoreError } =>
  err({ tag: "not-found", reason: `${what} not found` });
export const conflict = (reason: string): { ok: false; error: StoreError } => err({ tag: "conflict", reason });
export const invalid = (reason: string): { ok: false; error: StoreError } => err({ tag: "invalid", reason });

/** Thrown inside a transaction to roll it back with a typed error. */
export class StoreAbort extends Error {
  constructor(readonly error: StoreError) {
    super(error.reason);
  }
}

/** Maps a driver error of SQLite or MySQL to a StoreError, or undefined when it is not a constraint. */
export function constraintError(e: unknown): StoreError | undefined {
  if (e instanceof StoreAbort) return e.error;
  const code = typeof e === "object" && e !== null && "code" in e ? String((e as { code: unknown }).code) : "";
  if (code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY" || code === "ER_DUP_ENTRY") {
    return { tag: "conflict", reason: "already exists" };
  }
  if (code === "SQLITE_CONSTRAINT_FOREIGNKEY" || code === "ER_ROW_IS_REFERENCED_2" || code === "ER_ROW_IS_REFERENCED") {
    return { tag: "conflict", reason: "still referenced by another object" };
  }
  if (code === "ER_NO_REFERENCED_ROW_2") return { tag: "invalid", reason: "references an unknown object" };
  return undefined;
}

/** Runs a store operation, turning constraint violations and aborts into typed errors. */
export async function guarded<T>(op: () => Promise<StoreResult<T>>): Promise<StoreResult<T>> {
  try {
    return await op();
  } catch (e) {
    const mapped = constraintError(e);
    if (mapped !== undefined) return err(mapped);
    throw e;
  }
}
