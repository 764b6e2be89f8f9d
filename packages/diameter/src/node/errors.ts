import type { TaggedError } from "@ims/runtime";

/**
 * Why a request got no answer:
 * - `no-route`: no open, watchdog-OKAY peer advertised the application for the Destination-Host/Realm
 *   (what a relay would answer with 3002 DIAMETER_UNABLE_TO_DELIVER);
 * - `timeout`: no answer within the request's timeout;
 * - `peer-down`: the connection the request went over closed before the answer came;
 * - `stopped`: the node is stopping or stopped.
 */
export type RequestFailure = "no-route" | "timeout" | "peer-down" | "stopped";

export interface DiameterRequestError extends TaggedError<"diameter-request"> {
  readonly kind: RequestFailure;
  /** The peer the request was sent to, when it got that far. */
  readonly peer?: string;
}

export function requestError(kind: RequestFailure, reason: string, peer?: string): DiameterRequestError {
  return peer === undefined ? { tag: "diameter-request", kind, reason } : { tag: "diameter-request", kind, reason, peer };
}
