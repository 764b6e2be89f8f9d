/**
 * Starts the whole lab as processes (LabSupervisor, from the built dist: it forks dist/node-process.js)
 * with a config derived from a template in this directory: the HSS database in a fresh temp dir,
 * the subscribers file made absolute, so runs never share state.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { type LabConfig, LabSupervisor, labNodes, loadLabConfig } from "../../packages/lab/dist/index.js";
import { starters } from "../../packages/lab/dist/starters.js";
import { interopDir } from "./sipp.js";

export interface RunningLab {
  readonly lab: LabSupervisor;
  readonly config: LabConfig;
  /** Temp dir holding the config copy, the database and (when asked) the capture. */
  readonly dir: string;
  readonly capture: string | undefined;
}

/** Writes the config copy and returns its path. */
export function labConfigFile(template: string, dir: string, overrides: (json: Record<string, unknown>) => void = () => {}): string {
  const json = JSON.parse(readFileSync(resolve(interopDir, template), "utf8")) as Record<string, unknown>;
  const hss = json["hss"] as { database: string; subscribers: string };
  hss.database = join(dir, "hss.sqlite");
  hss.subscribers = resolve(interopDir, hss.subscribers);
  overrides(json);
  const path = join(dir, "lab.json");
  writeFileSync(path, `${JSON.stringify(json, null, 2)}\n`);
  return path;
}

/**
 * The lab of the template can start in this build: its config is valid for this build's schema and
 * every role has a starter (the CSCFs land one by one).
 */
export function labBuildComplete(template: string): boolean {
  let config: LabConfig;
  try {
    config = loadLabConfig(resolve(interopDir, template));
  } catch {
    return false;
  }
  return labNodes(config).every((n) => starters[n.role] !== undefined);
}

export async function startLab(template: string, options: { capture?: boolean; logLevel?: string } = {}): Promise<RunningLab> {
  const dir = mkdtempSync(join(tmpdir(), "ims-interop-lab-"));
  const configPath = labConfigFile(template, dir);
  const config = loadLabConfig(configPath);
  const capture = options.capture === true ? join(dir, "lab.pcap") : undefined;
  const lab = new LabSupervisor({
    configPath,
    config,
    ...(capture === undefined ? {} : { capture }),
    logLevel: options.logLevel ?? "warn",
    startTimeout: 15_000,
  });
  await lab.start();
  return { lab, config, dir, capture };
}
