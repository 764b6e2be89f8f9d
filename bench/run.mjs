// `npm run bench [-- name ...]`: builds nothing (run `npm run build` first) and runs the named
// benchmarks of this folder one after the other, or lists them when none is named.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

const dir = fileURLToPath(new URL(".", import.meta.url));
const all = readdirSync(dir)
  .filter((f) => f.endsWith(".mjs") && f !== "run.mjs" && !f.startsWith(".") && f !== "lib")
  .map((f) => f.slice(0, -4))
  .sort();
const wanted = process.argv.slice(2);
if (wanted.length === 0) {
  console.log(`benchmarks: ${all.join(", ")}\nrun one: npm run build && npm run bench -- <name> [<name>...]`);
  process.exit(0);
}
for (const name of wanted) {
  if (!all.includes(name)) {
    console.error(`no benchmark "${name}"; there are: ${all.join(", ")}`);
    process.exit(2);
  }
  console.log(`\n== ${name} ==`);
  const r = spawnSync(process.execPath, [`${dir}${name}.mjs`], { stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
