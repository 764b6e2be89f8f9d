/**
 * The entry point of one lab node's process: `node node-process.js <role> <name>`, forked by the
 * supervisor with the config path in LAB_CONFIG. It starts the node, says "ready" over IPC, and
 * stops cleanly when told to (or on SIGTERM).
 */
import { nodeLogger, type PacketTap } from "@ims/runtime";
import { loadLabConfig } from "./config.js";
import type { FromNode, ToNode } from "./ipc.js";
import { labNodes } from "./nodes.js";
import { starters, type RunningNode } from "./starters.js";

function send(message: FromNode): void {
  process.send?.(message);
}

async function main(): Promise<void> {
  const [role, name] = process.argv.slice(2);
  const configPath = process.env["LAB_CONFIG"];
  if (configPath === undefined) throw new Error("LAB_CONFIG is not set");
  const loaded = loadLabConfig(configPath);
  const config = process.env["LAB_MEDIA"] === "off" ? { ...loaded, rtp: { ...loaded.rtp, enabled: false } } : loaded;
  const spec = labNodes(config).find((n) => n.role === role && n.name === name);
  if (spec === undefined) throw new Error(`no node ${role}/${name} in ${configPath}`);
  const starter = starters[spec.role];
  if (starter === undefined) throw new Error(`the ${spec.role} node is not part of this build`);
  const logger = nodeLogger(spec.name);
  const tap: PacketTap | undefined =
    process.env["LAB_CAPTURE"] === "1"
      ? (p) =>
          send({
            type: "packet",
            transport: p.transport,
            direction: p.direction,
            src: p.src,
            dst: p.dst,
            time: p.time ?? Date.now(),
            data: Buffer.from(p.data).toString("base64"),
          })
      : undefined;

  const node: RunningNode = await starter({ config, spec, logger, tap });
  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    try {
      await node.stop();
    } finally {
      process.exit(0);
    }
  };
  process.on("message", (m: ToNode) => {
    if (m.type === "stop") void stop();
  });
  process.on("SIGTERM", () => void stop());
  process.on("SIGINT", () => {
    /* the supervisor coordinates Ctrl-C */
  });
  process.on("disconnect", () => void stop());
  send({ type: "ready", state: node.state() });
}

main().catch((e: unknown) => {
  const reason = e instanceof Error ? e.message : String(e);
  send({ type: "failed", reason });
  process.stderr.write(`${reason}\n`);
  process.exit(1);
});
