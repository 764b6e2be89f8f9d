import { fork, type ChildProcess } from "node:child_process";
import { createWriteStream, type WriteStream } from "node:fs";
import { fileURLToPath } from "node:url";
import { PcapWriter } from "@ims/runtime";
import type { LabConfig } from "./config.js";
import { isFromNode, type ToNode } from "./ipc.js";
import { labNodes, nodeAddresses, type NodeSpec } from "./nodes.js";

// The node processes always run the built entry point (dist/), also when the supervisor itself is
// loaded from its TypeScript source (tests).
const nodeProcess = fileURLToPath(
  import.meta.url.endsWith(".ts") ? new URL("../dist/node-process.js", import.meta.url) : new URL("./node-process.js", import.meta.url),
);

export interface LabOptions {
  readonly configPath: string;
  readonly config: LabConfig;
  /** Write every SIP, Diameter and DNS packet of the lab to this pcap file. */
  readonly capture?: string;
  readonly logLevel?: string;
  /** Milliseconds a node has to become ready. */
  readonly startTimeout?: number;
  /** Called when a node dies after start-up; the lab is then stopped. */
  readonly onNodeDied?: (spec: NodeSpec, code: number | null) => void;
}

export interface NodeStatus {
  readonly spec: NodeSpec;
  readonly state: string;
  readonly pid: number | undefined;
}

interface Child {
  readonly spec: NodeSpec;
  readonly process: ChildProcess;
  state: string;
  stderr: string;
}

/**
 * V8 heap settings of every node process: the old generation starts with room for 64 MB. V8's
 * default starts near 20 MB and grows one Mark-Compact at a time, to about 1.2x what is live. A
 * node that goes from idle to 1,000 registrations/s builds up ~30 MB of Timer J and registration
 * state; with the default, the CSCFs ran a burst of Mark-Compacts at once, each ~100 ms of marking
 * on a 2-core machine, and the registrations of that second took 100-200 ms. Not more than 64: at
 * 300 calls/s the CSCFs hold over 100 MB of INVITE transactions (Timer L/M, 32 s), and a first
 * Mark-Compact at 96 or 128 MB marked all of it at once (calls' p99 set-up time 100-150 ms against
 * 32-48 ms). Memory is committed as it is used, not up front.
 */
const NODE_HEAP_FLAGS = ["--initial-old-space-size=64"];

/** Starts every node of the lab as its own process, in order, each waiting for the previous to be ready. */
export class LabSupervisor {
  private readonly children: Child[] = [];
  private capture: { writer: PcapWriter; out: WriteStream; labAddresses: Set<string> } | undefined;
  private stopping = false;

  constructor(private readonly options: LabOptions) {}

  async start(): Promise<NodeStatus[]> {
    if (this.options.capture !== undefined) {
      const writer = new PcapWriter();
      const out = createWriteStream(this.options.capture);
      out.write(writer.header());
      this.capture = { writer, out, labAddresses: nodeAddresses(this.options.config) };
    }
    for (const spec of labNodes(this.options.config)) {
      try {
        await this.startNode(spec);
      } catch (e) {
        await this.stop();
        throw e;
      }
    }
    return this.status();
  }

  status(): NodeStatus[] {
    return this.children.map((c) => ({ spec: c.spec, state: c.state, pid: c.process.pid }));
  }

  /** Stops the nodes in reverse start order (CSCFs first, so they say DPR while the HSS listens). */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    for (const child of [...this.children].reverse()) await stopChild(child);
    if (this.capture !== undefined) {
      const out = this.capture.out;
      await new Promise<void>((resolve) => out.end(resolve));
    }
  }

  private startNode(spec: NodeSpec): Promise<void> {
    // LAB_NODE_ARGS passes Node flags to every node process, e.g. "--cpu-prof --cpu-prof-dir=prof";
    // they come after NODE_HEAP_FLAGS, so they can override them.
    const nodeArgs = process.env["LAB_NODE_ARGS"]?.split(" ").filter((a) => a.length > 0);
    const proc = fork(nodeProcess, [spec.role, spec.name], {
      execArgv: [...NODE_HEAP_FLAGS, ...(nodeArgs ?? process.execArgv)],
      env: {
        ...process.env,
        LAB_CONFIG: this.options.configPath,
        LOG_LEVEL: this.options.logLevel ?? process.env["LOG_LEVEL"] ?? "warn",
        LAB_CAPTURE: this.capture === undefined ? "0" : "1",
        // `npm run lab -- --no-media` turns the relay off in the supervisor's copy of the config only.
        LAB_MEDIA: this.options.config.rtp.enabled ? "on" : "off",
      },
      stdio: ["ignore", "inherit", "pipe", "ipc"],
    });
    const child: Child = { spec, process: proc, state: "starting", stderr: "" };
    this.children.push(child);
    proc.stderr?.on("data", (d: Buffer) => {
      child.stderr = (child.stderr + d.toString()).slice(-4000);
      process.stderr.write(d);
    });
    proc.on("message", (m: unknown) => {
      if (!isFromNode(m) || m.type !== "packet" || this.capture === undefined) return;
      // A packet between two lab nodes is tapped by both; keep the sender's copy only.
      if (m.direction === "in" && this.capture.labAddresses.has(m.src.address)) return;
      const data = Buffer.from(m.data, "base64");
      for (const r of this.capture.writer.records({ ...m, data })) this.capture.out.write(r);
    });
    return new Promise<void>((resolve, reject) => {
      const timeout = setTimeout(() => {
        reject(new Error(`${spec.name} (${spec.role}) did not become ready in time\n${child.stderr}`));
      }, this.options.startTimeout ?? 20_000);
      const onMessage = (m: unknown): void => {
        if (!isFromNode(m)) return;
        if (m.type === "ready") {
          child.state = m.state;
          clearTimeout(timeout);
          proc.off("message", onMessage);
          resolve();
        } else if (m.type === "failed") {
          clearTimeout(timeout);
          reject(new Error(`${spec.name} (${spec.role}) failed to start: ${m.reason}`));
        }
      };
      proc.on("message", onMessage);
      proc.once("exit", (code) => {
        clearTimeout(timeout);
        child.state = "exited";
        if (!this.stopping) {
          reject(new Error(`${spec.name} (${spec.role}) exited with code ${String(code)}\n${child.stderr}`));
          this.options.onNodeDied?.(spec, code);
        }
      });
    });
  }
}

async function stopChild(child: Child): Promise<void> {
  const proc = child.process;
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
  const stop: ToNode = { type: "stop" };
  if (proc.connected) proc.send(stop);
  else proc.kill("SIGTERM");
  const timer = setTimeout(() => proc.kill("SIGKILL"), 5_000);
  await exited;
  clearTimeout(timer);
  child.state = "stopped";
}
