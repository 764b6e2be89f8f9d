import { headerKey } from "../headers/names.js";
import { isDigits } from "./chars.js";
import { parseError, type SipParseError } from "./parse-error.js";
import { findHeaderEnd } from "./parse.js";
import { resolveLimits, type ParseLimits } from "./types.js";

/**
 * Result of looking for one message at the start of a stream buffer (RFC 3261 §18.3: on a stream,
 * Content-Length is mandatory and frames the message).
 * - "need-more": wait for more bytes.
 * - "keepalive": `length` bytes of CRLF at the start (RFC 5626 §3.5.1 ping/pong, or §7.5 filler);
 *   consume them (`pong` is true for a "\r\n\r\n" ping, which must be answered with "\r\n").
 * - "complete": the first `length` bytes are one message; pass them to `parseMessage`.
 * - "error": the stream cannot be framed (bad/missing Content-Length, too large): close it.
 */
export type FrameResult =
  | { readonly kind: "need-more" }
  | { readonly kind: "keepalive"; readonly length: number; readonly pong: boolean }
  | { readonly kind: "complete"; readonly length: number }
  | { readonly kind: "error"; readonly error: SipParseError };

const NEED_MORE: FrameResult = { kind: "need-more" };

export function frameMessage(buf: Buffer, limits?: Partial<ParseLimits>): FrameResult {
  const lim = resolveLimits(limits);
  let i = 0;
  while (i < buf.length && (buf[i] === 0x0d || buf[i] === 0x0a)) i++;
  if (i > 0) {
    if (i >= 4 && buf[0] === 0x0d && buf[1] === 0x0a && buf[2] === 0x0d && buf[3] === 0x0a) {
      return { kind: "keepalive", length: 4, pong: true };
    }
    // A possible ping still arriving: wait; otherwise consume the CR/LF filler.
    if (i === buf.length && i < 4 && "\r\n\r\n".startsWith(buf.toString("latin1"))) return NEED_MORE;
    return { kind: "keepalive", length: i, pong: false };
  }
  const he = findHeaderEnd(buf, 0);
  if (he === undefined) {
    if (buf.length > lim.maxMessageBytes) return { kind: "error", error: parseError(513, "header block too large") };
    return NEED_MORE;
  }
  const text = buf.toString("latin1", 0, he.end);
  let contentLength = -1;
  let pos = text.indexOf("\n") + 1;
  while (pos > 0 && pos < text.length) {
    let eol = text.indexOf("\n", pos);
    if (eol < 0) eol = text.length;
    const colon = text.indexOf(":", pos);
    if (colon > 0 && colon < eol) {
      const name = text.slice(pos, colon).trimEnd();
      if ((name.length === 14 || name.length === 1) && headerKey(name) === "content-length") {
        const v = text.slice(colon + 1, eol).trim();
        if (!isDigits(v)) return { kind: "error", error: parseError(400, "malformed Content-Length") };
        const n = Number(v);
        if (contentLength >= 0 && n !== contentLength) {
          return { kind: "error", error: parseError(400, "conflicting Content-Length values") };
        }
        contentLength = n;
      }
    }
    pos = eol + 1;
  }
  if (contentLength < 0) return { kind: "error", error: parseError(400, "Content-Length is mandatory on a stream transport") };
  const total = he.bodyStart + contentLength;
  if (total > lim.maxMessageBytes) return { kind: "error", error: parseError(513, `message larger than ${lim.maxMessageBytes} bytes`) };
  if (buf.length < total) return NEED_MORE;
  return { kind: "complete", length: total };
}
