// What a long-lived table of short-lived values costs the garbage collector: a Map against the
// runtime's InFlightMap. Values come and go as transactions in flight do (each holds a ~10 KB object
// graph, like a parsed SIP message, and leaves the table 5 ms after it came); the script runs each
// variant in a child process under --trace-gc-nvp and sums what V8's scavenges report:
// bytes copied (survived) and promoted to the old generation per 1,000 values, and pause time.
// With a Map most values are promoted although none lives past 5 ms: the stale tables a rehash
// leaves in the old generation keep them reachable for the scavenger until a full collection.
//
//   npx tsc -b packages/runtime && node bench/map-churn.mjs [--rate 2000] [--seconds 6]
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const { values: opt } = parseArgs({
  options: { rate: { type: "string", default: "2000" }, seconds: { type: "string", default: "6" }, child: { type: "string" } },
});
const RATE = Number(opt.rate);
const SECONDS = Number(opt.seconds);
const LIFE_MS = 5;

function message(i) {
  const headers = [];
  for (let h = 0; h < 20; h++) headers.push({ name: `Header-${h}`, value: `value ${i} ${h} ${Math.random()}`, parsed: { params: [h, i], text: `p${h}` } });
  return { headers, text: `${"x".repeat(600)}${i}` };
}

async function child(kind) {
  const { InFlightMap } = await import("@ims/runtime");
  const table = kind === "Map" ? new Map() : new InFlightMap();
  let seq = 0;
  const perMs = RATE / 1000;
  const timer = setInterval(() => {
    for (let i = 0; i < perMs; i++) {
      const key = `tx-${seq++}`;
      table.set(key, { key, message: message(seq) });
      setTimeout(() => table.delete(key), LIFE_MS);
    }
  }, 1);
  setTimeout(() => {
    clearInterval(timer);
    process.stdout.write(`values ${seq}\n`);
  }, SECONDS * 1000);
}

function run(kind) {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ["--trace-gc-nvp", fileURLToPath(import.meta.url), "--child", kind, "--rate", String(RATE), "--seconds", String(SECONDS)], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    p.stdout.on("data", (d) => (out += d));
    p.on("error", reject);
    p.on("close", () => {
      let survived = 0, promoted = 0, pause = 0, scavenges = 0, values = 0;
      for (const line of out.split("\n")) {
        if (line.startsWith("values ")) values = Number(line.slice(7));
        if (!line.includes(" gc=s ")) continue;
        const f = Object.fromEntries(line.split(" ").filter((w) => w.includes("=")).map((w) => w.split("=")));
        scavenges++;
        survived += Number(f.new_space_survived ?? 0);
        promoted += Number(f.promoted ?? 0);
        pause += Number(f.pause ?? 0);
      }
      resolve({ kind, values, scavenges, survived, promoted, pause });
    });
  });
}

if (opt.child !== undefined) await child(opt.child);
else {
  console.log(`${RATE} values/s for ${SECONDS} s, each in the table for ${LIFE_MS} ms`);
  const rows = [];
  for (const kind of ["Map", "InFlightMap", "Map", "InFlightMap"]) {
    const r = await run(kind);
    rows.push(r);
    const per = (b) => ((b / r.values) * 1000) / 1e6;
    console.log(
      `${kind.padEnd(12)} ${String(r.scavenges).padStart(4)} scavenges  survived ${per(r.survived).toFixed(2)} MB  promoted ${per(r.promoted).toFixed(2)} MB per 1,000 values  scavenge pauses ${r.pause.toFixed(0)} ms`,
    );
  }
  const sum = (k, f) => rows.filter((r) => r.kind === k).reduce((a, r) => a + r[f] / r.values, 0);
  console.log(`promoted: InFlightMap ${(sum("InFlightMap", "promoted") / sum("Map", "promoted")).toFixed(2)}x the Map's`);
}
