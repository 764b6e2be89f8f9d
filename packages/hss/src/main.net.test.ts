import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildPpa, buildRta, cxSuccess, readMaa, readPpr, readRtr, readSaa, readUaa, readLia } from "@ims/ims";
import { DiameterNode, getValue, type DiameterMessage } from "@ims/diameter";
import { nextSqnValue } from "@ims/aka";
import { silentLogger } from "@ims/runtime";
import { lirRequest, marRequest, sarRequest, uarRequest, type CxPeer } from "./cx/cx-client.js";
import { startHss, type HssHandle } from "./main.js";
import { testDatabases, type TestDb } from "./store/test-databases.js";

const D = "domain.imsprovider.org";
const SUBSCRIBERS = new URL("../../../config/subscribers.json", import.meta.url).pathname;
const SCSCF = `sip:scscf1.${D}:6060`;
const TOKEN = "main-test-token";

describe.each(testDatabases())("HSS process over Diameter TCP and HTTP on $name", (target) => {
  let store: TestDb;
  let hss: HssHandle;
  let client: DiameterNode;
  const peer: CxPeer = { originHost: `scscf1.${D}`, originRealm: D, destinationRealm: D };
  const received: DiameterMessage[] = [];
  const start = () =>
    startHss(
      { address: "127.4.2.1", diameterPort: 0, httpPort: 0, realm: D, database: store.url, tablePrefix: store.tablePrefix ?? "", token: TOKEN, subscribersFile: SUBSCRIBERS },
      { logger: silentLogger() },
    );
  const connect = async () => {
    client = await DiameterNode.start({
      originHost: `scscf1.${D}`,
      originRealm: D,
      bindAddress: "127.4.2.2",
      peers: [{ host: `hss.${D}`, address: "127.4.2.1", port: hss.diameterPort, connect: true }],
      logger: silentLogger(),
    });
    client.handle(16777216, 304, (rtr) => {
      received.push(rtr);
      return buildRta(rtr, { originHost: `scscf1.${D}`, originRealm: D, result: cxSuccess });
    });
    client.handle(16777216, 305, (ppr) => {
      received.push(ppr);
      return buildPpa(ppr, { originHost: `scscf1.${D}`, originRealm: D, result: cxSuccess });
    });
    expect(await client.waitForPeerOpen(`hss.${D}`, 10_000)).toBe(true);
  };
  const ask = async (m: DiameterMessage) => {
    const r = await client.request(m, { timeoutMs: 5000 });
    if (!r.ok) throw new Error(r.error.kind);
    return r.value;
  };

  beforeAll(async () => {
    store = await target.open();
    hss = await start();
    await connect();
  });
  afterAll(async () => {
    await client.stop();
    await hss.stop();
    await store.cleanup();
  });

  it("serves a whole registration: UAR, MAR, SAR, then LIR", async () => {
    const uaa = readUaa(await ask(uarRequest(peer, client.nextIds(), { impi: `a@${D}`, impu: `sip:a@${D}` })));
    expect(uaa.ok && uaa.value.result.code).toBe(2001);
    const maa = readMaa(await ask(marRequest(peer, client.nextIds(), { impi: `a@${D}`, impu: `sip:a@${D}`, serverName: SCSCF })));
    expect(maa.ok && maa.value.items[0]?.digest?.realm).toBe(D);
    const saa = readSaa(await ask(sarRequest(peer, client.nextIds(), { impi: `a@${D}`, impus: [`sip:a@${D}`], serverName: SCSCF, type: 1 })));
    expect(saa.ok && saa.value.userData).toContain(`sip:a@${D}`);
    const lia = readLia(await ask(lirRequest(peer, client.nextIds(), { impu: `sip:a@${D}` })));
    expect(lia.ok && lia.value.serverName).toBe(SCSCF);
  });

  it("answers every Cx error case over the wire with the right Result-Code or Experimental-Result", async () => {
    const api = `http://127.4.2.1:${hss.httpPort}`;
    const headers = { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" };
    await fetch(`${api}/subscribers`, { method: "POST", headers, body: JSON.stringify({ impi: `barred@${D}`, impus: [`sip:barred@${D}`], secret: "x" }) });
    await fetch(`${api}/impus/${encodeURIComponent(`sip:barred@${D}`)}`, { method: "PATCH", headers, body: JSON.stringify({ barring: true }) });
    const code = async (m: DiameterMessage): Promise<string> => {
      const a = await ask(m);
      const rc = a.avps.find((x) => x.code === 268 && x.vendorId === 0);
      if (rc !== undefined) return `rc ${Buffer.from(rc.data).readUInt32BE(0)}`;
      const ex = getValue(a, "Experimental-Result");
      return ex === undefined ? "none" : `exp ${getValue(ex, "Experimental-Result-Code") ?? "?"}`;
    };
    const cases: [string, DiameterMessage, string][] = [
      ["UAR unknown", uarRequest(peer, client.nextIds(), { impi: `zz@${D}`, impu: `sip:zz@${D}` }), "exp 5001"],
      ["UAR mismatch", uarRequest(peer, client.nextIds(), { impi: `b@${D}`, impu: `sip:a@${D}` }), "exp 5002"],
      ["UAR barred", uarRequest(peer, client.nextIds(), { impi: `barred@${D}`, impu: `sip:barred@${D}` }), "rc 5003"],
      ["UAR roaming", uarRequest(peer, client.nextIds(), { impi: `b@${D}`, impu: `sip:b@${D}`, vni: "elsewhere.example" }), "exp 5004"],
      ["UAR dereg not registered", uarRequest(peer, client.nextIds(), { impi: `b@${D}`, impu: `sip:b@${D}`, type: 1 }), "exp 5003"],
      ["MAR scheme", marRequest(peer, client.nextIds(), { impi: `b@${D}`, impu: `sip:b@${D}`, serverName: SCSCF, scheme: "NASS-Bundled" }), "exp 5006"],
      ["MAR unknown", marRequest(peer, client.nextIds(), { impi: `zz@${D}`, impu: `sip:b@${D}`, serverName: SCSCF }), "exp 5001"],
      ["MAR mismatch", marRequest(peer, client.nextIds(), { impi: `a@${D}`, impu: `sip:b@${D}`, serverName: SCSCF }), "exp 5002"],
      ["SAR unknown", sarRequest(peer, client.nextIds(), { impi: `zz@${D}`, impus: [`sip:zz@${D}`], serverName: SCSCF, type: 1 }), "exp 5001"],
      ["SAR mismatch", sarRequest(peer, client.nextIds(), { impi: `a@${D}`, impus: [`sip:b@${D}`], serverName: SCSCF, type: 1 }), "exp 5002"],
      ["SAR restoration", sarRequest(peer, client.nextIds(), { impi: `b@${D}`, impus: [`sip:b@${D}`], serverName: SCSCF, type: 14 }), "exp 5007"],
      ["SAR no assignment", sarRequest(peer, client.nextIds(), { impi: `b@${D}`, impus: [`sip:b@${D}`], serverName: SCSCF, type: 0 }), "exp 5003"],
      ["LIR unknown", lirRequest(peer, client.nextIds(), { impu: `sip:zz@${D}` }), "exp 5001"],
      ["LIR not registered", lirRequest(peer, client.nextIds(), { impu: `sip:b@${D}` }), "exp 5003"],
    ];
    const got = await Promise.all(cases.map(async ([name, m]) => `${name}: ${await code(m)}`));
    expect(got).toEqual(cases.map(([name, , want]) => `${name}: ${want}`));
  });

  it("issues 40 distinct vectors to parallel MARs of one IMPI", async () => {
    const answers = await Promise.all(
      Array.from({ length: 40 }, () => ask(marRequest(peer, client.nextIds(), { impi: `c@${D}`, impu: `sip:c@${D}`, serverName: SCSCF }))),
    );
    const autns = answers.map((a) => {
      const m = readMaa(a);
      if (!m.ok) throw new Error(m.error.reason);
      return Buffer.from(m.value.items[0]?.authenticate ?? []).toString("hex");
    });
    expect(new Set(autns).size).toBe(40);
    const row = await store.db.selectFrom("impi").select("sqn").where("identity", "=", `c@${D}`).executeTakeFirstOrThrow();
    let expected = 0x20;
    for (let i = 0; i < 40; i++) expected = nextSqnValue(expected);
    expect(parseInt(row.sqn, 16)).toBe(expected);
  });

  it("does not reuse an SQN across a restart", async () => {
    const before = await store.db.selectFrom("impi").select("sqn").where("identity", "=", `c@${D}`).executeTakeFirstOrThrow();
    await client.stop();
    await hss.stop();
    hss = await start();
    await connect();
    await ask(marRequest(peer, client.nextIds(), { impi: `c@${D}`, impu: `sip:c@${D}`, serverName: SCSCF }));
    const after = await store.db.selectFrom("impi").select("sqn").where("identity", "=", `c@${D}`).executeTakeFirstOrThrow();
    expect(parseInt(after.sqn, 16)).toBeGreaterThan(parseInt(before.sqn, 16));
  });

  it("sends a PPR when an administrator changes a registered user's profile, and an RTR on de-registration", async () => {
    await ask(sarRequest(peer, client.nextIds(), { impi: `a@${D}`, impus: [`sip:a@${D}`], serverName: SCSCF, type: 1 }));
    const api = `http://127.4.2.1:${hss.httpPort}`;
    const headers = { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" };
    const patch = await fetch(`${api}/impus/${encodeURIComponent(`sip:a@${D}`)}`, { method: "PATCH", headers, body: JSON.stringify({ displayName: "Alice" }) });
    expect(patch.status).toBe(200);
    for (let i = 0; i < 100 && !received.some((m) => readPpr(m).ok); i++) await new Promise((r) => setTimeout(r, 20));
    const ppr = received.map(readPpr).find((r) => r.ok);
    expect(ppr?.ok && ppr.value.userData).toContain("<DisplayName>Alice</DisplayName>");
    const dereg = await fetch(`${api}/impus/${encodeURIComponent(`sip:a@${D}`)}/deregister`, { method: "POST", headers });
    expect(await dereg.json()).toEqual({ sent: true, answer: 2001 });
    const rtr = received.map(readRtr).find((r) => r.ok);
    expect(rtr?.ok && rtr.value.publicIdentities).toEqual([`sip:a@${D}`]);
    const reg = await (await fetch(`${api}/impus/${encodeURIComponent(`sip:a@${D}`)}/registration`, { headers })).json();
    expect(reg).toEqual({ identity: `sip:a@${D}`, state: "NOT_REGISTERED", scscfName: null });
  });
});
