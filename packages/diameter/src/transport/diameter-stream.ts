import { type DiameterError, type DiameterMessage, DiameterFramer, DEFAULT_MAX_MESSAGE_SIZE, decodeMessage, encodeMessage, encodeMessageAs } from "../codec/index.js";
import type { StreamConnection } from "./types.js";

export interface DiameterStreamHandlers {
  /** A whole message that decoded. */
  message(message: DiameterMessage): void;
  /** A whole message (framing intact) that did not decode: answer it with `error` if it was a request. */
  undecodable(error: DiameterError): void;
  /** The byte stream is not Diameter (bad version or length): the connection is being closed. */
  streamError(error: DiameterError): void;
  closed(reason: string | undefined): void;
}

/**
 * Diameter messages over a byte stream: splits and reassembles TCP segments with the codec's
 * framer (messages split across reads or coalesced in one), decodes each, and closes the connection
 * on a framing error (a length above `maxMessageSize` is refused from its first four bytes).
 */
export class DiameterStream {
  private readonly framer: DiameterFramer;

  constructor(
    readonly conn: StreamConnection,
    handlers: DiameterStreamHandlers,
    maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE,
  ) {
    this.framer = new DiameterFramer(maxMessageSize);
    conn.setHandlers({
      data: (chunk) => {
        const r = this.framer.push(chunk);
        if (!r.ok) {
          handlers.streamError(r.error);
          conn.close();
          return;
        }
        const frames = r.value;
        for (let i = 0; i < frames.length; i++) {
          if (conn.isClosed) return;
          const d = decodeMessage(frames[i] as Buffer);
          if (d.ok) handlers.message(d.value);
          else handlers.undecodable(d.error);
        }
      },
      closed: (reason) => handlers.closed(reason),
    });
  }

  get isClosed(): boolean {
    return this.conn.isClosed;
  }

  send(message: DiameterMessage): void {
    this.conn.write(encodeMessage(message));
  }

  /** Sends `message` with these command flags and hop-by-hop id (the message itself is not copied). */
  sendAs(message: DiameterMessage, flags: number, hopByHop: number): void {
    this.conn.write(encodeMessageAs(message, flags, hopByHop));
  }

  sendBytes(bytes: Uint8Array): void {
    this.conn.write(bytes);
  }

  close(): void {
    this.conn.close();
  }
}
