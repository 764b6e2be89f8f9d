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
 * Length of the message starting at `buf[o]`: 0 while its first 4 bytes have not all arrived, -1 when
 * they are not a valid header (frameCheck says why).
 */
function lengthAt(buf: Uint8Array, o: number, maxMessageSize: number): number {
  if (buf.length - o < 4) return 0;
  if (buf[o] !== 1) return -1;
  const length = ((buf[o + 1] as number) << 16) | ((buf[o + 2] as number) << 8) | (buf[o + 3] as number);
  return length < HEADER_LENGTH || (length & 3) !== 0 || length > maxMessageSize ? -1 : length;
}

function asBuffer(chunk: Uint8Array): Buffer {
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
}

/**
 * Splits a byte stream into whole messages. Chunks are only concatenated once a message is complete,
 * and a length above the maximum is rejected as soon as its 4 bytes arrive, so memory stays bounded
 * by `maxMessageSize` plus one chunk. After an error the stream is unusable (close it).
 * A chunk that arrives with nothing held is cut into messages where it lies (no copy).
 */
export class DiameterFramer {
  private readonly chunks: Buffer[] = [];
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
    let buf: Buffer;
    if (this.size === 0) {
      buf = asBuffer(chunk);
    } else {
      if (chunk.length > 0) {
        this.chunks.push(asBuffer(chunk));
        this.size += chunk.length;
      }
      // Only the first message's header decides whether anything is complete yet.
      const head = this.peek();
      const length = lengthAt(head, 0, this.maxMessageSize);
      if (length < 0) return this.fail(head);
      if (length === 0 || this.size < length) return ok([]);
      buf = this.chunks.length === 1 ? (this.chunks[0] as Buffer) : Buffer.concat(this.chunks, this.size);
      this.chunks.length = 0;
      this.size = 0;
    }
    let out: Buffer[] | undefined;
    let o = 0;
    for (;;) {
      const length = lengthAt(buf, o, this.maxMessageSize);
      if (length < 0) return this.fail(buf.subarray(o));
      if (length === 0 || buf.length - o < length) break;
      // Usually the chunk is exactly one message: then it is the message (no view made of it).
      const message = o === 0 && length === buf.length ? buf : buf.subarray(o, o + length);
      if (out === undefined) out = [message];
      else out.push(message);
      o += length;
    }
    if (o < buf.length) {
      this.chunks.push(o === 0 ? buf : buf.subarray(o));
      this.size = buf.length - o;
    }
    return ok(out ?? []);
  }

  private fail(head: Uint8Array): Result<Buffer[], DiameterError> {
    const check = frameCheck(head, this.maxMessageSize);
    const error = check.kind === "invalid" ? check.error : diameterError(5015, "invalid message header");
    this.failed = error;
    this.chunks.length = 0;
    this.size = 0;
    return err(error);
  }

  /** At least the first 4 bytes (or all there is) without concatenating everything. */
  private peek(): Buffer {
    const first = this.chunks[0] as Buffer;
    if (first.length >= 4 || this.chunks.length === 1) return first;
    return Buffer.concat(this.chunks, this.size).subarray(0, Math.min(4, this.size));
  }
}
