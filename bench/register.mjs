#!/usr/bin/env node
/**
 * Registrations per second through the lab: SIPp drives full IMS registrations (REGISTER → 401 →
 * REGISTER → 200, SIP Digest, test/interop/register-md5.xml) into the P-CSCF of a lab this script
 * starts (every node its own process, LabSupervisor, 127.5.<net>.2xx, --net 2 by default), at rising rates, each for
 * --seconds. It prints, per rate, the achieved rate, failures, the registration time (first
 * REGISTER sent → 200 received, SIPp -trace_rtt, 1 ms resolution) and the lab's CPU per
 * registration; then the highest rate with zero failed registrations and its p50/p99.
 *
 * Reference, same run: the same SIPp load against a SIPp that only answers (test/interop/
 * uas-register.xml), i.e. what SIPp itself sustains on this machine; the lab's best rate is
 * printed as a ratio of it.
 *
 *   npx tsc -b && node bench/register.mjs [--seconds 30] [--rates 100,200,400,700,1000,1300]
 *     [--users 1000] [--per-sipp 500] [--ref-seconds 10] [--no-reference | --reference-only]
 *     [--capture lab.pcap] [--net 2]   (the lab's capture, to see where the time goes; it costs CPU)
 *
 * Subscribers u0000…u0999 (password <user>pass) are provisioned through the HSS REST API first,
 * then each registers once at 100/s (warm-up, not reported): the ramp measures re-registrations
 * with a full challenge (REGISTER, 401, REGISTER, 200, SAR), as a UE's refresh does.
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { LabSupervisor, loadLabConfig } from "@ims/lab";
import { cpuOf, lastStats, pct, rtts, run } from "./lib/sipp-run.mjs";

const { values: opt } = parseArgs({
  options: {
    seconds: { type: "string", default: "30" },
    rates: { type: "string", default: "100,200,400,700,1000,1300" },
    users: { type: "string", default: "1000" },
    "per-sipp": { type: "string", default: "500" },
    "ref-seconds": { type: "string", default: "10" },
    "no-reference": { type: "boolean", default: false },
    "reference-only": { type: "boolean", default: false },
    capture: { type: "string" },
    /** Third octet of every address (127.5.<net>.2xx), so two runs on one machine do not collide. */
    net: { type: "string", default: "2" },
  },
});
const SECONDS = Number(opt.seconds);
const RATES = opt.rates.split(",").map(Number);
const USERS = Number(opt.users);
const PER_SIPP = Number(opt["per-sipp"]);
const REF_SECONDS = Number(opt["ref-seconds"]);
/** The goal: at least 1,000 registrations/s with no failure and p99 under 50 ms. */
const P99_GOAL_MS = 50;

const DOMAIN = "domain.imsprovider.org";
const at = (host) => `127.5.${Number(opt.net)}.${host}`;
const root = fileURLToPath(new URL("../", import.meta.url));
const scenario = join(root, "test/interop/register-md5.xml");
const uasScenario = join(root, "test/interop/uas-register.xml");
const work = mkdtempSync(join(tmpdir(), "ims-bench-register-"));
const P = { address: at(203), port: 5060 };
const HSS_API = `http://${at(207)}:18207`;
const TOKEN = "bench-admin-token";
/** SIPp UAC j binds 127.5.<net>.(211+j); the reference answerer 127.5.<net>.230. */
const ueAddress = (j) => at(211 + j);
const REF_UAS = { address: at(230), port: 5999 };

const labJson = {
  $comment: "bench/register.mjs: config/lab.json on 127.5.<net>.2xx, database in a temp dir",
  domain: DOMAIN,
  advertisedAddress: null,
  dns: { name: "ns", address: at(206), port: 53 },
  hss: {
    name: "hss",
    address: at(207),
    diameterPort: 3868,
    httpPort: 18207,
    database: join(work, "hss.sqlite"),
    subscribers: join(root, "config/subscribers.json"),
    token: TOKEN,
  },
  icscf: { name: "icscf", address: at(205), port: 4060 },
  scscf: [{ name: "scscf1", address: at(201), port: 6060, capabilities: [] }],
  pcscf: [{ name: "pcscf1", address: P.address, port: P.port }],
  rtp: { enabled: false, name: "rtp", address: at(208), controlPort: 2223, portMin: 32000, portMax: 32099 },
  ues: [],
};

const user = (i) => `u${String(i).padStart(4, "0")}`;

async function provision() {
  const t0 = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < USERS) {
      const u = user(next++);
      const res = await fetch(`${HSS_API}/subscribers`, {
        method: "POST",
        headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
        body: JSON.stringify({
          impi: `${u}@${DOMAIN}`,
          impus: [`sip:${u}@${DOMAIN}`],
          secret: `${u}pass`,
          authSchemes: ["SIP Digest", "Digest-AKAv1-MD5"],
          defaultScheme: "SIP Digest",
          visitedNetworks: [DOMAIN],
        }),
      });
      if (res.status !== 201 && res.status !== 409) throw new Error(`provisioning ${u}: HTTP ${res.status} ${await res.text()}`);
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  return performance.now() - t0;
}

/** Injection file j of n: a disjoint slice of the users, so no two SIPps register the same IMPI. */
function usersCsv(dir, j, n) {
  const lines = ["SEQUENTIAL"];
  for (let i = j; i < USERS; i += n) lines.push(`${user(i)};${user(i)}@${DOMAIN};${DOMAIN};${user(i)}pass`);
  const path = join(dir, `users-${j}.csv`);
  writeFileSync(path, `${lines.join("\n")}\n`);
  return path;
}

/** CPU seconds used so far by each lab node. */
const cpuSeconds = (nodes) => nodes.map((n) => cpuOf(n.pid));

/** One step: `rate` registrations/s for `seconds`, spread over ceil(rate / PER_SIPP) SIPps. */
async function step(label, target, rate, seconds, nodes) {
  const n = Math.max(1, Math.ceil(rate / PER_SIPP));
  const each = rate / n;
  const total = Math.round(each * seconds);
  const dirs = [];
  const cpu0 = cpuSeconds(nodes);
  const t0 = performance.now();
  const results = await Promise.all(
    Array.from({ length: n }, (_, j) => {
      const dir = join(work, `${label}-${rate}-${j}`);
      mkdirSync(dir);
      dirs.push(dir);
      return run(
        "sipp",
        [
          `${target.address}:${target.port}`,
          "-sf", scenario,
          "-inf", usersCsv(dir, j, n),
          "-i", ueAddress(j),
          "-p", "5060",
          "-r", String(each), "-rp", "1000",
          "-m", String(total),
          "-l", String(Math.max(50, Math.ceil(each * 5))),
          "-recv_timeout", "10000",
          "-timeout", `${seconds + 60}`,
          "-nostdin",
          "-trace_rtt", "-rtt_freq", "100",
          "-trace_stat", "-stf", join(dir, "stats.csv"), "-fd", "5",
          "-trace_err", "-error_file", join(dir, "errors.log"),
        ],
        dir,
      );
    }),
  );
  const elapsed = (performance.now() - t0) / 1000;
  const perNode = cpuSeconds(nodes).map((c, i) => c - cpu0[i]);
  const cpu = perNode.reduce((a, b) => a + b, 0);
  let successful = 0;
  let failed = 0;
  let created = 0;
  const times = [];
  for (const dir of dirs) {
    const s = lastStats(dir);
    successful += s.successful;
    failed += s.failed;
    created += s.created;
    times.push(...rtts(dir));
  }
  failed += n * total - successful - failed; // calls never completed (SIPp gave up or hit its timeout)
  times.sort((a, b) => a - b);
  const fatal = results.find((r) => r.code !== 0 && r.code !== 1);
  return {
    rate,
    sipps: n,
    achieved: successful / elapsed,
    successful,
    failed,
    created,
    p50: pct(times, 0.5),
    p99: pct(times, 0.99),
    max: times.length === 0 ? NaN : times[times.length - 1],
    cpuPerReg: successful === 0 ? NaN : (cpu / successful) * 1e6,
    cpuShare: cpu / elapsed,
    nodeShares: nodes.map((n, i) => `${n.name} ${successful === 0 ? "-" : ((perNode[i] / successful) * 1e6).toFixed(0)}`).join(", "),
    // kept up: every registration done, no failure, not more than 10% + 2 s late
    ok: failed === 0 && successful === n * total && elapsed <= seconds * 1.1 + 2,
    note: fatal === undefined ? "" : `sipp exit ${fatal.code}: ${fatal.stderr.trim().split("\n").pop()}`,
    dir: dirs[0],
  };
}

function printRow(label, r) {
  const f = (x, d = 0) => (Number.isNaN(x) ? "-" : x.toFixed(d));
  console.log(
    `${label.padEnd(9)} ${String(r.rate).padStart(5)}/s ${String(r.sipps).padStart(2)} sipp  achieved ${f(r.achieved).padStart(5)}/s  ` +
      `ok ${String(r.successful).padStart(6)}  failed ${String(r.failed).padStart(5)}  p50 ${f(r.p50).padStart(3)} ms  p99 ${f(r.p99).padStart(4)} ms  ` +
      `max ${f(r.max).padStart(5)} ms` +
      (label === "lab" ? `  lab CPU ${f(r.cpuPerReg).padStart(5)} µs/reg = ${r.nodeShares}; ${f(r.cpuShare, 2)} cores busy` : "") +
      `  ${r.ok ? "PASS" : "FAIL"} ${r.note}`,
  );
}

async function ramp(label, target, seconds, nodes) {
  const rows = [];
  for (const rate of RATES) {
    const r = await step(label, target, rate, seconds, nodes);
    printRow(label, r);
    rows.push(r);
    if (!r.ok) {
      console.log(`${label}: first failure at ${rate}/s; SIPp errors in ${r.dir}/errors.log`);
      break;
    }
    await new Promise((res) => setTimeout(res, 1000));
  }
  return rows;
}

function best(rows) {
  const passed = rows.filter((r) => r.ok);
  return passed[passed.length - 1];
}

async function main() {
  const configPath = join(work, "lab.json");
  writeFileSync(configPath, JSON.stringify(labJson, null, 2));
  const lab = new LabSupervisor({
    configPath,
    config: loadLabConfig(configPath),
    logLevel: "error",
    startTimeout: 20_000,
    ...(opt.capture === undefined ? {} : { capture: opt.capture }),
  });
  let labRows = [];
  const stop = async () => {
    await lab.stop();
  };
  process.on("SIGINT", () => void stop().then(() => process.exit(130)));
  if (!opt["reference-only"]) try {
    const nodes = await lab.start();
    const measured = nodes.filter((n) => n.pid !== undefined).map((n) => ({ name: n.spec.name, pid: n.pid }));
    const ms = await provision();
    console.log(`lab up (${nodes.map((n) => n.spec.name).join(", ")}); ${USERS} subscribers provisioned over REST in ${(ms / 1000).toFixed(1)} s`);
    console.log(`registrations (REGISTER → 401 → REGISTER → 200, SIP Digest) into the P-CSCF, ${SECONDS} s per rate; work dir ${work}`);
    // warm-up (JIT, first registrations of the users), not reported
    await step("warmup", P, 100, Math.max(1, Math.ceil(USERS / 100)), measured);
    labRows = await ramp("lab", P, SECONDS, measured);
  } finally {
    await stop();
  }

  let refRows = [];
  if (!opt["no-reference"]) {
    const uasDir = join(work, "uas");
    mkdirSync(uasDir);
    const uas = spawn("sipp", ["-sf", uasScenario, "-i", REF_UAS.address, "-p", String(REF_UAS.port), "-nostdin", "-trace_err", "-error_file", join(uasDir, "errors.log")], {
      cwd: uasDir,
      stdio: "ignore",
    });
    const uasExited = new Promise((res) => uas.on("close", res));
    try {
      await new Promise((res) => setTimeout(res, 300));
      console.log(`reference: the same SIPp load against a SIPp that only answers 401/200, ${REF_SECONDS} s per rate`);
      refRows = await ramp("reference", REF_UAS, REF_SECONDS, []);
    } finally {
      uas.kill("SIGTERM");
      await uasExited;
    }
  }

  const b = best(labRows);
  console.log("");
  if (opt["reference-only"]) console.log(`reference: highest passing rate ${best(refRows)?.rate ?? "none"}/s`);
  else if (b === undefined) console.log(`lab: no rate passed (lowest tried ${RATES[0]}/s)`);
  else
    console.log(
      `lab: highest rate with zero failed registrations ${b.rate}/s (achieved ${b.achieved.toFixed(0)}/s), ` +
        `registration time p50 ${b.p50} ms, p99 ${b.p99} ms; lab CPU ${b.cpuPerReg.toFixed(0)} µs per registration`,
    );
  const fast = labRows.filter((r) => r.ok && r.p99 < P99_GOAL_MS);
  if (!opt["reference-only"])
    console.log(
      fast.length === 0
        ? `lab: no rate met p99 < ${P99_GOAL_MS} ms`
        : `lab: highest rate with zero failures and p99 < ${P99_GOAL_MS} ms: ${fast[fast.length - 1].rate}/s (p50 ${fast[fast.length - 1].p50} ms, p99 ${fast[fast.length - 1].p99} ms)`,
    );
  const rb = best(refRows);
  if (rb !== undefined && b !== undefined) {
    const same = refRows.find((r) => r.rate === b.rate);
    console.log(
      `reference (SIPp ↔ SIPp): highest passing rate ${rb.rate}/s${rb === refRows[refRows.length - 1] && rb.ok ? " (the top of the ramp)" : ""}; ` +
        `ratio lab/reference ${(b.rate / rb.rate).toFixed(2)}` +
        (same === undefined ? "" : `; at ${b.rate}/s the reference's p50/p99 are ${same.p50}/${same.p99} ms`),
    );
  }
}

main().catch((e) => {
  console.error(`bench/register: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
