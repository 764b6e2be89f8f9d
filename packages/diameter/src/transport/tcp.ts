import { type Server, type Socket, connect, createServer } from "node:net";
import { type Endpoint, type PacketTap, type Result, ImsError, err, ok } from "@ims/runtime";
import { type ConnectOptions, type StreamConnection, type StreamHandlers, type StreamListener, type StreamTransport, type TransportError, transportError } from "./types.js";

/** How long a closed connection may wait for the peer's FIN before it is destroyed. */
const LINGER_MS = 2_000;

/**
 * One TCP connection. Writes are queued and flushed once per event-loop turn (setImmediate, after
 * the poll phase), so the requests or answers produced while handling every read of that turn (a
 * CSCF handles up to 32 UDP datagrams per socket per turn) leave in a single writev; Nagle is off.
 * Flushing per tick wrote each message on its own: one syscall, and one wake-up of the peer, each.
 */
class TcpConnection implements StreamConnection {
  private handlers: StreamHandlers | undefined;
  private queue: Buffer[] = [];
  private queued = 0;
  private scheduled = false;
  private closing = false;
  private closedFlag = false;
  private failure: string | undefined;
  private readonly flushFn = (): void => this.flush();

  constructor(
    private readonly socket: Socket,
    readonly local: Endpoint,
    readonly remote: Endpoint,
    private readonly tap: PacketTap | undefined,
  ) {
    socket.setNoDelay(true);
    socket.on("error", (e) => {
      this.failure ??= e.message;
    });
    socket.on("close", () => {
      this.closedFlag = true;
      this.queue = [];
      this.handlers?.closed(this.failure);
    });
  }

  get isClosed(): boolean {
    return this.closedFlag || this.closing;
  }

  setHandlers(handlers: StreamHandlers): void {
    this.handlers = handlers;
    this.socket.on("data", (chunk: Buffer) => {
      this.tap?.({ transport: "tcp", direction: "in", src: this.remote, dst: this.local, data: chunk });
      handlers.data(chunk);
    });
  }

  write(data: Uint8Array): void {
    if (this.closedFlag || this.closing) return;
    this.queue.push(Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.length));
    this.queued += data.length;
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.flushFn);
    }
  }

  private flush(): void {
    this.scheduled = false;
    if (this.queue.length === 0 || this.closedFlag) return;
    const q = this.queue;
    this.queue = [];
    this.queued = 0;
    if (q.length === 1) this.socket.write(q[0] as Buffer);
    else {
      this.socket.cork();
      for (let i = 0; i < q.length; i++) this.socket.write(q[i] as Buffer);
      this.socket.uncork();
    }
    if (this.tap !== undefined) for (const data of q) this.tap({ transport: "tcp", direction: "out", src: this.local, dst: this.remote, data });
  }

  close(): void {
    if (this.closing || this.closedFlag) return;
    this.closing = true;
    this.flush();
    this.socket.end();
    setTimeout(() => this.socket.destroy(), LINGER_MS).unref();
  }

  destroy(): void {
    this.closing = true;
    this.socket.destroy();
  }
}

function endpoints(socket: Socket, fallbackLocal: Endpoint): { local: Endpoint; remote: Endpoint } {
  return {
    local: { address: socket.localAddress ?? fallbackLocal.address, port: socket.localPort ?? fallbackLocal.port },
    remote: { address: socket.remoteAddress ?? "0.0.0.0", port: socket.remotePort ?? 0 },
  };
}

class TcpListener implements StreamListener {
  readonly accepted = new Set<TcpConnection>();
  constructor(
    private readonly server: Server,
    readonly local: Endpoint,
  ) {}

  close(): Promise<void> {
    for (const c of this.accepted) c.destroy();
    this.accepted.clear();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** Diameter over TCP (RFC 6733 §2.1), binding each node's own address for listening and connecting. */
export class TcpTransport implements StreamTransport {
  constructor(private readonly tap?: PacketTap) {}

  listen(local: Endpoint, onAccept: (conn: StreamConnection) => void): Promise<StreamListener> {
    return new Promise((resolve, reject) => {
      const server = createServer();
      let listener: TcpListener | undefined;
      server.on("connection", (socket) => {
        const e = endpoints(socket, local);
        const conn = new TcpConnection(socket, e.local, e.remote, this.tap);
        listener?.accepted.add(conn);
        socket.on("close", () => listener?.accepted.delete(conn));
        onAccept(conn);
      });
      server.once("error", (e) => reject(new ImsError("diameter-listen", `cannot listen on ${local.address}:${local.port}: ${e.message}`, { cause: e })));
      server.listen({ host: local.address, port: local.port, exclusive: true }, () => {
        const a = server.address();
        const bound = typeof a === "object" && a !== null ? { address: a.address, port: a.port } : local;
        listener = new TcpListener(server, bound);
        resolve(listener);
      });
    });
  }

  connect(remote: Endpoint, options: ConnectOptions): Promise<Result<StreamConnection, TransportError>> {
    return new Promise((resolve) => {
      const socket = connect({
        host: remote.address,
        port: remote.port,
        ...(options.localAddress === undefined ? {} : { localAddress: options.localAddress }),
      });
      let done = false;
      const timer = setTimeout(() => fail("connect timeout"), options.timeoutMs);
      timer.unref();
      const fail = (reason: string): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        socket.destroy();
        resolve(err(transportError(remote, reason)));
      };
      socket.once("error", (e) => fail(e.message));
      socket.once("connect", () => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        const e = endpoints(socket, { address: options.localAddress ?? "0.0.0.0", port: 0 });
        resolve(ok(new TcpConnection(socket, e.local, remote, this.tap)));
      });
    });
  }
}
