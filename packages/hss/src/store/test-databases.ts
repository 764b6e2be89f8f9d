import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ImsError } from "@ims/runtime";
import { dropHssTables, openHssDb, type HssDb } from "./open-db.js";

/**
 * The databases a storage test runs on: always a fresh SQLite file; MariaDB too when
 * HSS_TEST_DB_URL is set. With CI=true a missing HSS_TEST_DB_URL is an error, not a skip.
 * Each opened store gets its own table prefix, so parallel test files never collide.
 */
/** An opened test store, with what a child process needs to open it too. */
export interface TestDb extends HssDb {
  readonly url: string;
  readonly tablePrefix: string | undefined;
  cleanup(): Promise<void>;
}

export interface TestDatabase {
  readonly name: "sqlite" | "mysql";
  open(): Promise<TestDb>;
}

export function testDatabases(): TestDatabase[] {
  const url = process.env["HSS_TEST_DB_URL"];
  if ((url === undefined || url === "") && process.env["CI"] === "true") {
    throw new ImsError("test-setup", "CI=true but HSS_TEST_DB_URL is not set: the MariaDB storage suite cannot be skipped");
  }
  const dbs: TestDatabase[] = [
    {
      name: "sqlite",
      async open() {
        const dir = mkdtempSync(join(tmpdir(), "hss-test-"));
        const file = join(dir, "hss.sqlite");
        const db = await openHssDb({ url: file });
        return { ...db, url: file, tablePrefix: undefined, cleanup: async () => { await db.close(); rmSync(dir, { recursive: true, force: true }); } };
      },
    },
  ];
  if (url !== undefined && url !== "") {
    dbs.push({
      name: "mysql",
      async open() {
        const prefix = `t${randomBytes(4).toString("hex")}_`;
        const db = await openHssDb({ url, tablePrefix: prefix });
        return { ...db, url, tablePrefix: prefix, cleanup: async () => { await dropHssTables(db, prefix); await db.close(); } };
      },
    });
  }
  return dbs;
}
