import type { TaggedError } from "@ims/runtime";
import type { SipHeader } from "./types.js";

/** Status codes a parse or validation error can ask the server to answer (RFC 3261 §21). */
export type SipErrorStatus = 400 | 416 | 420 | 501 | 505 | 513;

/**
 * A message that cannot be accepted. `status` is the answer a server gives to a request (a response
 * in error is dropped). Whatever could be read is kept so that a response can still be built:
 * `headers` holds the header lines read before the fault (all of them for a validation error).
 */
export interface SipParseError extends TaggedError<"sip-parse"> {
  readonly status: SipErrorStatus;
  readonly kind?: "request" | "response";
  readonly method?: string;
  readonly headers: readonly SipHeader[];
}

export function parseError(
  status: SipErrorStatus,
  reason: string,
  partial?: { kind?: "request" | "response"; method?: string; headers?: readonly SipHeader[] },
): SipParseError {
  const e: { -readonly [K in keyof SipParseError]: SipParseError[K] } = {
    tag: "sip-parse",
    status,
    reason,
    headers: partial?.headers ?? [],
  };
  if (partial?.kind !== undefined) e.kind = partial.kind;
  if (partial?.method !== undefined) e.method = partial.method;
  return e;
}
