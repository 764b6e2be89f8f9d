import type { Endpoint, Result, TaggedError } from "@ims/runtime";

/**
 * The byte-stream seam under the Diameter node: TCP in production (`TcpTransport`), an in-memory
 * pair in unit tests (`FakeNetwork`). Framing and decoding live above it (`DiameterStream`).
 */
export interface StreamHandlers {
  data(chunk: Buffer): void;
  /** The connection is gone (peer closed, error, or our own close); `reason` when it failed. */
  closed(reason: string | undefined): void;
}

export interface StreamConnection {
  readonly local: Endpoint;
  readonly remote: Endpoint;
  readonly isClosed: boolean;
  /** Installs the receivers; no data is read before this. */
  setHandlers(handlers: StreamHandlers): void;
  /** Queues bytes; writes made in the same tick leave in one socket write. */
  write(data: Uint8Array): void;
  /** Sends what is queued, then closes (idempotent). */
  close(): void;
}

export interface StreamListener {
  readonly local: Endpoint;
  /** Stops accepting and closes every accepted connection still open. */
  close(): Promise<void>;
}

export interface TransportError extends TaggedError<"diameter-transport"> {
  readonly remote: Endpoint;
}

export interface ConnectOptions {
  /** Source address to bind (each node sends from its own 127.0.0.X). */
  readonly localAddress?: string;
  readonly timeoutMs: number;
}

export interface StreamTransport {
  listen(local: Endpoint, onAccept: (conn: StreamConnection) => void): Promise<StreamListener>;
  connect(remote: Endpoint, options: ConnectOptions): Promise<Result<StreamConnection, TransportError>>;
}

export function transportError(remote: Endpoint, reason: string): TransportError {
  return { tag: "diameter-transport", reason, remote };
}
