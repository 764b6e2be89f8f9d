import type { Logger, PacketTap } from "@ims/runtime";
import type { LabConfig } from "./config.js";
import type { NodeSpec, Role } from "./nodes.js";

/** A started node, as the lab sees it. */
export interface RunningNode {
  /** One word for the table: "ready", "open" (Diameter peers up)... */
  state(): string;
  /** Stops cleanly: DPR to Diameter peers, sockets closed. */
  stop(): Promise<void>;
}

export interface StartContext {
  readonly config: LabConfig;
  readonly spec: NodeSpec;
  readonly logger: Logger;
  readonly tap: PacketTap | undefined;
}

export type Starter = (ctx: StartContext) => Promise<RunningNode>;

/**
 * How each role is started inside its process. Each entry maps the lab config onto the node
 * package's own start function; the node packages know nothing of the lab.
 */
export const starters: Partial<Record<Role, Starter>> = {};
