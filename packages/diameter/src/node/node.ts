import { type Clock, type Endpoint, InFlightMap, type Logger, type Result, err, ok, silentLogger, systemClock } from "@ims/runtime";
import { type DiameterError, type DiameterMessage, type MessageIds, CMD_FLAG, IdGenerator, decodeMessage, errorAnswer, getValue, summarize } from "../codec/index.js";
import {
  type ConnId,
  type DisconnectCauseName,
  type LocalIdentity,
  type PeerAction,
  type PeerState,
  type PeerTimers,
  BASE_COMMAND,
  DEFAULT_PEER_TIMERS,
  PEER_RESULT,
  PeerStateMachine,
  buildCea,
} from "../peer/index.js";
import { type StreamConnection, type StreamListener, type StreamTransport, DiameterStream, TcpTransport } from "../transport/index.js";
import { type DiameterNodeConfig, type PeerConfig, DIAMETER_PORT, localIdentity } from "./config.js";
import { DuplicateCache } from "./duplicate-cache.js";
import { type DiameterRequestError, requestError } from "./errors.js";
import { routingIdentities } from "./identities.js";
import { Router } from "./routing.js";
import { TimeoutQueue } from "./timeout-queue.js";
import type { ConnEntry, NodeEvent, Pending, PeerEntry, PeerStatus, RequestOptions } from "./types.js";
import { type RequestHandler, RequestDispatcher } from "./inbound.js";

const OPEN: ReadonlySet<PeerState> = new Set(["I-Open", "R-Open"]);

/**
 * A Diameter node: identity, listener, one peer state machine per peer, request routing with
 * hop-by-hop matching and timeouts, and dispatch of incoming requests. See ./index.ts for the API.
 */
let takenResolve: ((r: Result<DiameterMessage, DiameterRequestError>) => void) | undefined;
/** Promise executor (runs synchronously in `new Promise`) that leaves its `resolve` in `takenResolve`. */
function takeResolve(resolve: (r: Result<DiameterMessage, DiameterRequestError>) => void): void {
  takenResolve = resolve;
}

export class DiameterNode {
  readonly identity: LocalIdentity;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly transport: StreamTransport;
  private readonly ids: IdGenerator;
  private readonly timers: PeerTimers;
  private readonly peers = new Map<string, PeerEntry>();
  private readonly conns = new Map<ConnId, ConnEntry>();
  private readonly listeners = new Set<(e: NodeEvent) => void>();
  private readonly dispatcher: RequestDispatcher;
  private readonly router = new Router(this.peers);
  private readonly timeouts: TimeoutQueue<Pending>;
  private listener: StreamListener | undefined;
  private connSeq = 0;
  private stopping = false;
  private readonly debug: boolean;

  private constructor(private readonly config: DiameterNodeConfig) {
    this.identity = localIdentity(config);
    this.clock = config.clock ?? systemClock;
    this.log = config.logger ?? silentLogger();
    this.debug = this.log.isLevelEnabled("debug");
    this.transport = config.transport ?? new TcpTransport(config.tap);
    this.ids = new IdGenerator(Date.now());
    this.timers = { ...DEFAULT_PEER_TIMERS, ...config.timers };
    const duplicates = new DuplicateCache(this.clock, config.duplicateWindowMs ?? 30_000, config.duplicateCacheSize ?? 50_000);
    this.dispatcher = new RequestDispatcher(this.identity, duplicates, this.log);
    this.timeouts = new TimeoutQueue<Pending>(this.clock, (p) => {
      p.peer.pending.delete(p.hopByHop);
      p.resolve(err(requestError("timeout", `no answer from ${p.peer.host} within ${p.timeoutMs} ms`, p.peer.host)));
    });
    for (const p of config.peers ?? []) this.addPeer(p.host, p);
  }

  /** Validates the config, listens (when listenPort is set) and starts connecting to the peers marked `connect`. */
  static async start(config: DiameterNodeConfig): Promise<DiameterNode> {
    const node = new DiameterNode(config);
    if (config.listenPort !== undefined) {
      node.listener = await node.transport.listen({ address: config.bindAddress, port: config.listenPort }, (c) => node.accept(c));
    }
    for (const p of node.peers.values()) p.fsm.handle({ type: "start" });
    return node;
  }

  /** Where the node listens (the actual port when listenPort was 0). */
  get localEndpoint(): Endpoint | undefined {
    return this.listener?.local;
  }

  /** Fresh hop-by-hop and end-to-end ids for a request this node originates. */
  nextIds(): MessageIds {
    return this.ids.next();
  }

  /** Registers the handler of incoming requests with this application id and command code. */
  handle(applicationId: number, commandCode: number, handler: RequestHandler): void {
    this.dispatcher.register(applicationId, commandCode, handler);
  }

  subscribe(listener: (e: NodeEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  peerStatus(host: string): PeerStatus | undefined {
    const p = this.peers.get(host);
    return p === undefined ? undefined : { host, state: p.fsm.state, watchdog: p.fsm.watchdogStatus, capabilities: p.fsm.capabilities };
  }

  get peerHosts(): string[] {
    return [...this.peers.keys()];
  }

  /** Resolves true once the peer is open (now or later), false after `timeoutMs` (on the node's clock). */
  waitForPeerOpen(host: string, timeoutMs = 10_000): Promise<boolean> {
    if (this.peers.get(host)?.fsm.isOpen === true) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (v: boolean): void => {
        unsubscribe();
        timer.cancel();
        resolve(v);
      };
      const unsubscribe = this.subscribe((e) => {
        if (e.type === "peer-state" && e.peer === host && OPEN.has(e.to)) done(true);
      });
      const timer = this.clock.setTimer(timeoutMs, () => done(false));
    });
  }

  /**
   * Sends a request and resolves with its answer (whatever its Result-Code) or a typed error. The peer
   * is the Destination-Host when it is an open peer that advertised the application, else one such
   * peer of the Destination-Realm (round robin). A fresh hop-by-hop id is set; the end-to-end id is kept.
   * If that peer goes down before answering a request routed by realm (no Destination-Host), it is sent
   * once more, with the T flag, to another peer that qualifies (RFC 6733 §5.5.4 failover); otherwise it
   * fails at once with "peer-down".
   */
  request(message: DiameterMessage, options?: RequestOptions): Promise<Result<DiameterMessage, DiameterRequestError>> {
    if (this.stopping) return Promise.resolve(err(requestError("stopped", "node stopped")));
    const peer = this.router.choose(message, options?.peer);
    if (peer === undefined) {
      const to = options?.peer ?? getValue(message, "Destination-Host") ?? getValue(message, "Destination-Realm") ?? "?";
      return Promise.resolve(err(requestError("no-route", `no open peer for ${to} supporting application ${message.applicationId}`)));
    }
    const hopByHop = this.ids.nextHopByHop();
    const timeoutMs = options?.timeoutMs ?? this.config.requestTimeoutMs ?? 5_000;
    // The shared executor hands over `resolve` without a closure per request.
    const promise = new Promise<Result<DiameterMessage, DiameterRequestError>>(takeResolve);
    const resolve = takenResolve as (r: Result<DiameterMessage, DiameterRequestError>) => void;
    takenResolve = undefined;
    const p: Pending = { resolve, deadline: 0, settled: false, timeoutMs, endToEnd: message.endToEnd, message, forced: options?.peer !== undefined, peer, hopByHop, failedOver: false };
    try {
      this.timeouts.add(p, timeoutMs);
      peer.pending.set(hopByHop, p);
      this.sendAs(peer, message, message.flags | CMD_FLAG.R, hopByHop);
    } catch (e) {
      // As when this ran inside the executor: the returned promise rejects.
      return Promise.reject(e instanceof Error ? e : new Error(String(e)));
    }
    return promise;
  }

  /**
   * What the peer state machine's `send` does (on the open connection, nothing when not open), with
   * the flags and hop-by-hop id given apart: no copy of the message and no action object per request.
   */
  private sendAs(peer: PeerEntry, message: DiameterMessage, flags: number, hopByHop: number): void {
    const conn = peer.fsm.isOpen ? peer.fsm.openConnection : undefined;
    if (conn === undefined) return;
    if (this.debug) this.log.debug({ peer: peer.host }, `diameter out ${summarize({ ...message, flags, hopByHop })}`);
    this.conns.get(conn)?.stream?.sendAs(message, flags, hopByHop);
  }

  /** Sends DPR to every open peer, waits for the DPAs (at most the DPA timeout), closes everything. */
  async stop(cause: DisconnectCauseName = "REBOOTING"): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    const allClosed = new Promise<void>((resolve) => {
      const check = (): boolean => [...this.peers.values()].every((p) => p.fsm.state === "Closed");
      if (check()) return resolve();
      const cap = setTimeout(() => finish(), this.timers.dpaTimeoutMs);
      const unsubscribe = this.subscribe(() => {
        if (check()) finish();
      });
      const finish = (): void => {
        clearTimeout(cap);
        unsubscribe();
        resolve();
      };
    });
    for (const p of this.peers.values()) p.fsm.handle({ type: "stop", cause });
    await allClosed;
    for (const [id, c] of this.conns) {
      this.conns.delete(id);
      c.cerTimer?.cancel();
      c.stream?.close();
    }
    for (const p of this.peers.values()) this.failPending(p, "stopped", "node stopped");
    await this.listener?.close();
  }

  private addPeer(host: string, config: PeerConfig | undefined): PeerEntry {
    const entry: PeerEntry = {
      host,
      config,
      pending: new InFlightMap(),
      fsm: new PeerStateMachine({
        local: this.identity,
        peerHost: host,
        connect: config?.connect ?? false,
        clock: this.clock,
        timers: this.timers,
        ids: this.ids,
        nextConnId: () => ++this.connSeq,
        emit: (a) => this.act(entry, a),
        deliver: (conn, m) => this.deliver(entry, conn, m),
      }),
    };
    this.peers.set(host, entry);
    return entry;
  }

  private act(peer: PeerEntry, a: PeerAction): void {
    switch (a.type) {
      case "connect":
        this.conns.set(a.conn, { stream: undefined, peer, cerTimer: undefined, reply: undefined });
        void this.connect(peer, a.conn);
        return;
      case "send": {
        const c = this.conns.get(a.conn);
        if (this.debug) this.log.debug({ peer: peer.host }, `diameter out ${summarize(a.message)}`);
        c?.stream?.send(a.message);
        return;
      }
      case "close": {
        const c = this.conns.get(a.conn);
        this.conns.delete(a.conn);
        c?.stream?.close();
        return;
      }
      case "deliver":
        this.deliver(peer, a.conn, a.message);
        return;
      case "state":
        this.onState(peer, a.from, a.to, a.reason);
        return;
      case "watchdog":
        this.log.info({ peer: peer.host, status: a.status }, "diameter peer watchdog");
        this.emit({ type: "peer-watchdog", peer: peer.host, status: a.status });
        return;
    }
  }

  private async connect(peer: PeerEntry, conn: ConnId): Promise<void> {
    const cfg = peer.config;
    if (cfg === undefined) return;
    const r = await this.transport.connect({ address: cfg.address, port: cfg.port ?? DIAMETER_PORT }, { localAddress: this.config.bindAddress, timeoutMs: this.timers.ceaTimeoutMs });
    const entry = this.conns.get(conn);
    if (!r.ok) {
      this.conns.delete(conn);
      peer.fsm.handle({ type: "conn-nack", conn, reason: r.error.reason });
      return;
    }
    if (entry === undefined || this.stopping) {
      r.value.close();
      return;
    }
    entry.stream = this.stream(conn, r.value, entry);
    peer.fsm.handle({ type: "conn-ack", conn });
  }

  private accept(raw: StreamConnection): void {
    if (this.stopping) return raw.close();
    const conn = ++this.connSeq;
    const entry: ConnEntry = { stream: undefined, peer: undefined, cerTimer: undefined, reply: undefined };
    this.conns.set(conn, entry);
    entry.stream = this.stream(conn, raw, entry);
    entry.cerTimer = this.clock.setTimer(this.timers.ceaTimeoutMs, () => {
      if (entry.peer === undefined) this.drop(conn, entry);
    });
  }

  private drop(conn: ConnId, entry: ConnEntry): void {
    entry.cerTimer?.cancel();
    this.conns.delete(conn);
    entry.stream?.close();
  }

  private stream(conn: ConnId, raw: StreamConnection, entry: ConnEntry): DiameterStream {
    return new DiameterStream(
      raw,
      {
        message: (m) => {
          if (this.debug) this.log.debug({ peer: entry.peer?.host, remote: raw.remote }, `diameter in ${summarize(m)}`);
          if (entry.peer !== undefined) entry.peer.fsm.receive(conn, m);
          else this.firstMessage(conn, entry, m);
        },
        undecodable: (e) => this.undecodable(conn, entry, e),
        streamError: (e) => this.log.warn({ peer: entry.peer?.host, remote: raw.remote, resultCode: e.resultCode, reason: e.reason }, "not a Diameter stream: closing"),
        closed: (reason) => {
          entry.cerTimer?.cancel();
          if (this.conns.get(conn) === entry) this.conns.delete(conn);
          entry.peer?.fsm.handle({ type: "peer-disc", conn });
          if (reason !== undefined) this.log.debug({ peer: entry.peer?.host, reason }, "diameter connection failed");
        },
      },
      this.config.maxMessageSize,
    );
  }

  /** The first message on an accepted connection must be a CER from a known (or acceptable) peer. */
  private firstMessage(conn: ConnId, entry: ConnEntry, m: DiameterMessage): void {
    if (m.commandCode !== BASE_COMMAND.CER || (m.flags & CMD_FLAG.R) === 0) {
      this.log.warn({ commandCode: m.commandCode }, "first message on a connection is not a CER: closing");
      return this.drop(conn, entry);
    }
    const host = getValue(m, "Origin-Host");
    let peer = host === undefined ? undefined : this.peers.get(host);
    if (host === undefined || (peer === undefined && this.config.acceptUnknownPeers !== true)) {
      const code = host === undefined ? PEER_RESULT.MISSING_AVP : PEER_RESULT.UNKNOWN_PEER;
      this.log.warn({ host, resultCode: code }, "CER refused");
      entry.stream?.send(buildCea(this.identity, m, code, host === undefined ? "missing Origin-Host" : `unknown peer ${host}`));
      return this.drop(conn, entry);
    }
    if (peer === undefined) {
      peer = this.addPeer(host, undefined);
      peer.fsm.handle({ type: "start" });
    }
    entry.cerTimer?.cancel();
    entry.peer = peer;
    peer.fsm.handle({ type: "r-conn-cer", conn, cer: m });
    // A refused CER (5005/5010) leaves a peer learnt from it closed: forget it.
    if (peer.config === undefined && peer.fsm.state === "Closed") this.peers.delete(host);
  }

  private undecodable(conn: ConnId, entry: ConnEntry, e: DiameterError): void {
    this.log.warn({ peer: entry.peer?.host, resultCode: e.resultCode, reason: e.reason }, "undecodable Diameter message");
    const answer = errorAnswer(e, this.identity);
    if (entry.peer === undefined) {
      if (answer !== undefined) entry.stream?.send(answer);
      return this.drop(conn, entry);
    }
    entry.peer.fsm.handle({ type: "traffic", conn });
    if (answer !== undefined && entry.peer.fsm.openConnection === conn) entry.stream?.send(answer);
  }

  private deliver(peer: PeerEntry, conn: ConnId, m: DiameterMessage): void {
    if ((m.flags & CMD_FLAG.R) === 0) {
      const p = peer.pending.get(m.hopByHop);
      if (p === undefined || p.endToEnd !== m.endToEnd) {
        this.log.debug({ peer: peer.host, hopByHop: m.hopByHop }, "answer matches no pending request: dropped");
        return;
      }
      peer.pending.delete(m.hopByHop);
      this.timeouts.settle(p, p.timeoutMs);
      p.resolve(ok(m));
      return;
    }
    const entry = this.conns.get(conn);
    // One reply function per connection and peer, not a closure per request.
    let reply = entry?.reply;
    if (reply === undefined || reply.peer !== peer) {
      const send = (bytes: Uint8Array): void => {
        if (this.debug) {
          const d = decodeMessage(bytes);
          this.log.debug({ peer: peer.host }, `diameter out ${d.ok ? summarize(d.value) : "answer"}`);
        }
        this.conns.get(conn)?.stream?.sendBytes(bytes);
      };
      reply = { peer, send };
      if (entry !== undefined) entry.reply = reply;
    }
    this.dispatcher.dispatch(m, peer.host, reply.send);
  }

  private onState(peer: PeerEntry, from: PeerState, to: PeerState, reason: string): void {
    this.log.info({ peer: peer.host, from, to, reason }, "diameter peer state");
    if (to === "Closed") {
      this.failPending(peer, this.stopping ? "stopped" : "peer-down", `peer ${peer.host} closed (${reason})`);
      if (peer.config === undefined && this.peers.get(peer.host) === peer) this.peers.delete(peer.host);
    }
    this.emit({ type: "peer-state", peer: peer.host, from, to, reason });
  }

  private failPending(peer: PeerEntry, kind: "peer-down" | "stopped", reason: string): void {
    const all = peer.pending.values();
    peer.pending.clear();
    for (const p of all) {
      if (kind === "peer-down" && this.failOver(p)) continue;
      this.timeouts.settle(p, p.timeoutMs);
      p.resolve(err(requestError(kind, reason, peer.host)));
    }
  }

  /** Retransmits a pending request to another qualifying peer with the T flag (once). */
  private failOver(p: Pending): boolean {
    // A request for a given Destination-Host is only that host's to answer (another would say 3002).
    if (p.forced || p.failedOver || routingIdentities(p.message, false).destinationHost !== undefined) return false;
    const alt = this.router.choose(p.message, undefined);
    if (alt === undefined || alt === p.peer) return false;
    const hopByHop = this.ids.nextHopByHop();
    this.log.info({ from: p.peer.host, to: alt.host, endToEnd: p.endToEnd }, "request failed over (T flag)");
    p.peer = alt;
    p.hopByHop = hopByHop;
    p.failedOver = true;
    alt.pending.set(hopByHop, p);
    this.sendAs(alt, p.message, p.message.flags | CMD_FLAG.R | CMD_FLAG.T, hopByHop);
    return true;
  }

  private emit(e: NodeEvent): void {
    for (const l of this.listeners) l(e);
  }
}
