// Minimal typings for better-sqlite3@12 (the package ships none and @types is not installed):
// only what the HSS uses, compatible with kysely's SqliteDatabase.
declare module "better-sqlite3" {
  interface RunResult {
    changes: number | bigint;
    lastInsertRowid: number | bigint;
  }
  interface Statement {
    readonly reader: boolean;
    all(...params: unknown[]): unknown[];
    get(...params: unknown[]): unknown;
    run(...params: unknown[]): RunResult;
    iterate(...params: unknown[]): IterableIterator<unknown>;
    /** The result columns, in order. */
    columns(): { name: string }[];
    /** Rows as arrays of values (in column order) instead of objects. */
    raw(toggle?: boolean): this;
  }
  interface Options {
    readonly?: boolean;
    fileMustExist?: boolean;
    timeout?: number;
  }
  class Database {
    /** True while a transaction is open on this connection. */
    readonly inTransaction: boolean;
    constructor(filename: string, options?: Options);
    prepare(sql: string): Statement;
    pragma(source: string, options?: { simple?: boolean }): unknown;
    exec(sql: string): this;
    close(): this;
    transaction<F extends (...args: never[]) => unknown>(fn: F): F;
  }
  export type { Statement, RunResult };
  export default Database;
}
