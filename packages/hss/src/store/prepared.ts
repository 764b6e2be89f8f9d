import type { CompiledQuery, Kysely, QueryResult } from "kysely";
import type { HssDatabase } from "./tables.js";

/**
 * A query built and compiled once by kysely (plugins included), then executed with new argument
 * values: the Cx hot path (a MAR every ~100 µs) spends no time re-building the same SQL.
 * `build` receives placeholder values it must put where the arguments go.
 */
export function prepareQuery<R>(
  db: Kysely<HssDatabase>,
  arity: number,
  build: (db: Kysely<HssDatabase>, args: readonly Placeholder[]) => { compile(): CompiledQuery<R> },
): (on: Kysely<HssDatabase>, args: readonly unknown[]) => Promise<QueryResult<R>> {
  const placeholders = Array.from({ length: arity }, (_, i) => `\u0000arg${i}\u0000` as Placeholder);
  const compiled = build(db, placeholders).compile();
  const slots = compiled.parameters.map((p) => placeholders.indexOf(p as Placeholder));
  return (on, args) => {
    const parameters = compiled.parameters.map((p, j) => {
      const slot = slots[j] ?? -1;
      return slot >= 0 ? args[slot] : p;
    });
    return on.executeQuery<R>({ ...compiled, parameters });
  };
}

/** A stand-in value for an argument; typed as `never` so it fits any column. */
export type Placeholder = string & never;

type Runner = (on: Kysely<HssDatabase>, args: readonly unknown[]) => Promise<QueryResult<unknown>>;
const perStore = new WeakMap<Kysely<HssDatabase>, Map<string, Runner>>();

/**
 * Runs the query named `key`, compiling it on first use for this store. `build` must always build the
 * same query shape for a key (only argument values change).
 */
export async function runPrepared<R>(
  db: Kysely<HssDatabase>,
  key: string,
  args: readonly unknown[],
  build: (db: Kysely<HssDatabase>, args: readonly Placeholder[]) => { compile(): CompiledQuery<R> },
): Promise<R[]> {
  let byKey = perStore.get(db);
  if (byKey === undefined) perStore.set(db, (byKey = new Map()));
  let run = byKey.get(key);
  if (run === undefined) {
    run = prepareQuery(db, args.length, build) as Runner;
    byKey.set(key, run);
  }
  return (await run(db, args)).rows as R[];
}
