import type Database from "better-sqlite3";
import type { Statement } from "better-sqlite3";
import type { CompiledQuery, Kysely, QueryResult } from "kysely";
import type { HssDatabase } from "./tables.js";

/**
 * The SQLite handle behind a store's root Kysely instance. Prepared queries run on it directly
 * (better-sqlite3 is synchronous) instead of through kysely's driver, connection mutex and promise
 * plumbing, which cost more than the statement itself on the Cx hot path.
 */
const sqliteOf = new WeakMap<Kysely<HssDatabase>, Database>();

/** Called by openHssDb for a SQLite store. */
export function registerSqlite(db: Kysely<HssDatabase>, sqlite: Database): void {
  sqliteOf.set(db, sqlite);
}

/**
 * A query built and compiled once by kysely (plugins included), then executed with new argument
 * values: the Cx hot path (a MAR every ~100 µs) spends no time re-building the same SQL.
 * `build` receives placeholder values it must put where the arguments go.
 *
 * On SQLite, when `on` is the store's root instance and no transaction is open on the connection,
 * the statement runs directly on better-sqlite3: being synchronous it cannot interleave with anything
 * else, so it is exactly what kysely would run, in autocommit. Inside a transaction — ours (`on` is a
 * Transaction) or another writer's (kysely holds the connection until it commits) — it goes through
 * kysely, which runs it in, or queues it behind, that transaction.
 */
export function prepareQuery<R>(
  db: Kysely<HssDatabase>,
  arity: number,
  build: (db: Kysely<HssDatabase>, args: readonly Placeholder[]) => { compile(): CompiledQuery<R> },
): (on: Kysely<HssDatabase>, args: readonly unknown[]) => Promise<QueryResult<R>> {
  const placeholders = Array.from({ length: arity }, (_, i) => `\u0000arg${i}\u0000` as Placeholder);
  const compiled = build(db, placeholders).compile();
  const slots = compiled.parameters.map((p) => placeholders.indexOf(p as Placeholder));
  const bind = (args: readonly unknown[]): unknown[] =>
    compiled.parameters.map((p, j) => {
      const slot = slots[j] ?? -1;
      return slot >= 0 ? args[slot] : p;
    });
  const sqlite = sqliteOf.get(db);
  const stmt = sqlite?.prepare(compiled.sql);
  return (on, args) => {
    if (stmt !== undefined && on === db && sqlite !== undefined && !sqlite.inTransaction) {
      try {
        return Promise.resolve(runStatement<R>(stmt, bind(args)));
      } catch (e) {
        return Promise.reject(e instanceof Error ? e : new Error(String(e)));
      }
    }
    return on.executeQuery<R>({ ...compiled, parameters: bind(args) });
  };
}

/** What kysely's SQLite driver returns for a statement (same shape, so callers cannot tell). */
function runStatement<R>(stmt: Statement, parameters: unknown[]): QueryResult<R> {
  if (stmt.reader) return { rows: stmt.all(parameters) as R[] };
  const { changes, lastInsertRowid } = stmt.run(parameters);
  return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
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
  return (await runPreparedOn(db, db, key, args, build)).rows;
}

/** As runPrepared, on `on` (the store itself or one of its transactions); the whole result. */
export function runPreparedOn<R>(
  db: Kysely<HssDatabase>,
  on: Kysely<HssDatabase>,
  key: string,
  args: readonly unknown[],
  build: (db: Kysely<HssDatabase>, args: readonly Placeholder[]) => { compile(): CompiledQuery<R> },
): Promise<QueryResult<R>> {
  let byKey = perStore.get(db);
  if (byKey === undefined) perStore.set(db, (byKey = new Map()));
  let run = byKey.get(key);
  if (run === undefined) {
    run = prepareQuery(db, args.length, build) as Runner;
    byKey.set(key, run);
  }
  return run(on, args) as Promise<QueryResult<R>>;
}
