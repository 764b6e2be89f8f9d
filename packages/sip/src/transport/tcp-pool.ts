/**
 * TCP for SIP (RFC 3261 §18): a listener on the node's address and port plus a pool of connections,
 * one per peer (address:port), reused for every message to that peer whichever side opened it.
 * Outbound connections start from the node's own address. Each connection frames its byte stream
 * by Content-Length, answers RFC 5626 CRLFCRLF pings with a CRLF pong and is closed after
 * `idleTimeoutMs` without traffic, or when a message it began is not whole `messageReadTimeoutMs`
 * later (both measured on the injected Clock).
 */
import { type Server, type Socket, connect, createServer } from "node:net";
import { type Clock, type Endpoint, type PacketTap, type TimerHandle, ImsError } from "@ims/runtime";
import type { ParseLimits, SipParseError } from "../message/index.js";
import { StreamFramer } from "./stream-framer.js";

export interface TcpPoolOptions {
  readonly local: Endpoint;
  readonly clock: Clock;
  /** Close a connection after this long without traffic; default 10 minutes. */
  readonly idleTimeoutMs?: number;
  /**
   * Close a connection whose started message is still not whole after this long; default 32 s
   * (64·T1, as long as any transaction waits). Without it a peer that sends part of a header block
   * and stalls (or trickles a byte now and then) holds up to a message's worth of buffer until idle.
   */
  readonly messageReadTimeoutMs?: number;
  readonly tap?: PacketTap;
  readonly limits?: Partial<ParseLimits>;
  /**
   * Accepted connections from one address at most (default 256): a peer opening connections
   * without end (each may hold a message's buffer for messageReadTimeoutMs) cannot take the node's
   * file descriptors and memory. Further connections from it are closed at once.
   */
  readonly maxConnectionsPerAddress?: number;
}

/** Told of a stream that cannot be framed, with the bytes buffered; returns the answer to send, if any. */
export type StreamErrorHandler = (error: SipParseError, remote: Endpoint, data: Buffer) => Buffer | undefined;

export const DEFAULT_TCP_IDLE_MS = 600_000;
export const DEFAULT_TCP_MESSAGE_READ_MS = 32_000;

const key = (e: Endpoint) => `${e.address}|${e.port}`;

class TcpConnection {
  readonly framer: StreamFramer;
  readonly ready: Promise<void>;
  private lastActivity: number;
  private idleTimer: TimerHandle | undefined;
  /** Runs while part of a message is buffered; reset by each whole message. */
  private partialTimer: TimerHandle | undefined;
  closed = false;

  constructor(
    readonly socket: Socket,
    readonly remote: Endpoint,
    private localEnd: Endpoint,
    private readonly pool: TcpPool,
    connecting: boolean,
  ) {
    this.framer = new StreamFramer(pool.options.limits);
    this.lastActivity = pool.options.clock.now();
    socket.setNoDelay(true);
    this.ready = connecting
      ? new Promise((resolve, reject) => {
          socket.once("connect", () => {
            this.localEnd = { address: socket.localAddress ?? this.localEnd.address, port: socket.localPort ?? 0 };
            resolve();
          });
          socket.once("error", reject);
        })
      : Promise.resolve();
    this.ready.catch(() => this.dispose());
    socket.on("data", (chunk: Buffer) => this.onData(chunk));
    socket.on("error", () => undefined);
    socket.on("close", () => this.dispose());
    this.armIdle(pool.idleMs);
  }

  private armIdle(ms: number): void {
    this.idleTimer = this.pool.options.clock.setTimer(ms, () => {
      const idle = this.pool.options.clock.now() - this.lastActivity;
      if (idle >= this.pool.idleMs) this.socket.destroy();
      else this.armIdle(this.pool.idleMs - idle);
    });
  }

  touch(): void {
    this.lastActivity = this.pool.options.clock.now();
  }

  private onData(chunk: Buffer): void {
    this.touch();
    this.pool.options.tap?.({ transport: "tcp", direction: "in", src: this.remote, dst: this.localEnd, data: chunk });
    for (const item of this.framer.push(chunk)) {
      if (item.kind === "message") {
        this.stopPartialTimer();
        this.pool.deliver(item.data, this.remote);
      } else if (item.kind === "ping") void this.write(Buffer.from("\r\n")).catch(() => undefined);
      else {
        // Answer (e.g. 400 for a malformed Content-Length) when the request can be addressed, then
        // close: end() sends the answer before the FIN; the framer reads nothing more.
        const answer = this.pool.streamError(item.error, this.remote, item.data);
        if (answer === undefined) this.socket.destroy();
        else {
          this.pool.options.tap?.({ transport: "tcp", direction: "out", src: this.localEnd, dst: this.remote, data: answer });
          this.socket.end(answer);
        }
      }
    }
    if (this.framer.pending === 0) this.stopPartialTimer();
    else if (this.partialTimer === undefined && !this.closed) {
      this.partialTimer = this.pool.options.clock.setTimer(this.pool.messageReadMs, () => {
        this.partialTimer = undefined;
        if (this.framer.pending > 0) this.socket.destroy();
      });
    }
  }

  private stopPartialTimer(): void {
    this.partialTimer?.cancel();
    this.partialTimer = undefined;
  }

  async write(data: Buffer): Promise<void> {
    await this.ready;
    if (this.closed) throw new Error(`connection to ${this.remote.address}:${this.remote.port} closed`);
    this.touch();
    await new Promise<void>((resolve, reject) => this.socket.write(data, (e) => (e ? reject(e) : resolve())));
    this.pool.options.tap?.({ transport: "tcp", direction: "out", src: this.localEnd, dst: this.remote, data });
  }

  dispose(): void {
    if (this.closed) return;
    this.closed = true;
    this.idleTimer?.cancel();
    this.stopPartialTimer();
    this.pool.forget(this);
  }
}

export class TcpPool {
  private readonly connections = new Map<string, TcpConnection>();
  /** Accepted connections per remote address. */
  private readonly perAddress = new Map<string, number>();
  private handler: (data: Buffer, remote: Endpoint) => void = () => undefined;
  private errorHandler: StreamErrorHandler = () => undefined;
  readonly idleMs: number;
  readonly messageReadMs: number;

  private constructor(
    private readonly server: Server,
    readonly local: Endpoint,
    readonly options: TcpPoolOptions,
  ) {
    this.idleMs = options.idleTimeoutMs ?? DEFAULT_TCP_IDLE_MS;
    this.messageReadMs = options.messageReadTimeoutMs ?? DEFAULT_TCP_MESSAGE_READ_MS;
    const maxPerAddress = options.maxConnectionsPerAddress ?? 256;
    server.on("connection", (socket) => {
      if (socket.remoteAddress === undefined || socket.remotePort === undefined) return void socket.destroy();
      const address = socket.remoteAddress;
      const open = this.perAddress.get(address) ?? 0;
      if (open >= maxPerAddress) return void socket.destroy();
      this.perAddress.set(address, open + 1);
      socket.once("close", () => {
        const n = (this.perAddress.get(address) ?? 1) - 1;
        if (n <= 0) this.perAddress.delete(address);
        else this.perAddress.set(address, n);
      });
      const remote = { address, port: socket.remotePort };
      const localEnd = { address: socket.localAddress ?? local.address, port: socket.localPort ?? local.port };
      this.add(new TcpConnection(socket, remote, localEnd, this, false));
    });
  }

  static listen(options: TcpPoolOptions): Promise<TcpPool> {
    const server = createServer();
    return new Promise((resolve, reject) => {
      const onError = (e: Error) =>
        reject(
          new ImsError("bind-failed", `TCP ${options.local.address}:${options.local.port}: ${e.message}`, { cause: e }),
        );
      server.once("error", onError);
      server.listen({ host: options.local.address, port: options.local.port, exclusive: true }, () => {
        server.off("error", onError);
        const a = server.address();
        const port = typeof a === "object" && a !== null ? a.port : options.local.port;
        resolve(new TcpPool(server, { address: options.local.address, port }, options));
      });
    });
  }

  onMessage(handler: (data: Buffer, remote: Endpoint) => void): void {
    this.handler = handler;
  }

  /** A stream that cannot be framed: the handler may return an answer to send before the connection closes. */
  onStreamError(handler: StreamErrorHandler): void {
    this.errorHandler = handler;
  }

  /** Number of open connections (for tests and stats). */
  get size(): number {
    return this.connections.size;
  }

  /** Sends on the connection to `remote`, opening one from the node's address when there is none. */
  send(data: Buffer, remote: Endpoint): Promise<void> {
    let c = this.connections.get(key(remote));
    if (c === undefined || c.closed) {
      const socket = connect({ host: remote.address, port: remote.port, localAddress: this.local.address });
      c = new TcpConnection(socket, remote, { address: this.local.address, port: 0 }, this, true);
      this.add(c);
    }
    return c.write(data);
  }

  /** @internal */
  add(c: TcpConnection): void {
    this.connections.get(key(c.remote))?.socket.destroy();
    this.connections.set(key(c.remote), c);
  }

  /** @internal */
  forget(c: TcpConnection): void {
    if (this.connections.get(key(c.remote)) === c) this.connections.delete(key(c.remote));
  }

  /** @internal */
  deliver(data: Buffer, remote: Endpoint): void {
    this.handler(data, remote);
  }

  /** @internal */
  streamError(error: SipParseError, remote: Endpoint, data: Buffer): Buffer | undefined {
    return this.errorHandler(error, remote, data);
  }

  async close(): Promise<void> {
    for (const c of [...this.connections.values()]) {
      c.socket.destroy();
      c.dispose();
    }
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
