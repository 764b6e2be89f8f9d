// What the SIPp-driven benchmarks (register, calls) share: running SIPp, reading its -trace_stat and
// -trace_rtt files, percentiles, and the CPU a lab node process used (from /proc).
import { spawn } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

/** Runs a command (SIPp), keeping the tail of its stderr; resolves with its exit code. */
export function run(cmd, args, cwd) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr = (stderr + d.toString()).slice(-2000)));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stderr }));
  });
}

/** Last line of a SIPp -trace_stat file (stats.csv in `dir`), by column name. */
export function lastStats(dir) {
  const lines = readFileSync(join(dir, "stats.csv"), "utf8").trim().split("\n");
  const head = lines[0].split(";");
  const last = lines[lines.length - 1].split(";");
  const col = (name) => Number(last[head.indexOf(name)]);
  return { successful: col("SuccessfulCall(C)"), failed: col("FailedCall(C)"), created: col("TotalCallCreated") };
}

/** Every response time (ms) of the scenario's rtd="1" timer from SIPp's -trace_rtt files in `dir`. */
export function rtts(dir) {
  const out = [];
  for (const f of readdirSync(dir).filter((n) => n.endsWith("_rtt.csv"))) {
    for (const line of readFileSync(join(dir, f), "utf8").split("\n").slice(1)) {
      const [, ms, rtd] = line.split(";");
      if (rtd === "1") out.push(Number(ms));
    }
  }
  return out;
}

/** The p-th percentile of an ascending array (nearest rank). */
export const pct = (sorted, p) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]);

/** CPU seconds used so far by one process (utime + stime from /proc, 100 ticks/s); 0 once it exited. */
export function cpuOf(pid) {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return 0;
  }
}
