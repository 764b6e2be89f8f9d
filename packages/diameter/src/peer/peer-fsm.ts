import type { Clock, TimerHandle } from "@ims/runtime";
import { type DiameterMessage, type IdGenerator, CMD_FLAG, getValue } from "../codec/index.js";
import { PEER_RESULT, buildCea, buildCer, buildDpa, buildDpr, buildDwa, buildDwr, readCapabilities, winsElection } from "./capabilities.js";
import {
  type ConnId,
  type DisconnectCauseName,
  type LocalIdentity,
  type PeerAction,
  type PeerCapabilities,
  type PeerEvent,
  type PeerState,
  type PeerTimers,
  type WatchdogStatus,
  BASE_COMMAND,
  DEFAULT_PEER_TIMERS,
} from "./types.js";
import { Watchdog } from "./watchdog.js";

export interface PeerOptions {
  readonly local: LocalIdentity;
  /** The peer's Diameter identity (its Origin-Host). */
  readonly peerHost: string;
  /** True: open connections to the peer (and reconnect every Tc); false: only accept its connections. */
  readonly connect: boolean;
  readonly clock: Clock;
  readonly timers?: Partial<PeerTimers>;
  /** Hop-by-hop/end-to-end ids for CER, DWR, DPR (the node's generator). */
  readonly ids: IdGenerator;
  /** Allocates an id for a new outgoing connection. */
  readonly nextConnId: () => ConnId;
  /** Source of jitter (default Math.random). */
  readonly random?: () => number;
  /** Receives every action, synchronously, in order. */
  readonly emit: (action: PeerAction) => void;
  /**
   * When set, receives the application messages (what would be `deliver` actions) instead of `emit`,
   * without an action object per message; ordering with the other actions is unchanged (synchronous).
   */
  readonly deliver?: (conn: ConnId, message: DiameterMessage) => void;
}

/** RFC 6733 §5.4.3: after a DPR, only REBOOTING invites a prompt reconnect; other causes back off. */
const BACKOFF_AFTER_DPR: Readonly<Record<DisconnectCauseName, number>> = { REBOOTING: 1, BUSY: 4, DO_NOT_WANT_TO_TALK_TO_YOU: 4 };
const CAUSE_BY_VALUE: Readonly<Record<number, DisconnectCauseName>> = { 0: "REBOOTING", 1: "BUSY", 2: "DO_NOT_WANT_TO_TALK_TO_YOU" };

function isCommand(m: DiameterMessage, code: number, request: boolean): boolean {
  return m.commandCode === code && ((m.flags & CMD_FLAG.R) !== 0) === request;
}

/**
 * The RFC 6733 §5.6 peer state machine for one peer, pure: events in (`handle`), actions out
 * (`emit`), time from the injected clock. It keeps the I- (initiator) and R- (responder) connection
 * ids apart as the RFC table does, runs the election of §5.6.4, the RFC 3539 watchdog in the open
 * states, and Tc reconnects while started.
 */
export class PeerStateMachine {
  private current: PeerState = "Closed";
  private iConn: ConnId | undefined;
  private rConn: ConnId | undefined;
  /** The CER received on the R-connection while an election is pending. */
  private heldCer: DiameterMessage | undefined;
  private caps: PeerCapabilities | undefined;
  private started = false;
  private stateTimer: TimerHandle | undefined;
  private reconnectTimer: TimerHandle | undefined;
  private readonly timers: PeerTimers;
  private readonly watchdog: Watchdog;

  constructor(private readonly o: PeerOptions) {
    this.timers = { ...DEFAULT_PEER_TIMERS, ...o.timers };
    this.watchdog = new Watchdog(o.clock, this.timers.twMs, this.timers.twJitterMs, o.random ?? Math.random, {
      sendDwr: () => this.sendOpen(buildDwr(o.local, o.ids.next())),
      status: (s) => this.onWatchdog(s),
    });
  }

  get state(): PeerState {
    return this.current;
  }

  get peerHost(): string {
    return this.o.peerHost;
  }

  /** What the peer advertised in its CER/CEA (set while open). */
  get capabilities(): PeerCapabilities | undefined {
    return this.caps;
  }

  get watchdogStatus(): WatchdogStatus {
    return this.watchdog.status;
  }

  /** The connection application messages go over (R-Open: the R-connection, I-Open/Closing: the one in use). */
  get openConnection(): ConnId | undefined {
    return this.current === "I-Open" ? this.iConn : this.current === "R-Open" ? this.rConn : this.current === "Closing" ? (this.iConn ?? this.rConn) : undefined;
  }

  get isOpen(): boolean {
    return this.current === "I-Open" || this.current === "R-Open";
  }

  /** Open and the watchdog is OKAY: new requests may be routed here (RFC 3539 failover). */
  get isAvailable(): boolean {
    return this.isOpen && this.watchdog.status === "OKAY";
  }

  /** Send-Message: sends in an open state; false otherwise. */
  send(message: DiameterMessage): boolean {
    const conn = this.isOpen ? this.openConnection : undefined;
    if (conn === undefined) return false;
    this.o.emit({ type: "send", conn, message });
    return true;
  }

  /** The same as `handle({ type: "message", conn, message })`, without the event object. */
  receive(conn: ConnId, message: DiameterMessage): void {
    this.onMessage(conn, message);
  }

  handle(e: PeerEvent): void {
    switch (e.type) {
      case "start":
        this.started = true;
        if (this.current === "Closed" && this.o.connect) this.connect();
        return;
      case "stop":
        this.stop(e.cause);
        return;
      case "conn-ack":
        this.onConnAck(e.conn);
        return;
      case "conn-nack":
        this.onConnNack(e.conn, e.reason);
        return;
      case "r-conn-cer":
        this.onRConnCer(e.conn, e.cer);
        return;
      case "message":
        this.onMessage(e.conn, e.message);
        return;
      case "traffic":
        if (e.conn === this.openConnection) this.watchdog.received(false);
        return;
      case "peer-disc":
        this.onPeerDisc(e.conn);
        return;
    }
  }

  private stop(cause: DisconnectCauseName): void {
    this.started = false;
    this.reconnectTimer?.cancel();
    this.reconnectTimer = undefined;
    if (this.isOpen) {
      this.sendOpen(buildDpr(this.o.local, this.o.ids.next(), cause));
      this.watchdog.stop();
      this.transition("Closing", `stop (${cause})`, this.timers.dpaTimeoutMs);
    } else if (this.current !== "Closed" && this.current !== "Closing") {
      this.toClosed("stop");
    }
  }

  private connect(): void {
    this.reconnectTimer?.cancel();
    this.reconnectTimer = undefined;
    const conn = this.o.nextConnId();
    this.iConn = conn;
    this.transition("Wait-Conn-Ack", "start", this.timers.ceaTimeoutMs);
    this.o.emit({ type: "connect", conn });
  }

  private onConnAck(conn: ConnId): void {
    if (conn !== this.iConn) {
      this.o.emit({ type: "close", conn });
      return;
    }
    if (this.current === "Wait-Conn-Ack") {
      this.o.emit({ type: "send", conn, message: buildCer(this.o.local, this.o.ids.next()) });
      this.transition("Wait-I-CEA", "I-Rcv-Conn-Ack", this.timers.ceaTimeoutMs);
    } else if (this.current === "Wait-Conn-Ack/Elect") {
      this.o.emit({ type: "send", conn, message: buildCer(this.o.local, this.o.ids.next()) });
      this.transition("Wait-Returns", "I-Rcv-Conn-Ack", this.timers.ceaTimeoutMs);
      this.elect();
    }
  }

  private onConnNack(conn: ConnId, reason: string): void {
    if (conn !== this.iConn) return;
    this.iConn = undefined;
    if (this.current === "Wait-Conn-Ack") this.toClosed(`I-Rcv-Conn-Nack: ${reason}`);
    else if (this.current === "Wait-Conn-Ack/Elect") this.acceptHeldCer(`I-Rcv-Conn-Nack: ${reason}`);
  }

  private onRConnCer(conn: ConnId, cer: DiameterMessage): void {
    const caps = readCapabilities(cer, this.o.local);
    if ("missing" in caps) {
      this.rejectCer(conn, cer, PEER_RESULT.MISSING_AVP, `missing ${caps.missing}`);
      return;
    }
    if (caps.commonApplicationIds.length === 0) {
      this.rejectCer(conn, cer, PEER_RESULT.NO_COMMON_APPLICATION, "no common application");
      return;
    }
    switch (this.current) {
      case "Closed":
        this.rConn = conn;
        this.caps = caps;
        this.o.emit({ type: "send", conn, message: buildCea(this.o.local, cer, PEER_RESULT.SUCCESS) });
        this.toOpen("R-Open", "R-Conn-CER");
        return;
      case "Wait-Conn-Ack":
        this.rConn = conn;
        this.heldCer = cer;
        this.transition("Wait-Conn-Ack/Elect", "R-Conn-CER", this.timers.ceaTimeoutMs);
        return;
      case "Wait-I-CEA":
        this.rConn = conn;
        this.heldCer = cer;
        this.transition("Wait-Returns", "R-Conn-CER", this.timers.ceaTimeoutMs);
        this.elect();
        return;
      default:
        // R-Reject: a connection already exists or is being decided.
        this.o.emit({ type: "close", conn });
    }
  }

  private rejectCer(conn: ConnId, cer: DiameterMessage, resultCode: number, reason: string): void {
    this.o.emit({ type: "send", conn, message: buildCea(this.o.local, cer, resultCode, reason) });
    this.o.emit({ type: "close", conn });
  }

  /** Elect (§5.6.4): the winner keeps the R-connection; the loser waits for the CEA on its I-connection. */
  private elect(): void {
    const peerHost = this.heldCer === undefined ? undefined : getValue(this.heldCer, "Origin-Host");
    if (peerHost === undefined || !winsElection(this.o.local.originHost, peerHost)) return;
    if (this.iConn !== undefined) this.o.emit({ type: "close", conn: this.iConn });
    this.iConn = undefined;
    this.acceptHeldCer("Win-Election");
  }

  /** R-Snd-CEA for the held CER → R-Open. */
  private acceptHeldCer(reason: string): void {
    const cer = this.heldCer;
    const conn = this.rConn;
    this.heldCer = undefined;
    if (cer === undefined || conn === undefined) {
      this.toClosed(reason);
      return;
    }
    const caps = readCapabilities(cer, this.o.local);
    this.caps = "missing" in caps ? undefined : caps;
    this.o.emit({ type: "send", conn, message: buildCea(this.o.local, cer, PEER_RESULT.SUCCESS) });
    this.toOpen("R-Open", reason);
  }

  private onMessage(conn: ConnId, m: DiameterMessage): void {
    if (conn === this.iConn && (this.current === "Wait-I-CEA" || this.current === "Wait-Returns")) {
      if (isCommand(m, BASE_COMMAND.CER, false)) this.onCea(m);
      else this.iConnFailed("I-Rcv-Non-CEA");
      return;
    }
    if (conn !== this.openConnection) return;
    this.watchdog.received(isCommand(m, BASE_COMMAND.DWR, false));
    if (m.commandCode === BASE_COMMAND.DWR) {
      if ((m.flags & CMD_FLAG.R) !== 0) this.o.emit({ type: "send", conn, message: buildDwa(this.o.local, m) });
      return;
    }
    if (m.commandCode === BASE_COMMAND.DPR) {
      if ((m.flags & CMD_FLAG.R) !== 0) {
        this.o.emit({ type: "send", conn, message: buildDpa(this.o.local, m) });
        const cause = CAUSE_BY_VALUE[getValue(m, "Disconnect-Cause") ?? 0] ?? "REBOOTING";
        this.toClosed(`Rcv-DPR (${cause})`, BACKOFF_AFTER_DPR[cause]);
      } else if (this.current === "Closing") {
        this.toClosed("Rcv-DPA");
      }
      return;
    }
    if (m.commandCode === BASE_COMMAND.CER) return; // a second CER on an open connection: ignored
    const deliver = this.o.deliver;
    if (deliver !== undefined) deliver(conn, m);
    else this.o.emit({ type: "deliver", conn, message: m });
  }

  private onCea(cea: DiameterMessage): void {
    const resultCode = getValue(cea, "Result-Code");
    const caps = readCapabilities(cea, this.o.local);
    if (resultCode !== PEER_RESULT.SUCCESS || "missing" in caps || caps.commonApplicationIds.length === 0) {
      const why = resultCode !== PEER_RESULT.SUCCESS ? `CEA Result-Code ${resultCode ?? "missing"}` : "missing" in caps ? `CEA without ${caps.missing}` : "no common application";
      this.iConnFailed(why);
      return;
    }
    this.caps = caps;
    if (this.current === "Wait-Returns" && this.rConn !== undefined) {
      this.o.emit({ type: "close", conn: this.rConn });
      this.rConn = undefined;
      this.heldCer = undefined;
    }
    this.toOpen("I-Open", "I-Rcv-CEA");
  }

  /** The I-connection failed while waiting for its CEA: fall back to a held R-connection or close. */
  private iConnFailed(reason: string): void {
    if (this.iConn !== undefined) this.o.emit({ type: "close", conn: this.iConn });
    this.iConn = undefined;
    if (this.current === "Wait-Returns") this.acceptHeldCer(reason);
    else this.toClosed(reason);
  }

  private onPeerDisc(conn: ConnId): void {
    if (conn === this.iConn) {
      this.iConn = undefined;
      if (this.current === "Wait-Returns" || this.current === "Wait-Conn-Ack/Elect") this.acceptHeldCer("I-Peer-Disc");
      else if (this.current !== "Closed") this.toClosed("I-Peer-Disc");
    } else if (conn === this.rConn) {
      this.rConn = undefined;
      this.heldCer = undefined;
      if (this.current === "Wait-Conn-Ack/Elect") this.transition("Wait-Conn-Ack", "R-Peer-Disc", this.timers.ceaTimeoutMs);
      else if (this.current === "Wait-Returns") this.transition("Wait-I-CEA", "R-Peer-Disc", this.timers.ceaTimeoutMs);
      else if (this.current !== "Closed") this.toClosed("R-Peer-Disc");
    }
  }

  private onWatchdog(status: WatchdogStatus): void {
    this.o.emit({ type: "watchdog", status });
    if (status === "DOWN") this.toClosed("watchdog: no DWA");
  }

  private sendOpen(message: DiameterMessage): void {
    const conn = this.openConnection;
    if (conn !== undefined) this.o.emit({ type: "send", conn, message });
  }

  private onStateTimeout(): void {
    this.stateTimer = undefined;
    if (this.current === "Closed" || this.isOpen) return;
    this.toClosed(`timeout in ${this.current}`);
  }

  private toOpen(to: "I-Open" | "R-Open", reason: string): void {
    this.transition(to, reason, undefined);
    this.watchdog.start();
  }

  /** Cleanup (closes whatever connection is left) → Closed; while started and connecting, reconnect after Tc × backoff. */
  private toClosed(reason: string, backoff = 1): void {
    for (const conn of [this.iConn, this.rConn]) if (conn !== undefined) this.o.emit({ type: "close", conn });
    this.iConn = undefined;
    this.rConn = undefined;
    this.heldCer = undefined;
    this.caps = undefined;
    this.watchdog.stop();
    this.transition("Closed", reason, undefined);
    if (this.started && this.o.connect && this.reconnectTimer === undefined) {
      this.reconnectTimer = this.o.clock.setTimer(this.timers.tcMs * backoff, () => {
        this.reconnectTimer = undefined;
        if (this.started && this.current === "Closed") this.connect();
      });
    }
  }

  private transition(to: PeerState, reason: string, timeoutMs: number | undefined): void {
    this.stateTimer?.cancel();
    this.stateTimer = timeoutMs === undefined ? undefined : this.o.clock.setTimer(timeoutMs, () => this.onStateTimeout());
    const from = this.current;
    this.current = to;
    this.o.emit({ type: "state", from, to, reason });
  }
}
