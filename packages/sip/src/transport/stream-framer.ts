/**
 * Byte stream → SIP messages for TCP (RFC 3261 §18.3): buffers chunks and cuts them by
 * Content-Length, so split and pipelined messages both come out whole. CRLF keep-alives of RFC 5626
 * §3.5.1 come out as "ping" (a CRLFCRLF the caller answers with CRLF) and are otherwise skipped.
 * Pure: no socket here.
 */
import { type ParseLimits, type SipParseError, frameMessage } from "../message/index.js";

export type FramedItem =
  | { readonly kind: "message"; readonly data: Buffer }
  | { readonly kind: "ping" }
  /**
   * The stream cannot be framed any more; the caller closes the connection. `data` is what was
   * buffered (at most the message size limit plus one chunk), so the request can still be answered.
   */
  | { readonly kind: "error"; readonly error: SipParseError; readonly data: Buffer };

export class StreamFramer {
  private buffer: Buffer = Buffer.alloc(0);
  private failed = false;

  constructor(private readonly limits?: Partial<ParseLimits>) {}

  /** Bytes waiting for the rest of their message. */
  get pending(): number {
    return this.buffer.length;
  }

  push(chunk: Buffer): FramedItem[] {
    if (this.failed) return [];
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const out: FramedItem[] = [];
    for (;;) {
      if (this.buffer.length === 0) break;
      const r = frameMessage(this.buffer, this.limits);
      if (r.kind === "need-more") break;
      if (r.kind === "error") {
        this.failed = true;
        out.push({ kind: "error", error: r.error, data: this.buffer });
        this.buffer = Buffer.alloc(0);
        break;
      }
      if (r.kind === "keepalive") {
        if (r.pong) out.push({ kind: "ping" });
      } else {
        // Copy: the message may outlive the (reused) receive buffer.
        out.push({ kind: "message", data: Buffer.from(this.buffer.subarray(0, r.length)) });
      }
      this.buffer = this.buffer.subarray(r.length);
    }
    return out;
  }
}
