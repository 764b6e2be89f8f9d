import { type Result, err, ok } from "@ims/runtime";
import { type DiameterError, diameterError } from "./errors.js";
import { HEADER_LENGTH } from "./types.js";

/** Default largest message accepted from a stream (1 MiB: Cx User-Data fits many times over). */
export const DEFAULT_MAX_MESSAGE_SIZE = 1 << 20;

/**
 * What the start of a TCP buffer holds (RFC 6733 §3: the length is in bytes 1–3 of the header):
 * - `incomplete`: wait until the buffer has at least `need` bytes, then ask again;
 * - `complete`: the first `length` bytes are one message (hand them to decodeMessage);
 * - `invalid`: not a Diameter stream (version ≠ 1 → 5011; length < 20, not a multiple of 4 or above
 *   `maxMessageSize` → 5015). Close the connection; nothing of the oversized message is buffered.
 */
export type FrameCheck =
  | { readonly kind: "incomplete"; readonly need: number }
  | { readonly kind: "complete"; readonly length: number }
  | { readonly kind: "invalid"; readonly error: DiameterError };

export function frameCheck(buf: Uint8Array, maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE): FrameCheck {
  if (buf.length < 4) return { kind: "incomplete", need: HEADER_LENGTH };
  if (buf[0] !== 1) return { kind: "invalid", error: diameterError(5011, `version ${buf[0]}`) };
  const length = ((buf[1] as number) << 16) | ((buf[2] as number) << 8) | (buf[3] as number);
  if (length < HEADER_LENGTH || (length & 3) !== 0 || length > maxMessageSize) {
    return { kind: "invalid", error: diameterError(5015, `message length ${length} (max ${maxMessageSize})`) };
  }
  return buf.length < length ? { kind: "incomplete", need: length } : { kind: "complete", length };
}

/**
 * Splits a byte stream into whole messages. Chunks are only concatenated once a message is complete,
 * and a length above the maximum is rejected as soon as its 4 bytes arrive, so memory stays bounded
 * by `maxMessageSize` plus one chunk. After an error the stream is unusable (close it).
 */
export class DiameterFramer {
  private chunks: Buffer[] = [];
  private size = 0;
  private failed: DiameterError | undefined;

  constructor(private readonly maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE) {}

  /** Bytes held waiting for the rest of a message. */
  get buffered(): number {
    return this.size;
  }

  /** Adds received bytes; returns the messages now complete (possibly none), or the stream error. */
  push(chunk: Uint8Array): Result<Buffer[], DiameterError> {
    if (this.failed !== undefined) return err(this.failed);
    if (chunk.length > 0) {
      this.chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length));
      this.size += chunk.length;
    }
    const out: Buffer[] = [];
    for (;;) {
      const head = this.peek();
      const check = frameCheck(head, this.maxMessageSize);
      if (check.kind === "invalid") {
        this.failed = check.error;
        this.chunks = [];
        this.size = 0;
        return err(check.error);
      }
      // `head` may be only the first chunk: the total held decides.
      const length = check.kind === "complete" ? check.length : check.need;
      if (this.size < length || (check.kind === "incomplete" && head.length < 4)) return ok(out);
      const all = this.chunks.length === 1 ? (this.chunks[0] as Buffer) : Buffer.concat(this.chunks, this.size);
      out.push(all.subarray(0, length));
      const rest = all.subarray(length);
      this.chunks = rest.length > 0 ? [rest] : [];
      this.size = rest.length;
    }
  }

  /** At least the first 4 bytes (or all there is) without concatenating everything. */
  private peek(): Buffer {
    const first = this.chunks[0];
    if (first === undefined) return Buffer.alloc(0);
    if (first.length >= 4 || this.chunks.length === 1) return first;
    return Buffer.concat(this.chunks, this.size).subarray(0, Math.min(4, this.size));
  }
}
