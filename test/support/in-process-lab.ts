/**
 * The lab's nodes started in one process through the lab's own starters, on their own 127.5.x.y
 * addresses, with one packet tap shared by all: a test asserts on what crossed the wire at each hop.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type LabConfig, labNodes, loadLabConfig, parseLabConfig, starters } from "@ims/lab";
import { type Logger, type TappedPacket, silentLogger } from "@ims/runtime";

const shippedConfig = fileURLToPath(new URL("../../config/lab.json", import.meta.url));

export interface InProcessLab {
  readonly config: LabConfig;
  /** Every packet, once: what a node sent, and what it received from outside the lab. */
  readonly wire: TappedPacket[];
  stop(): Promise<void>;
}

/**
 * A copy of config/lab.json moved to 127.5.<net>.x, DNS on port 5353, the HSS database in a temp dir.
 * Media anchoring stays as shipped with `{ media: "shipped" }`; otherwise it is off, since most
 * in-process labs start no relay (test/media turns it on with its own relay).
 */
export function testLabConfig(net: number, options: { media?: "shipped" } = {}): LabConfig {
  const { baseDir: shippedDir, ...base } = loadLabConfig(shippedConfig);
  const move = (address: string): string => `127.5.${net}.${address.split(".")[3] ?? "1"}`;
  const dir = mkdtempSync(join(tmpdir(), "ims-lab-"));
  return parseLabConfig(
    {
      ...base,
      dns: { ...base.dns, address: move(base.dns.address), port: 5353 },
      hss: { ...base.hss, address: move(base.hss.address), httpPort: 8081, database: join(dir, "hss.sqlite"), subscribers: join(shippedDir, base.hss.subscribers) },
      icscf: { ...base.icscf, address: move(base.icscf.address) },
      scscf: base.scscf.map((s) => ({ ...s, address: move(s.address) })),
      pcscf: base.pcscf.map((p) => ({ ...p, address: move(p.address) })),
      rtp: { ...base.rtp, address: move(base.rtp.address), ...(options.media === "shipped" ? {} : { enabled: false }) },
      ues: base.ues.map((u) => ({ ...u, address: move(u.address) })),
    },
    "test lab",
    dir,
  );
}

export interface InProcessLabOptions {
  /** The nodes' logger (each node gets a child named after it); default silent. */
  readonly logger?: Logger;
  /** false: keep no packets in `wire` (long fuzz runs measure the nodes' memory, not the tap's). */
  readonly recordWire?: boolean;
}

export async function startInProcessLab(
  config: LabConfig,
  roles = ["dns", "hss", "scscf", "icscf", "pcscf"],
  options: InProcessLabOptions = {},
): Promise<InProcessLab> {
  const wire: TappedPacket[] = [];
  const nodeAddresses = new Set(labNodes(config).map((n) => n.address));
  const tap = (p: TappedPacket): void => {
    if (options.recordWire === false) return;
    if (p.direction === "in" && nodeAddresses.has(p.src.address)) return;
    wire.push({ ...p, data: Buffer.from(p.data), time: p.time ?? Date.now() });
  };
  const running: { stop(): Promise<void> }[] = [];
  const stop = async (): Promise<void> => {
    for (const n of running.reverse()) await n.stop();
    rmSync(config.baseDir, { recursive: true, force: true });
  };
  try {
    for (const spec of labNodes(config)) {
      if (!roles.includes(spec.role)) continue;
      const start = starters[spec.role];
      if (start === undefined) throw new Error(`no starter for ${spec.role}`);
      running.push(await start({ config, spec, logger: options.logger?.child({ node: spec.name }) ?? silentLogger(), tap }));
    }
  } catch (e) {
    await stop();
    throw e;
  }
  return { config, wire, stop };
}
