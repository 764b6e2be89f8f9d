/**
 * What a transport does with the bytes of one received message, whatever the socket: parse it,
 * validate it, apply §18.2.1 to a request's top Via, and decide between delivering it, answering a malformed
 * request with the status its parse error carries (e.g. "400 Bad Request (malformed Via)"), or
 * dropping it (a malformed response, or a request too broken to address an answer). Pure.
 */
import type { Endpoint } from "@ims/runtime";
import {
  type ParseLimits,
  type SipParseError,
  type SipResponse,
  parseError,
  parseMessage,
  responseToParseError,
  validateMessage,
} from "../message/index.js";
import { getTopVia } from "./top-via.js";
import type { Destination, Inbound } from "./types.js";
import { stampReceived } from "./via-received.js";

/** The message to deliver itself (kind "request" or "response": no wrapper per message), or what to do instead. */
export type InboundOutcome =
  | Inbound
  /** Send `response` back to the source (same connection on TCP). */
  | { readonly kind: "reply"; readonly response: SipResponse; readonly reason: string }
  | { readonly kind: "drop"; readonly reason: string };

export function processInbound(
  data: Buffer,
  source: Destination,
  local: Endpoint,
  limits?: Partial<ParseLimits>,
): InboundOutcome {
  const read = parseMessage(data, limits);
  // Mandatory headers present and well formed (§8.2, §16.3) before anything acts on the message.
  const parsed = read.ok ? validateMessage(read.value) : read;
  if (!parsed.ok) {
    // An ACK is never answered (§17.1.1.3, §17.2.1), however broken.
    if (parsed.error.method === "ACK") return { kind: "drop", reason: parsed.error.reason };
    const response = responseToParseError(parsed.error);
    return response === undefined
      ? { kind: "drop", reason: parsed.error.reason }
      : { kind: "reply", response, reason: parsed.error.reason };
  }
  const message = parsed.value;
  const via = getTopVia(message);
  if (message.kind === "response") {
    if (via === undefined) return { kind: "drop", reason: "response without a valid Via" };
    return { kind: "response", message, source, local };
  }
  if (via === undefined) return { kind: "drop", reason: "request without a valid Via" };
  stampReceived(message, source);
  return { kind: "request", message, source, local };
}

/**
 * The answer to a request whose TCP stream could not be framed (RFC 3261 §18.3: a malformed,
 * conflicting or missing Content-Length; too large): the framing error's status and reason, built
 * from the header lines that could be read of `data` (what was buffered). Undefined for a response,
 * an ACK, or when From/To/Call-ID/CSeq/Via cannot be read.
 */
export function answerStreamError(error: SipParseError, data: Buffer, limits?: Partial<ParseLimits>): SipResponse | undefined {
  const read = parseMessage(data, limits);
  const seen = read.ok
    ? { kind: read.value.kind, method: read.value.kind === "request" ? read.value.method : undefined, headers: read.value.headers }
    : read.error;
  if (seen.kind !== "request" || seen.method === undefined || seen.method === "ACK") return undefined;
  return responseToParseError(parseError(error.status, error.reason, { kind: "request", method: seen.method, headers: seen.headers }));
}
