import { type Endpoint, type Result, err, ok } from "@ims/runtime";
import { type ConnectOptions, type StreamConnection, type StreamHandlers, type StreamListener, type StreamTransport, type TransportError, transportError } from "./types.js";

const key = (e: Endpoint): string => `${e.address}:${e.port}`;

/** One end of an in-memory connection; bytes reach the other end in a microtask, in order. */
class FakeConnection implements StreamConnection {
  other: FakeConnection | undefined;
  private handlers: StreamHandlers | undefined;
  private inbox: Buffer[] = [];
  private closedFlag = false;

  constructor(
    readonly local: Endpoint,
    readonly remote: Endpoint,
    private readonly net: FakeNetwork,
  ) {}

  get isClosed(): boolean {
    return this.closedFlag;
  }

  setHandlers(handlers: StreamHandlers): void {
    this.handlers = handlers;
    const held = this.inbox;
    this.inbox = [];
    for (const b of held) handlers.data(b);
  }

  write(data: Uint8Array): void {
    if (this.closedFlag) return;
    const copy = Buffer.from(data);
    this.net.written.push({ from: this.local, to: this.remote, data: copy });
    const peer = this.other;
    queueMicrotask(() => peer?.receive(copy));
  }

  receive(b: Buffer): void {
    if (this.closedFlag) return;
    if (this.handlers === undefined) this.inbox.push(b);
    else this.handlers.data(b);
  }

  close(): void {
    if (this.closedFlag) return;
    this.closedFlag = true;
    const peer = this.other;
    queueMicrotask(() => {
      this.handlers?.closed(undefined);
      peer?.hangUp();
    });
  }

  hangUp(): void {
    if (this.closedFlag) return;
    this.closedFlag = true;
    this.handlers?.closed("peer closed");
  }
}

/**
 * An in-memory network for unit tests of the node: listen/connect by address and port, no sockets.
 * `written` records every chunk written, for assertions on the wire bytes.
 */
export class FakeNetwork implements StreamTransport {
  readonly written: Array<{ from: Endpoint; to: Endpoint; data: Buffer }> = [];
  private readonly listeners = new Map<string, (conn: StreamConnection) => void>();
  private nextPort = 40_000;

  listen(local: Endpoint, onAccept: (conn: StreamConnection) => void): Promise<StreamListener> {
    this.listeners.set(key(local), onAccept);
    return Promise.resolve({
      local,
      close: () => {
        this.listeners.delete(key(local));
        return Promise.resolve();
      },
    });
  }

  connect(remote: Endpoint, options: ConnectOptions): Promise<Result<StreamConnection, TransportError>> {
    const accept = this.listeners.get(key(remote));
    if (accept === undefined) return Promise.resolve(err(transportError(remote, "ECONNREFUSED")));
    const local = { address: options.localAddress ?? "127.0.0.1", port: this.nextPort++ };
    const mine = new FakeConnection(local, remote, this);
    const theirs = new FakeConnection(remote, local, this);
    mine.other = theirs;
    theirs.other = mine;
    accept(theirs);
    return Promise.resolve(ok(mine));
  }
}
