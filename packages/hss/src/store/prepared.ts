import type Database from "better-sqlite3";
import type { Statement } from "better-sqlite3";
import type { CompiledQuery, Kysely, QueryResult } from "kysely";
import { ImsError } from "@ims/runtime";
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
  const { compiled, bind, sqlite, stmt } = compileQuery(db, arity, build);
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

/**
 * As prepareQuery, for a hot read whose rows are only turned into other objects: each row is its
 * values in `columns` order, the names the query gives its result columns. On SQLite the statement
 * runs in better-sqlite3's raw mode, which makes one array per row instead of an object with a
 * property per column (a wide join row cost ~0.8 KB and ~2.5 µs more that way).
 */
export function prepareRows<R>(
  db: Kysely<HssDatabase>,
  arity: number,
  columns: readonly (keyof R & string)[],
  build: (db: Kysely<HssDatabase>, args: readonly Placeholder[]) => { compile(): CompiledQuery<R> },
): (on: Kysely<HssDatabase>, args: readonly unknown[]) => Promise<unknown[][]> {
  const { compiled, bind, sqlite, stmt } = compileQuery(db, arity, build);
  if (stmt !== undefined) {
    const names = stmt.columns().map((c) => c.name);
    if (names.length !== columns.length || names.some((n, i) => n !== columns[i])) {
      throw new ImsError("hss-store", `query columns ${names.join(",")} are not ${columns.join(",")}`);
    }
    stmt.raw(true);
  }
  return (on, args) => {
    if (stmt !== undefined && on === db && sqlite !== undefined && !sqlite.inTransaction) {
      try {
        return Promise.resolve(stmt.all(bind(args)) as unknown[][]);
      } catch (e) {
        return Promise.reject(e instanceof Error ? e : new Error(String(e)));
      }
    }
    return on.executeQuery<R>({ ...compiled, parameters: bind(args) }).then((r) => r.rows.map((row) => columns.map((c) => row[c])));
  };
}

/** The query compiled once, how to bind arguments into its parameters, and its SQLite statement. */
function compileQuery<R>(
  db: Kysely<HssDatabase>,
  arity: number,
  build: (db: Kysely<HssDatabase>, args: readonly Placeholder[]) => { compile(): CompiledQuery<R> },
): { compiled: CompiledQuery<R>; bind: (args: readonly unknown[]) => unknown[]; sqlite: Database | undefined; stmt: Statement | undefined } {
  const placeholders = Array.from({ length: arity }, (_, i) => `\u0000arg${i}\u0000` as Placeholder);
  const compiled = build(db, placeholders).compile();
  const parameters = compiled.parameters;
  const slots = parameters.map((p) => placeholders.indexOf(p as Placeholder));
  // Usually the parameters are the arguments, in order: then they are passed as they are.
  const inOrder = slots.length === arity && slots.every((slot, j) => slot === j);
  const bind = inOrder
    ? (args: readonly unknown[]): unknown[] => args as unknown[]
    : (args: readonly unknown[]): unknown[] => {
        const out: unknown[] = [];
        for (let j = 0; j < slots.length; j++) {
          const slot = slots[j] as number;
          out.push(slot >= 0 ? args[slot] : parameters[j]);
        }
        return out;
      };
  const sqlite = sqliteOf.get(db);
  return { compiled, bind, sqlite, stmt: sqlite?.prepare(compiled.sql) };
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
