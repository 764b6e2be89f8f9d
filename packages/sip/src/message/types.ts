/**
 * The SIP message model (RFC 3261 §7). A message keeps every header line as received: its raw name
 * (compact or long, any case) and its raw value (line folding collapsed to one SP, outer whitespace
 * trimmed), in order. Typed views are parsed on demand from these raw values (see ../headers).
 */

/** One header line. Replace the object to change it: parsed views are cached per object. */
export interface SipHeader {
  readonly name: string;
  readonly value: string;
}

export interface SipRequest {
  readonly kind: "request";
  method: string;
  /** The Request-URI as text; parse it with `parseUri` when needed. */
  uri: string;
  headers: SipHeader[];
  /** The body bytes (may be a view into the buffer the message was parsed from). */
  body: Buffer;
}

export interface SipResponse {
  readonly kind: "response";
  status: number;
  reason: string;
  headers: SipHeader[];
  body: Buffer;
}

export type SipMessage = SipRequest | SipResponse;

export const SIP_VERSION = "SIP/2.0";

/** Limits applied by the parser and the stream framer; all configurable. */
export interface ParseLimits {
  /** Whole message (start line + headers + body), bytes. Over it: 513. */
  readonly maxMessageBytes: number;
  /** Number of header lines. Over it: 513. */
  readonly maxHeaders: number;
  /** One header line after unfolding, bytes (characters). Over it: 513. */
  readonly maxHeaderLineBytes: number;
}

export const DEFAULT_LIMITS: ParseLimits = {
  maxMessageBytes: 256 * 1024,
  maxHeaders: 256,
  maxHeaderLineBytes: 16 * 1024,
};

export function resolveLimits(limits?: Partial<ParseLimits>): ParseLimits {
  return limits === undefined ? DEFAULT_LIMITS : { ...DEFAULT_LIMITS, ...limits };
}
