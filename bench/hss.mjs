// HSS throughput: MAR/MAA (Digest-AKAv1-MD5: Milenage, SQN committed per vector; and SIP Digest), SAR/SAA
// (RE_REGISTRATION with User-Data), UAR/UAA (REGISTRATION of a registered user) and LIR/LIA
// answered per second with 64 requests in flight over Diameter TCP,
// on SQLite and, when HSS_BENCH_DB_URL or HSS_TEST_DB_URL is set, on MariaDB/MySQL.
// The server runs in its own process (as in the lab); the load comes from this one.
// Reference, same run: a @ims/diameter node in its own process answering MAR with a canned MAA (no
// store, no crypto) — the transport ceiling; the ratio says how much of it the HSS keeps.
// The machine is shared, so besides answers per wall-clock second it prints answers per CPU-second of
// the server process (what one core would sustain) and the server's CPU time per answer (µs).
// Usage: npx tsc -b packages/hss && node bench/hss.mjs [seconds-per-sample]   (goal: ≥ 5,000 MAR/s on SQLite)
import { fork } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DiameterNode, answerTo, avp, getValue } from "@ims/diameter";
import { addSubscriber, dropHssTables, lirRequest, marRequest, openHssDb, sarRequest, startHss, subscriberSchema, uarRequest } from "@ims/hss";
import { silentLogger } from "@ims/runtime";

const D = "domain.imsprovider.org";
const SERVER_ADDRESS = "127.4.9.1";
const logger = silentLogger();

// ---- server process ------------------------------------------------------------------------------
if (process.argv[2] === "--serve") {
  const [, , , mode, database, tablePrefix] = process.argv;
  let stop;
  let port;
  if (mode === "reference") {
    const server = await DiameterNode.start({ originHost: `hss.${D}`, originRealm: D, bindAddress: SERVER_ADDRESS, listenPort: 0, acceptUnknownPeers: true, logger });
    const canned = [avp("Result-Code", 2001), avp("Origin-Host", `hss.${D}`), avp("Origin-Realm", D), avp("SIP-Number-Auth-Items", 1),
      avp("SIP-Auth-Data-Item", [avp("SIP-Item-Number", 1), avp("SIP-Authentication-Scheme", "Digest-AKAv1-MD5"), avp("SIP-Authenticate", Buffer.alloc(32, 1)),
        avp("SIP-Authorization", Buffer.alloc(8, 2)), avp("Confidentiality-Key", Buffer.alloc(16, 3)), avp("Integrity-Key", Buffer.alloc(16, 4))])];
    server.handle(16777216, 303, (req) => answerTo(req, canned));
    port = server.localEndpoint.port;
    stop = () => server.stop();
  } else {
    const hss = await startHss({ address: SERVER_ADDRESS, diameterPort: 0, httpPort: 0, realm: D, database, tablePrefix: tablePrefix === "-" ? "" : tablePrefix, token: "bench-token" }, { logger });
    port = hss.diameterPort;
    stop = () => hss.stop();
  }
  process.on("message", async (m) => {
    if (m === "cpu") process.send({ cpu: process.cpuUsage() });
    if (m === "stop") { await stop(); process.exit(0); }
  });
  process.send({ port });
} else {
  await main();
}

// ---- load generator ------------------------------------------------------------------------------
async function main() {
  const SECONDS = Number(process.argv[2] ?? 4);
  const IN_FLIGHT = 64;
  const USERS = 500;
  const SCSCF = `sip:scscf1.${D}:6060`;
  const peer = { originHost: `scscf1.${D}`, originRealm: D, destinationRealm: D };

  const serve = (mode, database = "-", prefix = "-") =>
    new Promise((resolve, reject) => {
      const execArgv = process.env.HSS_BENCH_PROF ? ["--cpu-prof", "--cpu-prof-dir", process.env.HSS_BENCH_PROF] : [];
      const child = fork(fileURLToPath(import.meta.url), ["--serve", mode, database, prefix], { stdio: ["ignore", "inherit", "inherit", "ipc"], execArgv });
      const pending = [];
      child.on("message", (m) => {
        if (m.port !== undefined) resolve({
          port: m.port,
          cpu: () => new Promise((r) => { pending.push(r); child.send("cpu"); }),
          stop: () => new Promise((r) => { child.once("exit", r); child.send("stop"); }),
        });
        if (m.cpu !== undefined) pending.shift()?.((m.cpu.user + m.cpu.system) / 1e6);
      });
      child.once("exit", (code) => reject(new Error(`server exited ${code}`)));
    });

  const client = async (port) => {
    const node = await DiameterNode.start({
      originHost: peer.originHost, originRealm: D, bindAddress: "127.4.9.2",
      peers: [{ host: `hss.${D}`, address: SERVER_ADDRESS, port, connect: true }], logger, requestTimeoutMs: 30_000,
    });
    if (!(await node.waitForPeerOpen(`hss.${D}`, 10_000))) throw new Error("peer did not open");
    return node;
  };

  /** IN_FLIGHT outstanding requests for SECONDS; answers per wall second and per server CPU-second. */
  const load = async (node, server, make) => {
    let done = 0, failed = 0, i = 0;
    const cpu0 = await server.cpu();
    const t0 = performance.now();
    const end = t0 + SECONDS * 1000;
    await Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
      while (performance.now() < end) {
        const r = await node.request(make(i++), { timeoutMs: 30_000 });
        if (r.ok && isSuccess(r.value)) done++; else failed++;
      }
    }));
    const wall = (performance.now() - t0) / 1000;
    const cpu = (await server.cpu()) - cpu0;
    if (failed > 0) console.log(`  (${failed} failed answers)`);
    return { wall: done / wall, cpu: done / cpu, us: (cpu * 1e6) / done };
  };

  /** Result-Code 2001, or an Experimental-Result-Code of the 2xxx class (e.g. DIAMETER_SUBSEQUENT_REGISTRATION). */
  const isSuccess = (m) => {
    if (getValue(m, "Result-Code") === 2001) return true;
    const e = getValue(m, "Experimental-Result");
    const code = e === undefined ? undefined : getValue(e, "Experimental-Result-Code");
    return code !== undefined && code >= 2000 && code < 3000;
  };
  const user = (i) => `u${i % USERS}`;
  const mar = (node, scheme = "Digest-AKAv1-MD5") => (i) => marRequest(peer, node.nextIds(), { impi: `${user(i)}@${D}`, impu: `sip:${user(i)}@${D}`, serverName: SCSCF, scheme });
  const sar = (node, type) => (i) => sarRequest(peer, node.nextIds(), { impi: `${user(i)}@${D}`, impus: [`sip:${user(i)}@${D}`], serverName: SCSCF, type });
  const uar = (node) => (i) => uarRequest(peer, node.nextIds(), { impi: `${user(i)}@${D}`, impu: `sip:${user(i)}@${D}` });
  const lir = (node) => (i) => lirRequest(peer, node.nextIds(), { impu: `sip:${user(i)}@${D}` });

  const reference = async () => {
    const server = await serve("reference");
    const c = await client(server.port);
    await load(c, server, mar(c));
    const r = await load(c, server, mar(c));
    await c.stop(); await server.stop();
    return r;
  };

  const measure = async (name, database, prefix) => {
    const setup = await openHssDb({ url: database, ...(prefix === "-" ? {} : { tablePrefix: prefix }) });
    for (let i = 0; i < USERS; i++) {
      const r = await addSubscriber(setup.db, subscriberSchema.parse({ impi: `u${i}@${D}`, impus: [`sip:u${i}@${D}`], secret: `pass${i}`, op: "00".repeat(16) }));
      if (!r.ok) throw new Error(r.error.reason);
    }
    const server = await serve("hss", database, prefix);
    const c = await client(server.port);
    await load(c, server, mar(c)); // warm-up: JIT, statement caches, first pending S-CSCF writes
    const marRate = await load(c, server, mar(c));
    await load(c, server, sar(c, 1)); // REGISTRATION of every user
    const sarRate = await load(c, server, sar(c, 2));
    await load(c, server, uar(c)); // warm-up
    const uarRate = await load(c, server, uar(c));
    const lirRate = await load(c, server, lir(c));
    const digestRate = await load(c, server, mar(c, "SIP Digest"));
    await c.stop(); await server.stop();
    if (prefix !== "-") await dropHssTables(setup, prefix);
    await setup.close();
    return { name, marRate, sarRate, uarRate, lirRate, digestRate };
  };

  const dir = mkdtempSync(join(tmpdir(), "hss-bench-"));
  try {
    const ref = await reference();
    const f = (r) => `${String(Math.round(r.wall)).padStart(6)}/s (${String(Math.round(r.cpu)).padStart(6)}/CPU-s)`;
    console.log(`reference  canned MAA on @ims/diameter  ${f(ref)}`);
    const rows = [await measure("SQLite", join(dir, "hss.sqlite"), "-")];
    const mysql = process.env.HSS_BENCH_DB_URL ?? process.env.HSS_TEST_DB_URL;
    if (mysql) rows.push(await measure("MariaDB", mysql, `bench${process.pid}_`));
    else console.log("MariaDB: skipped (set HSS_BENCH_DB_URL or HSS_TEST_DB_URL)");
    const us = (r) => `${r.us.toFixed(0).padStart(4)} µs CPU`;
    console.log(`reference  ${us(ref)} per canned MAA`);
    for (const r of rows) {
      console.log(`${r.name.padEnd(8)} MAR/MAA ${f(r.marRate)} = ${(r.marRate.wall / ref.wall).toFixed(2)}x reference   ` +
        `SAR/SAA ${f(r.sarRate)} = ${(r.sarRate.wall / ref.wall).toFixed(2)}x reference   (${IN_FLIGHT} in flight)`);
      console.log(`${r.name.padEnd(8)} server CPU per answer: MAR ${us(r.marRate)}  MAR(SIP Digest) ${us(r.digestRate)}  SAR ${us(r.sarRate)}  UAR ${us(r.uarRate)}  LIR ${us(r.lirRate)}`);
      console.log(`${r.name.padEnd(8)} per registration (2 UAR + MAR + SAR): ${(2 * r.uarRate.us + r.digestRate.us + r.sarRate.us).toFixed(0)} µs with SIP Digest (as bench/register.mjs), ` +
        `${(2 * r.uarRate.us + r.marRate.us + r.sarRate.us).toFixed(0)} µs with AKA`);
    }
    const s = rows[0].marRate;
    console.log(`goal ≥ 5,000 MAR/s on SQLite: ${Math.round(s.wall)}/s wall-clock, ${Math.round(s.cpu)} per server CPU-second — ${s.wall >= 5000 ? "met" : s.cpu >= 5000 ? "met per CPU-second (machine shared)" : "NOT met"}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
