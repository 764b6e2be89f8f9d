import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { Kysely, Migrator, MysqlDialect, SqliteDialect } from "kysely";
import { createPool } from "mysql2";
import { ImsError } from "@ims/runtime";
import { hssMigrations } from "./migrations.js";
import { registerSqlite } from "./prepared.js";
import { TablePrefixPlugin } from "./table-prefix.js";
import type { HssDatabase } from "./tables.js";

export type DialectName = "sqlite" | "mysql";

export interface HssDbConfig {
  /** `mysql://user:pass@host:port/db` for MySQL/MariaDB, else a SQLite file path (or ":memory:"). */
  readonly url: string;
  /** Table-name prefix, so several stores can share one database (tests). */
  readonly tablePrefix?: string;
}

export interface HssDb {
  readonly db: Kysely<HssDatabase>;
  readonly dialect: DialectName;
  close(): Promise<void>;
}

export function isMysqlUrl(url: string): boolean {
  return /^mysql:\/\//i.test(url) || /^mariadb:\/\//i.test(url);
}

/**
 * Opens the store and runs the migrations. SQLite runs in WAL mode with synchronous=NORMAL: a
 * committed transaction survives a crash of the process (kill -9), which is what keeps the
 * SQN of an issued vector from being reused.
 */
export async function openHssDb(config: HssDbConfig): Promise<HssDb> {
  const prefix = config.tablePrefix ?? "";
  if (prefix !== "" && !/^[a-z0-9_]+$/i.test(prefix)) throw new ImsError("config-invalid", "tablePrefix: letters, digits, _");
  const plugins = prefix === "" ? [] : [new TablePrefixPlugin(prefix)];
  let db: Kysely<HssDatabase>;
  let dialect: DialectName;
  if (isMysqlUrl(config.url)) {
    const pool = createPool({
      uri: config.url.replace(/^mariadb:/i, "mysql:"),
      connectionLimit: 16,
      supportBigNumbers: true,
    });
    db = new Kysely<HssDatabase>({ dialect: new MysqlDialect({ pool }), plugins });
    dialect = "mysql";
  } else {
    if (config.url !== ":memory:") mkdirSync(dirname(config.url), { recursive: true });
    const sqlite = new Database(config.url);
    sqlite.pragma("journal_mode = WAL");
    sqlite.pragma("synchronous = NORMAL");
    sqlite.pragma("foreign_keys = ON");
    sqlite.pragma("busy_timeout = 5000");
    db = new Kysely<HssDatabase>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }), plugins });
    registerSqlite(db, sqlite);
    dialect = "sqlite";
  }
  const migrator = new Migrator({
    db,
    provider: hssMigrations(prefix),
    migrationTableName: `${prefix}hss_migration`,
    migrationLockTableName: `${prefix}hss_migration_lock`,
  });
  const { error } = await migrator.migrateToLatest();
  if (error !== undefined) {
    await db.destroy();
    throw new ImsError("db-migration-failed", error instanceof Error ? error.message : String(error));
  }
  return { db, dialect, close: () => db.destroy() };
}

/**
 * better-sqlite3 prepares a statement per call through kysely; the HSS runs the same few queries
 * thousands of times a second, so prepared statements are kept by SQL text (bounded).
 */
function withStatementCache(sqlite: Database): Pick<Database, "prepare" | "close"> {
  const cache = new Map<string, ReturnType<Database["prepare"]>>();
  return {
    prepare(sql: string) {
      let stmt = cache.get(sql);
      if (stmt === undefined) {
        stmt = sqlite.prepare(sql);
        if (cache.size >= 512) cache.clear();
        cache.set(sql, stmt);
      }
      return stmt;
    },
    close() {
      cache.clear();
      return sqlite.close();
    },
  };
}

/** Drops every table of a prefixed store (test clean-up). */
export async function dropHssTables(hss: HssDb, prefix: string): Promise<void> {
  const order = [
    "impu_visited_network",
    "impi_impu",
    "impi",
    "impu",
    "ifc",
    "subscription",
    "capability",
    "capability_set",
    "service_profile",
    "application_server",
    "charging_info",
  ] as const;
  for (const t of order) await hss.db.schema.dropTable(t).ifExists().execute();
  await hss.db.schema.dropTable(`${prefix}hss_migration`).ifExists().execute();
  await hss.db.schema.dropTable(`${prefix}hss_migration_lock`).ifExists().execute();
}
