import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentLogger } from "@ims/runtime";
import { fakeAka } from "../cx/fake-aka.js";
import { handleMar } from "../cx/mar.js";
import { addSubscriber, subscriberSchema } from "../provisioning/subscriber.js";
import { openHssDb } from "./open-db.js";
import { testDatabases, type TestDb } from "./test-databases.js";

const ROOT = fileURLToPath(new URL("../../../../", import.meta.url));
const CHILD = fileURLToPath(new URL("./kill9-child.ts", import.meta.url));
const IMPI = "k9@domain.imsprovider.org";
const IMPU = "sip:k9@domain.imsprovider.org";

/** Runs the child until it has printed `atLeast` SQNs (plus a random extra delay), then SIGKILLs it. */
function runAndKill(url: string, prefix: string, atLeast: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [`${ROOT}node_modules/vite-node/vite-node.mjs`, "--config", `${ROOT}vitest.config.ts`, CHILD, url, prefix, IMPI, IMPU], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const seen: string[] = [];
    let buf = "";
    let stderr = "";
    let killing = false;
    child.stdout.on("data", (d: Buffer) => {
      buf += d.toString();
      const lines = buf.split("\n");
      buf = lines.pop() ?? "";
      for (const l of lines) if (l.startsWith("SQN ")) seen.push(l.slice(4));
      if (seen.length >= atLeast && !killing) {
        killing = true;
        setTimeout(() => child.kill("SIGKILL"), Math.floor(Math.random() * 20));
      }
    });
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("exit", (_code, signal) => {
      if (signal === "SIGKILL") resolve(seen);
      else reject(new Error(`child exited without SIGKILL: ${stderr.slice(0, 500)}`));
    });
  });
}

describe.each(testDatabases())("SQN survives kill -9 on $name", (target) => {
  let hss: TestDb;
  let url = "";
  let prefix = "-";
  beforeAll(async () => {
    hss = await target.open();
    const r = await addSubscriber(hss.db, subscriberSchema.parse({ impi: IMPI, impus: [IMPU], secret: "k9pass", sqn: "000000000000" }));
    expect(r.ok).toBe(true);
    url = hss.url;
    prefix = hss.tablePrefix ?? "-";
  });
  afterAll(async () => hss.cleanup());

  it("never reissues a vector after the issuing process is SIGKILLed between MARs", async () => {
    const issued: string[] = [];
    for (let round = 0; round < 3; round++) issued.push(...(await runAndKill(url, prefix, 20 + round * 7)));
    expect(new Set(issued).size).toBe(issued.length);
    // A restarted HSS: the next vector's SQN is beyond every SQN printed before the kills.
    const again = await openHssDb({ url, ...(prefix === "-" ? {} : { tablePrefix: prefix }) });
    try {
      const maa = await handleMar({ hss: again, homeRealm: "x", aka: fakeAka(), logger: silentLogger() }, { userName: IMPI, publicIdentity: IMPU, serverName: "sip:s", numberAuthItems: 1, scheme: "Digest-AKAv1-MD5" });
      const item = maa.items[0];
      if (item?.kind !== "aka") throw new Error("no vector");
      const next = Buffer.from(item.authenticate.subarray(16, 22)).toString("hex");
      expect(issued).not.toContain(next);
      const max = issued.reduce((m, s) => (s > m ? s : m), "");
      expect(next > max).toBe(true);
    } finally {
      await again.close();
    }
  }, 60_000);
});
