// RTP relay capacity: N concurrent G.711 calls (160-byte payload every 20 ms, both directions, so
// 100·N packets/s into the relay) forwarded for a while at rising N. For each N: loss and the
// one-way latency through the relay (sender and receiver in the same load-generator process, so one
// clock), with p99. The largest N under 0.1 % loss is the figure, for @ims/rtp-relay and for
// rtpengine in userspace mode in the same run, plus a "direct" baseline (no relay) giving the
// generator's own latency, so "added" latency = through-relay minus direct.
// The relays and the load generators run in separate processes.
// Usage: npx tsc -b packages/rtp-relay && node bench/rtp.mjs [--seconds 30] [--steps 100,200,...]
//        [--workers 1] [--threads 0 (our relay's media threads)] [--only ours|rtpengine]   (RTP_BENCH_RELAY_NODE_ARGS="--cpu-prof" profiles our relay)
import { spawn, spawnSync } from "node:child_process";
import { createSocket } from "node:dgram";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const SELF = fileURLToPath(import.meta.url);
const GEN_A = "127.5.7.100";
const GEN_B = "127.5.7.101";
const RELAYS = { ours: "127.5.7.88", rtpengine: "127.5.7.89" };
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
  await startRtpRelay({ address: RELAYS.ours, controlPort: NG_PORT, portMin: PORT_MIN, portMax: PORT_MAX, timeoutMs: 600_000, mediaThreads: Number(process.argv[3] ?? 0) });
  process.on("SIGTERM", () => process.exit(0)); // a clean exit, so --cpu-prof writes its profile
  process.stdout.write("ready\n");
  await new Promise(() => undefined);
}

// ---------- child: load generator ----------
if (process.argv[2] === "--worker") {
  const { calls, seconds } = JSON.parse(await import("node:fs").then((fs) => fs.readFileSync(process.argv[3], "utf8")));
  const bind = (address, port) =>
    new Promise((resolve, reject) => {
      const s = createSocket("udp4");
      s.once("error", reject);
      s.bind(port, address, () => resolve(s));
    });
  const hist = new Uint32Array(100_001); // 10 µs bins up to 1 s
  let received = 0;
  let sent = 0;
  const onMessage = (msg) => {
    const t = performance.now();
    const at = msg.readDoubleLE(12);
    hist[Math.min(100_000, Math.max(0, Math.round((t - at) * 100)))]++;
    received++;
  };
  const ends = [];
  for (const c of calls) {
    const a = await bind(GEN_A, c.aPort);
    const b = await bind(GEN_B, c.bPort);
    a.on("message", onMessage);
    b.on("message", onMessage);
    const ssrcA = (c.aPort << 16) | 1;
    const ssrcB = (c.bPort << 16) | 2;
    ends.push({ a, b, aDst: c.aDst, bDst: c.bDst, ssrcA, ssrcB, seq: 0 });
  }
  const packet = Buffer.alloc(12 + PAYLOAD, 0xd5);
  packet[0] = 0x80;
  packet[1] = 8;
  const sendOne = (socket, dst, ssrc, seq) => {
    const p = Buffer.from(packet);
    p.writeUInt16BE(seq & 0xffff, 2);
    p.writeUInt32BE((seq * PAYLOAD) >>> 0, 4);
    p.writeUInt32BE(ssrc >>> 0, 8);
    p.writeDoubleLE(performance.now(), 12);
    socket.send(p, dst.port, dst.address);
    sent++;
  };
  process.stdout.write("ready\n");
  await new Promise((r) => process.stdin.once("data", r));
  const n = ends.length;
  const start = performance.now();
  const durationMs = seconds * 1000;
  let ticks = 0; // call-slots sent: slot k goes at start + k·(20 ms / n)
  await new Promise((resolve) => {
    const timer = setInterval(() => {
      const elapsed = performance.now() - start;
      const due = Math.floor((Math.min(elapsed, durationMs) / PTIME) * n);
      while (ticks < due) {
        const e = ends[ticks % n];
        sendOne(e.a, e.aDst, e.ssrcA, e.seq);
        sendOne(e.b, e.bDst, e.ssrcB, e.seq);
        e.seq++;
        ticks++;
      }
      if (elapsed >= durationMs) {
        clearInterval(timer);
        resolve();
      }
    }, 1);
  });
  await new Promise((r) => setTimeout(r, 500)); // drain
  const pct = (q) => {
    let target = Math.ceil(received * q);
    for (let i = 0; i < hist.length; i++) if ((target -= hist[i]) <= 0) return i / 100;
    return 1000;
  };
  process.stdout.write(JSON.stringify({ sent, received, p50: pct(0.5), p99: pct(0.99), max: pct(1) }) + "\n");
  for (const e of ends) (e.a.close(), e.b.close());
  process.exit(0);
}

// ---------- main ----------
const { NgClient } = await import("@ims/rtp-relay");
const seconds = Number(arg("seconds", "30"));
const steps = arg("steps", "100,200,300,400,500,600,700,800,1000,1200").split(",").map(Number);
const workers = Number(arg("workers", "1"));
const threads = Number(arg("threads", "0"));
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
  if (impl === "ours") {
    const child = spawn(process.execPath, [...(process.env.RTP_BENCH_RELAY_NODE_ARGS ?? "").split(" ").filter(Boolean), SELF, "--serve-ours", String(threads)], { stdio: ["ignore", "pipe", "inherit"] });
    children.push(child);
    await waitReady(child, "our relay");
    return child;
  }
  const child = spawn("rtpengine", [
    `--interface=${RELAYS.rtpengine}`, `--listen-ng=${RELAYS.rtpengine}:${NG_PORT}`, "--table=-1", "--foreground", "--log-stderr",
    "--log-level=3", `--port-min=${PORT_MIN}`, `--port-max=${PORT_MAX}`, "--delete-delay=0", "--timeout=600", `--pidfile=${join(dir, "rtpengine.pid")}`,
  ], { stdio: ["ignore", "ignore", "ignore"] });
  children.push(child);
  return child;
}

async function runStep(impl, n) {
  const relay = RELAYS[impl];
  const calls = [];
  let client;
  if (impl === "direct") {
    // No relay: A sends straight to B and back.
    for (let i = 0; i < n; i++) {
      const port = 10000 + 2 * i;
      calls.push({ aPort: port, bPort: port, aDst: { address: GEN_B, port }, bDst: { address: GEN_A, port } });
    }
  } else {
    client = await NgClient.open({ address: relay, port: NG_PORT, retryMs: 1000, retries: 3 });
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
  }
  // The latency probe: a few calls in a process of their own, lightly loaded, so its p99 is the
  // relay's queueing and not the load generator's own event loop. The rest is load (loss only).
  const probeCalls = Math.min(PROBE_CALLS, n);
  const slices = [calls.slice(0, probeCalls)];
  const per = Math.ceil((n - probeCalls) / workers);
  for (let w = 0; w < workers; w++) slices.push(calls.slice(probeCalls + w * per, probeCalls + (w + 1) * per));
  const procs = [];
  for (const [w, slice] of slices.entries()) {
    if (slice.length === 0) continue;
    const file = join(dir, `worker-${w}.json`);
    writeFileSync(file, JSON.stringify({ calls: slice, seconds }));
    const child = spawn(process.execPath, [SELF, "--worker", file], { stdio: ["pipe", "pipe", "inherit"] });
    children.push(child);
    const rl = await waitReady(child, "load generator");
    procs.push({ child, rl });
  }
  for (const p of procs) p.child.stdin.write("go\n");
  // procs[0] is the probe.
  const results = await Promise.all(procs.map((p) => new Promise((r) => p.rl.once("line", (l) => r(JSON.parse(l))))));
  if (client !== undefined) {
    for (let i = 0; i < n; i++) await client.delete({ callId: `bench-${n}-${i}`, fromTag: "a" });
    client.close();
  }
  const sent = results.reduce((s, r) => s + r.sent, 0);
  const received = results.reduce((s, r) => s + r.received, 0);
  return { n, sent, received, loss: sent === 0 ? 1 : Math.max(0, (sent - received) / sent), p50: results[0].p50, p99: results[0].p99, loadP99: Math.max(...results.slice(1).map((r) => r.p99), 0) };
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

const fmt = (r) =>
  `${String(r.n).padStart(5)} calls ${String(r.n * 100).padStart(7)} pkt/s  loss ${(r.loss * 100).toFixed(3).padStart(7)} %  ` +
  `probe p50 ${r.p50.toFixed(2).padStart(6)} ms  p99 ${r.p99.toFixed(2).padStart(6)} ms  (load gen p99 ${r.loadP99.toFixed(1)} ms)`;
const best = {};
const bestFast = {}; // largest N whose probe p99 was also under 1 ms
const results = {};
try {
  const impls = only !== undefined ? [only] : ["ours", ...(spawnSync("sh", ["-c", "command -v rtpengine"]).status === 0 ? ["rtpengine"] : [])];
  console.log(`rtp bench: ${seconds} s per step, steps ${steps.join(",")}, ${workers} load-generator process(es), our relay with ${threads} media thread(s), G.711 ${PAYLOAD} B / ${PTIME} ms both ways`);
  for (const impl of impls) {
    const child = await startRelay(impl);
    await waitPing(RELAYS[impl]);
    results[impl] = [];
    for (const n of steps) {
      const r = await runStep(impl, n);
      results[impl].push(r);
      console.log(`${impl.padEnd(9)} ${fmt(r)}`);
      if (r.loss >= 0.001) break;
      best[impl] = r;
      if (r.p99 < 1) bestFast[impl] = r;
    }
    child.kill("SIGTERM");
    await new Promise((r) => (child.exitCode !== null ? r() : child.once("exit", r)));
  }
  const baseN = Math.max(100, ...Object.values(best).map((b) => b.n));
  const direct = await runStep("direct", baseN);
  console.log(`${"direct".padEnd(9)} ${fmt(direct)}  (no relay: the generator's own latency)`);
  console.log("");
  for (const impl of Object.keys(results)) {
    const b = best[impl];
    if (b === undefined) console.log(`${impl}: loss >= 0.1 % already at ${steps[0]} calls`);
    else {
      const capped = results[impl].length === steps.filter((s) => s >= steps[0]).length && b.n === steps[steps.length - 1];
      console.log(`${impl}: largest N under 0.1 % loss = ${b.n}${capped ? "+ (top step)" : ""} calls (${b.n * 100} pkt/s), p99 ${b.p99.toFixed(2)} ms through the relay, ~${Math.max(0, b.p99 - direct.p99).toFixed(2)} ms added over direct (direct p99 at ${baseN}: ${direct.p99.toFixed(2)} ms)`);
    }
  }
  for (const impl of Object.keys(results)) {
    const f = bestFast[impl];
    console.log(`${impl}: largest N under 0.1 % loss with p99 < 1 ms through the relay = ${f === undefined ? "none" : `${f.n} (p99 ${f.p99.toFixed(2)} ms)`}`);
  }
  const at = (impl, n) => results[impl]?.find((r) => r.n === n);
  const goal = 500;
  for (const impl of Object.keys(results)) {
    const r = at(impl, goal);
    console.log(`${impl} at the goal's ${goal} calls: ${r === undefined ? "not reached" : `loss ${(r.loss * 100).toFixed(3)} %, probe p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms`}`);
  }
  if (best.ours !== undefined && best.rtpengine !== undefined) {
    const g = [at("ours", goal), at("rtpengine", goal)];
    const p99 = g[0] !== undefined && g[1] !== undefined ? `, p99 at ${goal} calls ${(g[0].p99 / g[1].p99).toFixed(2)}x` : "";
    console.log(`ratio ours/rtpengine-userspace: largest N ${(best.ours.n / best.rtpengine.n).toFixed(2)}x${p99}`);
  }
} finally {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGTERM");
  rmSync(dir, { recursive: true, force: true });
}
