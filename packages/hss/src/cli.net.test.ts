import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ok, silentLogger } from "@ims/runtime";
import { runCli, type CliIo } from "./cli.js";
import { startProvisioningApi, type ProvisioningApi } from "./provisioning/http-api.js";
import type { HssDb } from "./store/open-db.js";
import { testDatabases } from "./store/test-databases.js";

const sqlite = testDatabases().find((d) => d.name === "sqlite");

describe("ims-hss CLI against the REST API", () => {
  let hss: HssDb & { cleanup(): Promise<void> };
  let api: ProvisioningApi;
  let io: CliIo & { lines: string[]; errors: string[] };
  beforeAll(async () => {
    if (sqlite === undefined) throw new Error("no sqlite");
    hss = await sqlite.open();
    api = await startProvisioningApi({
      host: "127.4.1.2",
      port: 0,
      token: "cli-token-1",
      hss,
      logger: silentLogger(),
      events: { profileChanged: () => undefined, deregister: () => Promise.resolve(ok({ sent: false })) },
    });
    const lines: string[] = [];
    const errors: string[] = [];
    io = { lines, errors, out: (l) => void lines.push(l), err: (l) => void errors.push(l), fetch, env: { HSS_API: `http://127.4.1.2:${api.port}`, HSS_TOKEN: "cli-token-1" } };
  });
  afterAll(async () => {
    await api.close();
    await hss.cleanup();
  });

  it("adds a subscriber in one line, lists, shows without secrets and deletes", async () => {
    const code = await runCli(
      ["add", "z@d.org", "sip:z@d.org,tel:+1555", "zsecret", "--amf", "8000", "--op", "00".repeat(16), "--sqn", "000000021090", "--scheme", "Digest-AKAv1-MD5"],
      io,
    );
    expect(io.errors).toEqual([]);
    expect(code).toBe(0);
    expect(await runCli(["list"], io)).toBe(0);
    expect(io.lines).toContain("sip:z@d.org\tNOT_REGISTERED\tz@d.org");
    expect(await runCli(["show", "z@d.org"], io)).toBe(0);
    const shown = io.lines.at(-1) ?? "";
    expect(shown).toContain('"defaultScheme": "Digest-AKAv1-MD5"');
    expect(shown).not.toContain("zsecret");
    expect(await runCli(["delete", "z@d.org"], io)).toBe(0);
    expect(await runCli(["show", "sip:z@d.org"], io)).toBe(1);
  });

  it("fails clearly on bad input and a wrong token", async () => {
    expect(await runCli(["add", "only-one"], io)).toBe(2);
    expect(await runCli(["add", "y@d", "sip:y@d", "s", "--amf", "zz"], io)).toBe(1);
    expect(io.errors.at(-1)).toMatch(/422.*amf/);
    expect(await runCli(["list"], { ...io, env: { ...io.env, HSS_TOKEN: "nope-nope" } })).toBe(1);
    expect(await runCli(["frobnicate"], io)).toBe(2);
  });
});
