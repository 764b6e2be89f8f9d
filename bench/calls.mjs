#!/usr/bin/env node
/**
 * Calls per second through the core: SIPp callers (test/interop/calls-uac.xml: INVITE → 180 →
 * 200 → ACK → BYE → 200) call SIPp callees (calls-uas.xml) through a lab this script starts
 * (every node its own process, LabSupervisor, 127.5.13.x), at rising rates, each for --seconds.
 * Every call crosses P-CSCF → S-CSCF → I-CSCF (LIR) → S-CSCF → P-CSCF and back. Per rate it
 * prints the achieved rate, failures, the set-up time (INVITE sent → 200 received, SIPp
 * -trace_rtt) and the lab's CPU per call; then the highest rate with zero failed calls and its
 * p50/p99 set-up time.
 *
 * Reference, same run: the same SIPp callers calling the SIPp callees directly (no core), i.e.
 * what SIPp itself sustains here; the lab's best rate is printed as a ratio of it.
 *
 *   npx tsc -b && node bench/calls.mjs [--seconds 30] [--rates 100,200,300,400,500,700,1000]
 *     [--per-sipp 500] [--hold 0] [--ref-seconds 10] [--no-reference] [--media]
 *
 * --media anchors every call in the relay as the shipped lab does (two ng offer/answer/delete
 * exchanges per call, both UEs being on pcscf1); the relay's CPU counts in the lab's.
 *
 * Caller/callee pairs ca<j>/cb<j> (password <user>pass) are provisioned over the HSS REST API and
 * registered once with SIP Digest (calls-register.xml) from the address each SIPp then calls or
 * answers from; a rate above --per-sipp is spread over several pairs.
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { LabSupervisor, loadLabConfig } from "@ims/lab";
import { cpuOf, lastStats, pct, rtts, run as runCommand } from "./lib/sipp-run.mjs";

const { values: opt } = parseArgs({
  options: {
    seconds: { type: "string", default: "30" },
    rates: { type: "string", default: "100,200,300,400,500,700,1000" },
    "per-sipp": { type: "string", default: "500" },
    hold: { type: "string", default: "0" },
    "ref-seconds": { type: "string", default: "10" },
    "no-reference": { type: "boolean", default: false },
    media: { type: "boolean", default: false },
  },
});
const SECONDS = Number(opt.seconds);
const RATES = opt.rates.split(",").map(Number);
const PER_SIPP = Number(opt["per-sipp"]);
const HOLD = Number(opt.hold);
const REF_SECONDS = Number(opt["ref-seconds"]);
const PAIRS = Math.max(1, ...RATES.map((r) => Math.ceil(r / PER_SIPP)));

const DOMAIN = "domain.imsprovider.org";
const root = fileURLToPath(new URL("../", import.meta.url));
const scenario = (name) => join(root, "test/interop", name);
const work = mkdtempSync(join(tmpdir(), "ims-bench-calls-"));
const NET = "127.5.13";
const P = `${NET}.33:5060`;
const HSS_API = `http://${NET}.77:18013`;
const TOKEN = "bench-calls-token";
/** Pair j: caller SIPp on 127.5.13.(100+j):5060, callee SIPp on 127.5.13.(150+j):5060. */
const caller = (j) => ({ user: `ca${j}`, address: `${NET}.${100 + j}`, port: 5060 });
const callee = (j) => ({ user: `cb${j}`, address: `${NET}.${150 + j}`, port: 5060 });

const labJson = {
  $comment: "bench/calls.mjs: config/lab.json on 127.5.13.x, database in a temp dir",
  domain: DOMAIN,
  advertisedAddress: null,
  dns: { name: "ns", address: `${NET}.66`, port: 5353 },
  hss: {
    name: "hss",
    address: `${NET}.77`,
    diameterPort: 3868,
    httpPort: 18013,
    database: join(work, "hss.sqlite"),
    subscribers: join(root, "config/subscribers.json"),
    token: TOKEN,
  },
  icscf: { name: "icscf", address: `${NET}.55`, port: 4060 },
  scscf: [{ name: "scscf1", address: `${NET}.11`, port: 6060, capabilities: [] }],
  pcscf: [{ name: "pcscf1", address: `${NET}.33`, port: 5060 }],
  rtp: { enabled: opt.media, name: "rtp", address: `${NET}.88`, controlPort: 2223, portMin: 32100, portMax: 35999 },
  ues: [],
};

async function provision(users) {
  for (const u of users) {
    const res = await fetch(`${HSS_API}/subscribers`, {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ impi: `${u}@${DOMAIN}`, impus: [`sip:${u}@${DOMAIN}`], secret: `${u}pass`, visitedNetworks: [DOMAIN] }),
    });
    if (res.status !== 201 && res.status !== 409) throw new Error(`provisioning ${u}: HTTP ${res.status} ${await res.text()}`);
  }
}

/** user;impi;domain;password;callee (calls-register.xml, calls-uac.xml). */
function usersCsv(dir, user, peer) {
  const path = join(dir, `${user}.csv`);
  writeFileSync(path, `SEQUENTIAL\n${user};${user}@${DOMAIN};${DOMAIN};${user}pass;${peer}\n`);
  return path;
}

const run = (args, cwd) => runCommand("sipp", args, cwd);

async function register(ue, peer) {
  const dir = join(work, `register-${ue.user}`);
  mkdirSync(dir);
  const args = [P, "-sf", scenario("calls-register.xml"), "-inf", usersCsv(dir, ue.user, peer), "-i", ue.address, "-p", String(ue.port)];
  const r = await run([...args, "-m", "1", "-timeout", "15", "-timeout_error", "-nostdin"], dir);
  if (r.code !== 0) throw new Error(`registering ${ue.user}: sipp exit ${r.code} ${r.stderr.trim().split("\n").pop()}`);
}

/** A callee SIPp answering every call until stopped. */
function startCallee(label, ue) {
  const dir = join(work, `${label}-callee-${ue.user}`);
  mkdirSync(dir);
  const child = spawn(
    "sipp",
    ["-sf", scenario("calls-uas.xml"), "-s", ue.user, "-i", ue.address, "-p", String(ue.port), "-nostdin", "-trace_err", "-error_file", join(dir, "errors.log")],
    { cwd: dir, stdio: "ignore" },
  );
  const exited = new Promise((res) => child.on("close", res));
  return { stop: async () => void (child.kill("SIGTERM"), await exited) };
}

/** One step: `rate` calls/s for `seconds`, spread over ceil(rate / PER_SIPP) caller SIPps. */
async function step(label, target, rate, seconds, nodes) {
  const n = Math.max(1, Math.ceil(rate / PER_SIPP));
  const each = rate / n;
  const total = Math.round(each * seconds);
  const dirs = [];
  const cpu0 = nodes.map((x) => cpuOf(x.pid));
  const t0 = performance.now();
  const results = await Promise.all(
    Array.from({ length: n }, (_, j) => {
      const dir = join(work, `${label}-${rate}-${j}`);
      mkdirSync(dir);
      dirs.push(dir);
      const ue = caller(j);
      return run(
        [
          target(j),
          "-sf", scenario("calls-uac.xml"),
          "-inf", usersCsv(dir, ue.user, callee(j).user),
          "-i", ue.address,
          "-p", String(ue.port),
          "-d", String(HOLD),
          "-r", String(each), "-rp", "1000",
          "-m", String(total),
          "-l", String(Math.max(50, Math.ceil(each * (5 + HOLD / 1000)))),
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
  const perNode = nodes.map((x, i) => cpuOf(x.pid) - cpu0[i]);
  const cpu = perNode.reduce((a, b) => a + b, 0);
  let successful = 0;
  let failed = 0;
  const times = [];
  for (const dir of dirs) {
    const s = lastStats(dir);
    successful += s.successful;
    failed += s.failed;
    times.push(...rtts(dir));
  }
  failed += n * total - successful - failed; // calls never completed
  times.sort((a, b) => a - b);
  const fatal = results.find((r) => r.code !== 0 && r.code !== 1);
  return {
    rate,
    sipps: n,
    achieved: successful / elapsed,
    successful,
    failed,
    p50: pct(times, 0.5),
    p99: pct(times, 0.99),
    max: times.length === 0 ? NaN : times[times.length - 1],
    cpuPerCall: successful === 0 ? NaN : (cpu / successful) * 1e6,
    cpuShare: cpu / elapsed,
    nodeShares: nodes.map((x, i) => `${x.name} ${successful === 0 ? "-" : ((perNode[i] / successful) * 1e6).toFixed(0)}`).join(", "),
    ok: failed === 0 && successful === n * total && elapsed <= seconds * 1.1 + 2,
    note: fatal === undefined ? "" : `sipp exit ${fatal.code}: ${fatal.stderr.trim().split("\n").pop()}`,
    dir: dirs[0],
  };
}

function printRow(label, r) {
  const f = (x, d = 0) => (Number.isNaN(x) ? "-" : x.toFixed(d));
  console.log(
    `${label.padEnd(9)} ${String(r.rate).padStart(5)}/s ${String(r.sipps).padStart(2)} sipp  achieved ${f(r.achieved).padStart(5)}/s  ` +
      `ok ${String(r.successful).padStart(6)}  failed ${String(r.failed).padStart(5)}  set-up p50 ${f(r.p50).padStart(3)} ms  p99 ${f(r.p99).padStart(4)} ms  ` +
      `max ${f(r.max).padStart(5)} ms` +
      (label === "lab" ? `  lab CPU ${f(r.cpuPerCall).padStart(5)} µs/call = ${r.nodeShares}; ${f(r.cpuShare, 2)} cores busy` : "") +
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
      console.log(`${label}: first failure at ${rate}/s; SIPp errors in ${r.dir}/errors.log: ${errorKinds(r.dir)}`);
      break;
    }
    await new Promise((res) => setTimeout(res, 1000));
  }
  return rows;
}

/** What went wrong, counted: "expected 180, got 200" (a lost 1xx), receive timeouts per scenario step. */
function errorKinds(dir) {
  let text = "";
  try {
    text = readFileSync(join(dir, "errors.log"), "utf8");
  } catch {
    return "none";
  }
  const kinds = new Map();
  for (const m of text.matchAll(/while expecting '(\w+)' \(index \d+\), received '(SIP\/2\.0 \d+|\w+)/g)) {
    const k = `expected ${m[1]}, got ${m[2].replace("SIP/2.0 ", "")}`;
    kinds.set(k, (kinds.get(k) ?? 0) + 1);
  }
  for (const m of text.matchAll(/receive timeout on message [^:]*:(\d+)/g)) {
    const k = `timeout at step ${m[1]}`;
    kinds.set(k, (kinds.get(k) ?? 0) + 1);
  }
  return [...kinds].map(([k, v]) => `${k} ×${v}`).join(", ") || "none";
}

const best = (rows) => rows.filter((r) => r.ok).at(-1);

async function main() {
  const configPath = join(work, "lab.json");
  writeFileSync(configPath, JSON.stringify(labJson, null, 2));
  const lab = new LabSupervisor({ configPath, config: loadLabConfig(configPath), logLevel: "error", startTimeout: 20_000 });
  const pairs = Array.from({ length: PAIRS }, (_, j) => j);
  let labRows = [];
  let callees = [];
  process.on("SIGINT", () => void Promise.all(callees.map((c) => c.stop())).then(() => lab.stop()).then(() => process.exit(130)));
  try {
    const nodes = await lab.start();
    const measured = nodes.filter((x) => x.pid !== undefined).map((x) => ({ name: x.spec.name, pid: x.pid }));
    await provision(pairs.flatMap((j) => [caller(j).user, callee(j).user]));
    for (const j of pairs) {
      await register(callee(j), caller(j).user);
      await register(caller(j), callee(j).user);
    }
    callees = pairs.map((j) => startCallee("lab", callee(j)));
    await new Promise((res) => setTimeout(res, 300));
    console.log(`lab up${opt.media ? " (media anchored in the relay)" : ""}; ${PAIRS} caller/callee pair(s) registered; calls (INVITE → 180 → 200 → ACK → BYE → 200, hold ${HOLD} ms) ${SECONDS} s per rate; work dir ${work}`);
    await step("warmup", () => P, 50, 5, measured);
    labRows = await ramp("lab", () => P, SECONDS, measured);
  } finally {
    await Promise.all(callees.map((c) => c.stop()));
    callees = [];
    await lab.stop();
  }

  let refRows = [];
  if (!opt["no-reference"]) {
    callees = pairs.map((j) => startCallee("reference", callee(j)));
    try {
      await new Promise((res) => setTimeout(res, 300));
      console.log(`reference: the same SIPp callers calling the SIPp callees directly, ${REF_SECONDS} s per rate`);
      refRows = await ramp("reference", (j) => `${callee(j).address}:${callee(j).port}`, REF_SECONDS, []);
    } finally {
      await Promise.all(callees.map((c) => c.stop()));
    }
  }

  const b = best(labRows);
  console.log("");
  if (b === undefined) console.log(`lab: no rate passed (lowest tried ${RATES[0]}/s)`);
  else
    console.log(
      `lab: highest rate with zero failed calls ${b.rate}/s (achieved ${b.achieved.toFixed(0)}/s), ` +
        `set-up time p50 ${b.p50} ms, p99 ${b.p99} ms; lab CPU ${b.cpuPerCall.toFixed(0)} µs per call` +
        `${b === labRows.at(-1) && b.rate === RATES.at(-1) ? " (the top of the ramp)" : ""}`,
    );
  const rb = best(refRows);
  if (rb !== undefined && b !== undefined)
    console.log(
      `reference (SIPp ↔ SIPp, no core): highest passing rate ${rb.rate}/s${rb.rate === RATES.at(-1) ? " (the top of the ramp)" : ""}; ratio lab/reference ${(b.rate / rb.rate).toFixed(2)}`,
    );
}

main().catch((e) => {
  console.error(`bench/calls: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
