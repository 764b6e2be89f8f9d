import type { InFlightMap, Result, TimerHandle } from "@ims/runtime";
import type { DiameterMessage } from "../codec/index.js";
import type { PeerCapabilities, PeerState, PeerStateMachine, WatchdogStatus } from "../peer/index.js";
import type { DiameterStream } from "../transport/index.js";
import type { PeerConfig } from "./config.js";
import type { DiameterRequestError } from "./errors.js";

/** Something that happened to a peer, for readiness and monitoring. */
export type NodeEvent =
  | { readonly type: "peer-state"; readonly peer: string; readonly from: PeerState; readonly to: PeerState; readonly reason: string }
  | { readonly type: "peer-watchdog"; readonly peer: string; readonly status: WatchdogStatus };

export interface PeerStatus {
  readonly host: string;
  readonly state: PeerState;
  readonly watchdog: WatchdogStatus;
  readonly capabilities: PeerCapabilities | undefined;
}

export interface RequestOptions {
  /** Overrides the node's requestTimeoutMs. */
  readonly timeoutMs?: number;
  /** Send to this peer (its Diameter identity) instead of routing by Destination-Host/Realm. */
  readonly peer?: string;
}

export interface Pending {
  readonly resolve: (r: Result<DiameterMessage, DiameterRequestError>) => void;
  /** Set by the TimeoutQueue. */
  deadline: number;
  settled: boolean;
  readonly timeoutMs: number;
  readonly endToEnd: number;
  /** As given to `request` (sent with the R flag and `hopByHop`), for a retransmission after failover. */
  readonly message: DiameterMessage;
  /** The caller chose the peer: no failover. */
  readonly forced: boolean;
  /** Where it is pending now. */
  peer: PeerEntry;
  hopByHop: number;
  failedOver: boolean;
}

export interface PeerEntry {
  readonly host: string;
  readonly config: PeerConfig | undefined;
  readonly fsm: PeerStateMachine;
  /** Requests sent to this peer awaiting their answer, by Hop-by-Hop Identifier. */
  readonly pending: InFlightMap<number, Pending>;
}

export interface ConnEntry {
  stream: DiameterStream | undefined;
  peer: PeerEntry | undefined;
  cerTimer: TimerHandle | undefined;
  /** How answers to the requests of `peer` on this connection are sent (made once). */
  reply?: { readonly peer: PeerEntry; readonly send: (bytes: Uint8Array) => void } | undefined;
}
