import type { DiameterMessage } from "../codec/index.js";

/** Peer states, named as in the RFC 6733 §5.6 state table. */
export const PEER_STATES = [
  "Closed",
  "Wait-Conn-Ack",
  "Wait-I-CEA",
  "Wait-Conn-Ack/Elect",
  "Wait-Returns",
  "R-Open",
  "I-Open",
  "Closing",
] as const;
export type PeerState = (typeof PEER_STATES)[number];

/** RFC 3539 §3.4.1 watchdog status of an open connection. */
export type WatchdogStatus = "OKAY" | "SUSPECT" | "DOWN";

/** Disconnect-Cause values (RFC 6733 §5.4.3). */
export const DISCONNECT_CAUSE = { REBOOTING: 0, BUSY: 1, DO_NOT_WANT_TO_TALK_TO_YOU: 2 } as const;
export type DisconnectCauseName = keyof typeof DISCONNECT_CAUSE;

/** Base-protocol command codes the peer layer handles itself (RFC 6733 §5.3–5.5). */
export const BASE_COMMAND = { CER: 257, DWR: 280, DPR: 282 } as const;

/** An application a node supports, as advertised in CER/CEA (RFC 6733 §5.3.1, §6.11). */
export interface ApplicationId {
  /** Set for Vendor-Specific-Application-Id; absent for a plain Auth/Acct-Application-Id. */
  readonly vendorId?: number;
  readonly authApplicationId?: number;
  readonly acctApplicationId?: number;
}

/** The relay application id (RFC 6733 §2.4): a relay supports every application. */
export const RELAY_APPLICATION_ID = 0xffffffff;

/** What this node says about itself in CER/CEA. */
export interface LocalIdentity {
  readonly originHost: string;
  readonly originRealm: string;
  /** Host-IP-Address AVPs (at least one). */
  readonly hostIpAddresses: readonly string[];
  /** Vendor-Id of the implementation (0 when none). */
  readonly vendorId: number;
  readonly productName: string;
  readonly firmwareRevision?: number;
  readonly originStateId: number;
  readonly supportedVendorIds: readonly number[];
  readonly applications: readonly ApplicationId[];
}

/** What a peer said about itself in its CER or CEA. */
export interface PeerCapabilities {
  readonly originHost: string;
  readonly originRealm: string;
  readonly hostIpAddresses: readonly string[];
  readonly vendorId: number;
  readonly productName: string;
  readonly applications: readonly ApplicationId[];
  /** Application ids both sides support (RELAY_APPLICATION_ID on either side matches all of the other's). */
  readonly commonApplicationIds: readonly number[];
  /** True when the peer is a relay (advertised 0xffffffff): it takes every application. */
  readonly relay: boolean;
}

/** Timers of one peer, in milliseconds. */
export interface PeerTimers {
  /** RFC 3539 Tw: watchdog interval (default 30 s, at least 6 s per RFC 3539 §3.4.1; shorter only in tests). */
  readonly twMs: number;
  /** Jitter applied to Tw, uniformly in ±twJitterMs (RFC 3539: ±2 s). */
  readonly twJitterMs: number;
  /** RFC 6733 §2.1 Tc: reconnect interval (default 30 s). */
  readonly tcMs: number;
  /** How long Wait-Conn-Ack, Wait-I-CEA, Wait-Conn-Ack/Elect and Wait-Returns may last. */
  readonly ceaTimeoutMs: number;
  /** How long Closing waits for the DPA. */
  readonly dpaTimeoutMs: number;
}

export const DEFAULT_PEER_TIMERS: PeerTimers = {
  twMs: 30_000,
  twJitterMs: 2_000,
  tcMs: 30_000,
  ceaTimeoutMs: 10_000,
  dpaTimeoutMs: 5_000,
};

/** Identifies one transport connection; unique within a node (the node hands out the numbers). */
export type ConnId = number;

/** Events the I/O layer (or the node) feeds to a peer state machine. */
export type PeerEvent =
  /** Start: open the I-connection if this peer is one we connect to; enables reconnects. */
  | { readonly type: "start" }
  /** Stop: send DPR (in an open state) and stay closed. */
  | { readonly type: "stop"; readonly cause: DisconnectCauseName }
  /** I-Rcv-Conn-Ack: the connection the `connect` action asked for is up. */
  | { readonly type: "conn-ack"; readonly conn: ConnId }
  /** I-Rcv-Conn-Nack: it failed. */
  | { readonly type: "conn-nack"; readonly conn: ConnId; readonly reason: string }
  /** R-Conn-CER: an accepted connection whose first message is a CER from this peer. */
  | { readonly type: "r-conn-cer"; readonly conn: ConnId; readonly cer: DiameterMessage }
  /** A decoded message on one of this peer's connections. */
  | { readonly type: "message"; readonly conn: ConnId; readonly message: DiameterMessage }
  /** Some message arrived on `conn` (counted as traffic for the watchdog even if it did not decode). */
  | { readonly type: "traffic"; readonly conn: ConnId }
  /** Peer-Disc: the connection closed or failed. */
  | { readonly type: "peer-disc"; readonly conn: ConnId };

/** What the state machine asks its I/O layer to do. */
export type PeerAction =
  /** Open a transport connection to the peer and report conn-ack/conn-nack with this id. */
  | { readonly type: "connect"; readonly conn: ConnId }
  | { readonly type: "send"; readonly conn: ConnId; readonly message: DiameterMessage }
  | { readonly type: "close"; readonly conn: ConnId }
  /** An application message (anything but CER/CEA, DWR/DWA, DPR/DPA) received in an open state. */
  | { readonly type: "deliver"; readonly conn: ConnId; readonly message: DiameterMessage }
  | { readonly type: "state"; readonly from: PeerState; readonly to: PeerState; readonly reason: string }
  | { readonly type: "watchdog"; readonly status: WatchdogStatus };
