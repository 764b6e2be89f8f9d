import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readMaa } from "@ims/ims";
import { DiameterNode } from "@ims/diameter";
import { createLogger, silentLogger } from "@ims/runtime";
import { marRequest, sarRequest } from "./cx/cx-client.js";
import { startHss, type HssHandle } from "./main.js";
import { testDatabases, type TestDb } from "./store/test-databases.js";

const D = "domain.imsprovider.org";
const SUBSCRIBERS = new URL("../../../config/subscribers.json", import.meta.url).pathname;

/** Secrets never leave through the API or the logs, even at debug level. */
describe("secrets stay in the HSS", () => {
  let store: TestDb;
  let hss: HssHandle;
  let client: DiameterNode;
  let logs = "";
  beforeAll(async () => {
    const sqlite = testDatabases()[0];
    if (sqlite === undefined) throw new Error("no sqlite");
    store = await sqlite.open();
    const out = new PassThrough();
    out.on("data", (d: Buffer) => (logs += d.toString()));
    hss = await startHss(
      { address: "127.4.3.1", diameterPort: 0, httpPort: 0, realm: D, database: store.url, token: "secret-test-token", subscribersFile: SUBSCRIBERS },
      { logger: createLogger({ level: "trace", destination: out }).child({ node: "hss" }) },
    );
    client = await DiameterNode.start({
      originHost: `scscf1.${D}`,
      originRealm: D,
      bindAddress: "127.4.3.2",
      peers: [{ host: `hss.${D}`, address: "127.4.3.1", port: hss.diameterPort, connect: true }],
      logger: silentLogger(),
    });
    expect(await client.waitForPeerOpen(`hss.${D}`, 10_000)).toBe(true);
  });
  afterAll(async () => {
    await client.stop();
    await hss.stop();
    await store.cleanup();
  });

  it("logs no password, HA1, XRES, CK or IK while serving MAR and SAR at trace level", async () => {
    const secrets: string[] = ["apass", "cpass", "30313233343536373839616263646566", "4142434445464748494a4b4c4d4e4f50"];
    const peer = { originHost: `scscf1.${D}`, originRealm: D, destinationRealm: D };
    for (const scheme of ["SIP Digest", "Digest-AKAv1-MD5"]) {
      const r = await client.request(marRequest(peer, client.nextIds(), { impi: `a@${D}`, impu: `sip:a@${D}`, serverName: `sip:scscf1.${D}`, scheme }));
      if (!r.ok) throw new Error(r.error.kind);
      const maa = readMaa(r.value);
      if (!maa.ok) throw new Error(maa.error.reason);
      for (const i of maa.value.items) {
        if (i.digest !== undefined) secrets.push(i.digest.ha1);
        for (const b of [i.authorization, i.confidentialityKey, i.integrityKey]) if (b !== undefined) secrets.push(Buffer.from(b).toString("hex"), Buffer.from(b).toString("base64"));
      }
    }
    await client.request(sarRequest(peer, client.nextIds(), { impi: `a@${D}`, impus: [`sip:a@${D}`], serverName: `sip:scscf1.${D}`, type: 1 }));
    const res = await fetch(`http://127.4.3.1:${hss.httpPort}/impis/a%40${D}`, { headers: { authorization: "Bearer secret-test-token" } });
    const body = await res.text();
    expect(logs).toContain("HSS ready");
    expect(secrets.length).toBeGreaterThan(6);
    for (const s of secrets) {
      expect(logs).not.toContain(s);
      expect(body).not.toContain(s);
    }
    expect(logs).not.toContain("secret-test-token");
  });
});
