/** Resolution failures, each carrying the SIP status a proxy answers with (RFC 3261 §16.7/§21). */
import type { TaggedError } from "@ims/runtime";

export type SipResolveErrorTag =
  /** No server answered in time: like a transaction time-out, 408 (RFC 3261 §16.7 step 6, §21.4.9). */
  | "dns-timeout"
  /** The server failed (SERVFAIL/REFUSED...) or could not be reached: 503 (RFC 3261 §21.5.4, §8.1.3.1). */
  | "dns-server-failure"
  /** The name exists nowhere, or has no usable SIP target (no records, SRV "."): 503 (RFC 3263 §4.3). */
  | "dns-no-target"
  /** Only transports this node does not support were offered or asked for: 503. */
  | "unsupported-transport";

export const SIP_STATUS_FOR = {
  "dns-timeout": 408,
  "dns-server-failure": 503,
  "dns-no-target": 503,
  "unsupported-transport": 503,
} as const satisfies Record<SipResolveErrorTag, number>;

export interface SipResolveError extends TaggedError<SipResolveErrorTag> {
  readonly host: string;
  /** The response a proxy sends upstream when this hop cannot be resolved. */
  readonly sipStatus: (typeof SIP_STATUS_FOR)[SipResolveErrorTag];
}

export function resolveError(tag: SipResolveErrorTag, host: string, reason: string): SipResolveError {
  return { tag, host, reason, sipStatus: SIP_STATUS_FOR[tag] };
}
