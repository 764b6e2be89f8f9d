/**
 * `npm run lab [-- --capture lab.pcap] [--config config/lab.json] [--log-level debug] [--no-media]`:
 * brings up every node of the IMS lab, each as its own process on its own address, waits until
 * all are ready, prints the table and the client settings, and stops everything on Ctrl-C.
 * `--no-media` leaves the media relay out (RTP then flows between the UEs directly).
 */
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { loadLabConfig } from "./config.js";
import { clientSettings, statusTable } from "./client-settings.js";
import { LabSupervisor } from "./supervisor.js";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      config: { type: "string", default: "config/lab.json" },
      capture: { type: "string" },
      "log-level": { type: "string" },
      "no-media": { type: "boolean", default: false },
    },
  });
  const configPath = resolve(values.config);
  const loaded = loadLabConfig(configPath);
  const config = values["no-media"] ? { ...loaded, rtp: { ...loaded.rtp, enabled: false } } : loaded;
  let lab: LabSupervisor | undefined;
  const shutdown = async (code: number): Promise<void> => {
    await lab?.stop();
    process.exit(code);
  };
  lab = new LabSupervisor({
    configPath,
    config,
    ...(values.capture === undefined ? {} : { capture: resolve(values.capture) }),
    ...(values["log-level"] === undefined ? {} : { logLevel: values["log-level"] }),
    onNodeDied: (spec, code) => {
      process.stderr.write(`\nlab: ${spec.name} (${spec.role}) died (exit code ${String(code)}); stopping the lab\n`);
      void shutdown(1);
    },
  });
  process.on("SIGINT", () => {
    process.stdout.write("\nlab: stopping\n");
    void shutdown(0);
  });
  process.on("SIGTERM", () => void shutdown(0));
  const nodes = await lab.start();
  process.stdout.write(`${statusTable(nodes, config)}\n\n${clientSettings(config)}\n`);
  if (values.capture !== undefined) process.stdout.write(`\nCapturing to ${values.capture}\n`);
  process.stdout.write("\nCtrl-C stops the lab.\n");
}

main().catch((e: unknown) => {
  process.stderr.write(`lab: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
