import { spawnSync } from "node:child_process";

/** True when an external program (sipp, tshark, dig, mysqld...) can be run from PATH. */
export function toolAvailable(command: string): boolean {
  const r = spawnSync("sh", ["-c", `command -v ${command}`], { stdio: "ignore" });
  return r.status === 0;
}

/**
 * For tests that drive a third-party tool: returns true when the tool is present; when absent it
 * returns false on a developer machine (the test skips) and throws when CI=true, where .ci/run
 * installs every tool and a skip would hide a failure.
 */
export function requireTool(command: string): boolean {
  if (toolAvailable(command)) return true;
  if (process.env["CI"] === "true") {
    throw new Error(`${command} is required in CI (CI=true) but is not on PATH; .ci/run should install it`);
  }
  return false;
}
