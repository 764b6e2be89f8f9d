// RTP relay capacity: N concurrent G.711 calls (160-byte payload every 20 ms, both directions, so
// 100·N packets/s into the relay) forwarded for a while at rising N. For each N: loss, the relay's
// CPU time per packet, and the one-way latency through the relay. The largest N under 0.1 % loss is
// the figure, for @ims/rtp-relay and for rtpengine in userspace mode in the same run.
//
// Latency: sender and receiver are in one process (one clock), stamped into each packet. A probe
// process, lightly loaded, sends PROBE_CALLS calls through the relay and as many calls straight
// between its own sockets ("direct", no relay), both at once from the same timer (alternating which
// goes first), while load-generator processes carry the other N - PROBE_CALLS calls (loss only).
// So the direct packets see the same generator and the same CPU contention as the relayed ones at
// that moment. Printed: the relay path's p50/p99 (the real latency a packet sees through the relay,
// generator included) and "added p99" = relay p99 minus direct p50 in the same step. We subtract
// the direct *median*, not the direct p99: the generator's own tail (its event loop late, the
// process descheduled) is charged to the relay, so the figure errs on the relay's side
// (a difference of two p99s is not the p99 of the per-packet difference and can hide relay delay).
// The generators use connected sockets (each talks to one relay port, symmetric RTP), which keeps
// their own per-packet cost low: on a small machine they share the cores with the relay.
// Load generators send from a 1 ms timer: each tick sends the call slots due (slot k of n at
// k·20 ms/n), so 500 calls over 1 worker arrive in bursts of ~50 packets per ms; --workers spreads
// them over more processes (smaller bursts, more processes competing for the cores).
// The relays and the load generators run in separate processes.
// Usage: npx tsc -b packages/rtp-relay && node bench/rtp.mjs [--seconds 30] [--steps 100,200,...]
//        [--workers 1] [--threads 0 (our relay's media threads; a list such as 0,2 runs one relay of ours
//        per value, side by side with rtpengine)] [--only ours|rtpengine]   (RTP_BENCH_RELAY_NODE_ARGS="--cpu-prof" profiles our relay;
//        RTP_BENCH_RTPENGINE_ARGS="--num-threads=1" adds rtpengine options)
import { spawn, spawnSync } from "node:child_process";
import { createSocket } from "node:dgram";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const SELF = fileURLToPath(import.meta.url);
const GEN_A = "127.5.7.100";
const GEN_B = "127.5.7.101";
const RELAYS = { ours: "127.5.7.88", rtpengine: "127.5.7.89" }; // more of ours (--threads a,b): 127.5.7.90, .91, ...
const NG_PORT = 2223;
const PORT_MIN = 20000;
const PORT_MAX = 29999;
const PAYLOAD = 160;
const PTIME = 20;
const PROBE_CALLS = 10;

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : dflt;
};

// ---------- child: our relay ----------
if (process.argv[2] === "--serve-ours") {
  const { startRtpRelay } = await import("@ims/rtp-relay");
  await startRtpRelay({ address: process.argv[4] ?? RELAYS.ours, controlPort: NG_PORT, portMin: PORT_MIN, portMax: PORT_MAX, timeoutMs: 600_000, mediaThreads: Number(process.argv[3] ?? 0) });
  process.on("SIGTERM", () => process.exit(0)); // a clean exit, so --cpu-prof writes its profile
  process.stdout.write("ready\n");
  await new Promise(() => undefined);
}

// ---------- child: load generator / probe ----------
if (process.argv[2] === "--worker") {
  const { calls, direct, seconds } = JSON.parse(readFileSync(process.argv[3], "utf8"));
  // Each socket talks to one address:port only (the relay's port for its leg, or the other direct
  // socket): connected, so a send needs no per-packet address lookup.
  const open = (address, port, dst) =>
    new Promise((resolve, reject) => {
      const s = createSocket({ type: "udp4", recvBufferSize: 1 << 20, sendBufferSize: 1 << 20 });
      s.once("error", reject);
      s.bind(port, address, () => s.connect(dst.port, dst.address, () => (s.off("error", reject), resolve(s))));
    });
  const makeHist = () => ({ hist: new Uint32Array(100_001), received: 0, sent: 0 }); // 10 µs bins up to 1 s
  const relayed = makeHist();
  const straight = makeHist();
  const listener = (h) => (msg) => {
    const t = performance.now();
    const at = msg.readDoubleLE(12);
    h.hist[Math.min(100_000, Math.max(0, Math.round((t - at) * 100)))]++;
    h.received++;
  };
  const setup = async (list, h) => {
    const out = [];
    const onMessage = listener(h);
    for (const c of list) {
      const a = await open(GEN_A, c.aPort, c.aDst);
      const b = await open(GEN_B, c.bPort, c.bDst);
      a.on("message", onMessage);
      b.on("message", onMessage);
      out.push({ a, b, ssrcA: (c.aPort << 16) | 1, ssrcB: (c.bPort << 16) | 2, seq: 0, h });
    }
    return out;
  };
  const ends = await setup(calls, relayed);
  const directEnds = await setup(direct ?? [], straight);
  const packet = Buffer.alloc(12 + PAYLOAD, 0xd5);
  packet[0] = 0x80;
  packet[1] = 8;
  const sendOne = (socket, ssrc, seq, h) => {
    const p = Buffer.from(packet);
    p.writeUInt16BE(seq & 0xffff, 2);
    p.writeUInt32BE((seq * PAYLOAD) >>> 0, 4);
    p.writeUInt32BE(ssrc >>> 0, 8);
    p.writeDoubleLE(performance.now(), 12);
    socket.send(p);
    h.sent++;
  };
  const sendCall = (e) => {
    sendOne(e.a, e.ssrcA, e.seq, e.h);
    sendOne(e.b, e.ssrcB, e.seq, e.h);
    e.seq++;
  };
  process.stdout.write("ready\n");
  await new Promise((r) => process.stdin.once("data", r));
  const n = ends.length;
  const start = performance.now();
  const cpu0 = process.cpuUsage();
  const durationMs = seconds * 1000;
  let ticks = 0; // call-slots sent: slot k goes at start + k·(20 ms / n)
  await new Promise((resolve) => {
    const timer = setInterval(() => {
      const elapsed = performance.now() - start;
      const due = Math.floor((Math.min(elapsed, durationMs) / PTIME) * n);
      while (ticks < due) {
        const i = ticks % n;
        // The probe's direct call i goes with relayed call i, first or second in turn.
        const d = directEnds[i];
        if (d !== undefined && (ticks & 1) === 0) sendCall(d);
        sendCall(ends[i]);
        if (d !== undefined && (ticks & 1) === 1) sendCall(d);
        ticks++;
      }
      if (elapsed >= durationMs) {
        clearInterval(timer);
        resolve();
      }
    }, 1);
  });
  const cpu = process.cpuUsage(cpu0);
  await new Promise((r) => setTimeout(r, 500)); // drain
  const summary = ({ hist, sent, received }) => {
    const pct = (q) => {
      let target = Math.ceil(received * q);
      for (let i = 0; i < hist.length; i++) if ((target -= hist[i]) <= 0) return i / 100;
      return 1000;
    };
    return { sent, received, p50: pct(0.5), p99: pct(0.99), max: pct(1) };
  };
  process.stdout.write(JSON.stringify({ ...summary(relayed), direct: summary(straight), cpuMs: (cpu.user + cpu.system) / 1000 }) + "\n");
  for (const e of [...ends, ...directEnds]) (e.a.close(), e.b.close());
  process.exit(0);
}

// ---------- main ----------
const { NgClient } = await import("@ims/rtp-relay");
const seconds = Number(arg("seconds", "30"));
const steps = arg("steps", "100,200,300,400,500,600,700,800,1000,1200").split(",").map(Number);
const workers = Number(arg("workers", "1"));
const threadCounts = arg("threads", "0").split(",").map(Number);
// Our relay variants: "ours" alone, or "ours/<n>t" per media-thread count when several are asked.
const ours = threadCounts.map((t, i) => {
  const name = threadCounts.length === 1 ? "ours" : `ours/${t}t`;
  RELAYS[name] = i === 0 ? RELAYS.ours : `127.5.7.${89 + i}`;
  return { name, threads: t };
});
const only = arg("only", undefined);
const dir = mkdtempSync(join(tmpdir(), "bench-rtp-"));
const children = [];
const sdpOf = (addr, port) => `v=0\r\no=- 1 1 IN IP4 ${addr}\r\ns=-\r\nc=IN IP4 ${addr}\r\nt=0 0\r\nm=audio ${port} RTP/AVP 8\r\na=rtpmap:8 PCMA/8000\r\n`;

function waitReady(child, what) {
  return new Promise((resolve, reject) => {
    const rl = createInterface({ input: child.stdout });
    rl.once("line", () => resolve(rl));
    child.once("exit", (code) => reject(new Error(`${what} exited with ${code}`)));
  });
}

async function startRelay(impl) {
  const mine = ours.find((o) => o.name === impl);
  if (mine !== undefined) {
    const child = spawn(process.execPath, [...(process.env.RTP_BENCH_RELAY_NODE_ARGS ?? "").split(" ").filter(Boolean), SELF, "--serve-ours", String(mine.threads), RELAYS[impl]], { stdio: ["ignore", "pipe", "inherit"] });
    children.push(child);
    await waitReady(child, "our relay");
    return child;
  }
  const child = spawn("rtpengine", [
    `--interface=${RELAYS.rtpengine}`, `--listen-ng=${RELAYS.rtpengine}:${NG_PORT}`, "--table=-1", "--foreground", "--log-stderr",
    "--log-level=3", `--port-min=${PORT_MIN}`, `--port-max=${PORT_MAX}`, "--delete-delay=0", "--timeout=600", `--pidfile=${join(dir, "rtpengine.pid")}`,
    ...(process.env.RTP_BENCH_RTPENGINE_ARGS ?? "").split(" ").filter(Boolean),
  ], { stdio: ["ignore", "ignore", "ignore"] });
  children.push(child);
  return child;
}

/** Times the process's threads went to sleep so far (voluntary context switches), or undefined. */
function sleepsOf(pid) {
  try {
    let n = 0;
    for (const t of readdirSync(`/proc/${pid}/task`)) n += Number(/^voluntary_ctxt_switches:\s*(\d+)/m.exec(readFileSync(`/proc/${pid}/task/${t}/status`, "utf8"))?.[1] ?? 0);
    return n;
  } catch {
    return undefined;
  }
}
const CLK_TCK = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout.trim()) || 100;
/** CPU time (user + system, all threads) a process has used so far, in ms; undefined off Linux. */
function cpuMsOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(f[11]) + Number(f[12])) * 1000) / CLK_TCK; // utime, stime (fields 14, 15)
  } catch {
    return undefined;
  }
}

async function runStep(impl, relayPid, n) {
  const relay = RELAYS[impl];
  const calls = [];
  const client = await NgClient.open({ address: relay, port: NG_PORT, retryMs: 1000, retries: 3 });
  for (let i = 0; i < n; i++) {
    const ids = { callId: `bench-${n}-${i}`, fromTag: "a", toTag: "b" };
    const aPort = 10000 + 2 * i;
    const bPort = 10000 + 2 * i;
    const o = await client.offer(ids, sdpOf(GEN_A, aPort));
    const an = await client.answer(ids, sdpOf(GEN_B, bPort));
    if (!o.ok || !an.ok) throw new Error(`${impl}: call setup failed: ${(o.ok ? an : o).error.reason}`);
    const portB = Number(/m=audio (\d+)/.exec(o.value.sdp)[1]);
    const portA = Number(/m=audio (\d+)/.exec(an.value.sdp)[1]);
    calls.push({ aPort, bPort, aDst: { address: relay, port: portA }, bDst: { address: relay, port: portB } });
  }
  // The latency probe: a few calls in a process of their own, lightly loaded, plus as many direct
  // calls (A straight to B, no relay) sent from the same timer. The rest is load (loss only).
  const probeCalls = Math.min(PROBE_CALLS, n);
  const direct = [];
  for (let i = 0; i < probeCalls; i++) {
    const port = 30000 + 2 * i;
    direct.push({ aPort: port, bPort: port, aDst: { address: GEN_B, port }, bDst: { address: GEN_A, port } });
  }
  const slices = [calls.slice(0, probeCalls)];
  const per = Math.ceil((n - probeCalls) / workers);
  for (let w = 0; w < workers; w++) slices.push(calls.slice(probeCalls + w * per, probeCalls + (w + 1) * per));
  const procs = [];
  for (const [w, slice] of slices.entries()) {
    if (slice.length === 0) continue;
    const file = join(dir, `worker-${w}.json`);
    writeFileSync(file, JSON.stringify({ calls: slice, direct: w === 0 ? direct : [], seconds }));
    const child = spawn(process.execPath, [SELF, "--worker", file], { stdio: ["pipe", "pipe", "inherit"] });
    children.push(child);
    const rl = await waitReady(child, "load generator");
    procs.push({ child, rl });
  }
  const cpu0 = cpuMsOf(relayPid);
  const sleeps0 = sleepsOf(relayPid);
  for (const p of procs) p.child.stdin.write("go\n");
  // procs[0] is the probe.
  const results = await Promise.all(procs.map((p) => new Promise((r) => p.rl.once("line", (l) => r(JSON.parse(l))))));
  const cpu1 = cpuMsOf(relayPid);
  const sleeps1 = sleepsOf(relayPid);
  for (let i = 0; i < n; i++) await client.delete({ callId: `bench-${n}-${i}`, fromTag: "a" });
  client.close();
  const sent = results.reduce((s, r) => s + r.sent, 0);
  const received = results.reduce((s, r) => s + r.received, 0);
  const probe = results[0];
  return {
    n, sent, received, loss: sent === 0 ? 1 : Math.max(0, (sent - received) / sent),
    p50: probe.p50, p99: probe.p99, directP50: probe.direct.p50, directP99: probe.direct.p99, added: Math.max(0, probe.p99 - probe.direct.p50),
    // Relay CPU per relayed packet (µs); the drain after the send period is idle.
    cpuUs: cpu0 === undefined || cpu1 === undefined || received === 0 ? undefined : ((cpu1 - cpu0) * 1000) / received,
    // Packets handled per relay wake-up: ~1 when the relay sleeps between packets (it is woken for
    // each and nothing queues), large when packets pile up while it runs or waits for a CPU.
    perWake: sleeps0 === undefined || sleeps1 === undefined || sleeps1 === sleeps0 ? undefined : received / (sleeps1 - sleeps0),
    genCpuUs: (results.reduce((s, r) => s + r.cpuMs, 0) * 1000) / sent,
    loadP99: Math.max(...results.slice(1).map((r) => r.p99), 0),
  };
}

async function waitPing(address) {
  const client = await NgClient.open({ address, port: NG_PORT, retryMs: 200, retries: 0 });
  try {
    for (let i = 0; i < 50; i++) if ((await client.ping()).ok) return;
    throw new Error(`no ng pong from ${address}`);
  } finally {
    client.close();
  }
}

const ms = (x) => x.toFixed(2).padStart(6);
const fmt = (r) =>
  `${String(r.n).padStart(5)} calls ${String(r.n * 100).padStart(7)} pkt/s  loss ${(r.loss * 100).toFixed(3).padStart(7)} %  ` +
  `relay p50 ${ms(r.p50)} p99 ${ms(r.p99)} ms  direct p50 ${ms(r.directP50)} p99 ${ms(r.directP99)} ms  added p99 ${ms(r.added)} ms  ` +
  `relay CPU ${r.cpuUs === undefined ? "?" : r.cpuUs.toFixed(1)} µs/pkt, ${r.perWake === undefined ? "?" : r.perWake.toFixed(1)} pkt/wake-up  (load gen p99 ${r.loadP99.toFixed(1)} ms, ${r.genCpuUs.toFixed(1)} µs/pkt sent)`;
const best = {};
const bestFast = {}; // largest N whose added p99 was also under 1 ms
const results = {};
try {
  const withEngine = only !== "ours" && spawnSync("sh", ["-c", "command -v rtpengine"]).status === 0;
  const impls = [...(only === "rtpengine" ? [] : ours.map((o) => o.name)), ...(withEngine ? ["rtpengine"] : [])];
  console.log(`rtp bench: ${seconds} s per step, steps ${steps.join(",")}, ${workers} load-generator process(es), our relay with ${threadCounts.join(" / ")} media thread(s), G.711 ${PAYLOAD} B / ${PTIME} ms both ways; uptime: ${spawnSync("uptime", { encoding: "utf8" }).stdout.trim()}`);
  // Both relays run for the whole bench and the steps alternate between them, so a change in the
  // machine's load hits both alike.
  const relays = {};
  for (const impl of impls) {
    relays[impl] = await startRelay(impl);
    await waitPing(RELAYS[impl]);
    results[impl] = [];
  }
  const failed = new Set();
  for (const n of steps) {
    for (const impl of impls) {
      if (failed.has(impl)) continue;
      const r = await runStep(impl, relays[impl].pid, n);
      results[impl].push(r);
      console.log(`${impl.padEnd(10)} ${fmt(r)}`);
      if (r.loss >= 0.001) {
        failed.add(impl);
        continue;
      }
      best[impl] = r;
      if (r.added < 1) bestFast[impl] = r;
    }
  }
  for (const child of Object.values(relays)) {
    child.kill("SIGTERM");
    await new Promise((r) => (child.exitCode !== null ? r() : child.once("exit", r)));
  }
  console.log(`uptime: ${spawnSync("uptime", { encoding: "utf8" }).stdout.trim()}`);
  console.log("");
  for (const impl of Object.keys(results)) {
    const b = best[impl];
    if (b === undefined) console.log(`${impl}: loss >= 0.1 % already at ${steps[0]} calls`);
    else {
      const capped = b.n === steps[steps.length - 1];
      console.log(`${impl}: largest N under 0.1 % loss = ${b.n}${capped ? "+ (top step)" : ""} calls (${b.n * 100} pkt/s), p99 ${b.p99.toFixed(2)} ms through the relay, ${b.added.toFixed(2)} ms added (p99 minus direct p50 ${b.directP50.toFixed(2)} ms; direct p99 ${b.directP99.toFixed(2)} ms)`);
    }
  }
  for (const impl of Object.keys(results)) {
    const f = bestFast[impl];
    console.log(`${impl}: largest N under 0.1 % loss with added p99 < 1 ms = ${f === undefined ? "none" : `${f.n} (added p99 ${f.added.toFixed(2)} ms)`}`);
  }
  const at = (impl, n) => results[impl]?.find((r) => r.n === n);
  const goal = 500;
  for (const impl of Object.keys(results)) {
    const r = at(impl, goal);
    console.log(`${impl} at the goal's ${goal} calls: ${r === undefined ? "not reached" : `loss ${(r.loss * 100).toFixed(3)} %, relay p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms, added p99 ${r.added.toFixed(2)} ms, CPU ${r.cpuUs?.toFixed(1) ?? "?"} µs/pkt`}`);
  }
  for (const { name } of ours) {
    if (best[name] === undefined || best.rtpengine === undefined) continue;
    const g = [at(name, goal), at("rtpengine", goal)];
    const p99 = g[0] !== undefined && g[1] !== undefined ? `, added p99 at ${goal} calls ${(g[0].added / Math.max(0.01, g[1].added)).toFixed(2)}x, CPU/pkt ${g[0].cpuUs !== undefined && g[1].cpuUs !== undefined ? (g[0].cpuUs / g[1].cpuUs).toFixed(2) : "?"}x` : "";
    console.log(`ratio ${name}/rtpengine-userspace: largest N ${(best[name].n / best.rtpengine.n).toFixed(2)}x${p99}`);
  }
} finally {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGTERM");
  rmSync(dir, { recursive: true, force: true });
}
