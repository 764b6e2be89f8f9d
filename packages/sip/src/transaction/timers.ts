/**
 * Transaction timers (RFC 3261 §17 and Table 4 of Appendix A; RFC 6026 §8.11 for L and M).
 * T1/T2/T4 are configurable; every other value derives from them. Over a reliable transport the
 * retransmission timers (A, E, G) are never armed and the "wait" timers D, I, J, K are zero.
 */

export interface TimerBase {
  /** RTT estimate; default 500 ms. */
  readonly t1: number;
  /** Maximum retransmit interval for non-INVITE requests and INVITE responses; default 4 s. */
  readonly t2: number;
  /** Maximum time a message remains in the network; default 5 s. */
  readonly t4: number;
}

export const DEFAULT_TIMER_BASE: TimerBase = { t1: 500, t2: 4000, t4: 5000 };

/** Names of the timers of RFC 3261 Table 4 plus RFC 6026's L and M. */
export type TimerName = "A" | "B" | "C" | "D" | "E" | "F" | "G" | "H" | "I" | "J" | "K" | "L" | "M";

/** What each timer is for, as Table 4 and RFC 6026 describe it. */
export const TIMER_MEANING = {
  A: "INVITE request retransmit interval, UDP only (§17.1.1.2)",
  B: "INVITE transaction timeout (§17.1.1.2)",
  C: "proxy INVITE transaction timeout, > 3 min (§16.6 step 11)",
  D: "wait time for response retransmits (§17.1.1.2)",
  E: "non-INVITE request retransmit interval, UDP only (§17.1.2.2)",
  F: "non-INVITE transaction timeout (§17.1.2.2)",
  G: "INVITE response retransmit interval (§17.2.1)",
  H: "wait time for ACK receipt (§17.2.1)",
  I: "wait time for ACK retransmits (§17.2.1)",
  J: "wait time for non-INVITE request retransmits (§17.2.2)",
  K: "wait time for response retransmits (§17.1.2.2)",
  L: "wait time for accepted INVITE request retransmits (RFC 6026 §8.11)",
  M: "wait time for retransmission of 2xx to INVITE or additional 2xx from other branches (RFC 6026 §8.11)",
} as const satisfies Record<TimerName, string>;

/**
 * Initial value of a timer, in ms. `undefined` means the timer is not armed on this transport
 * (A, E, G over a reliable transport).
 */
export function timerValue(name: TimerName, base: TimerBase, reliable: boolean): number | undefined {
  const { t1, t4 } = base;
  switch (name) {
    case "A":
    case "E":
    case "G":
      return reliable ? undefined : t1;
    case "B":
    case "F":
    case "H":
    case "L":
    case "M":
      return 64 * t1;
    case "C":
      return 180_000 + 1000; // "MUST be set for a value greater than 3 minutes"
    case "D":
      return reliable ? 0 : Math.max(32_000, 64 * t1);
    case "I":
    case "K":
      return reliable ? 0 : t4;
    case "J":
      return reliable ? 0 : 64 * t1;
  }
}

/** Next retransmit interval: A doubles without bound (§17.1.1.2); E and G double up to T2. */
export function nextInterval(name: "A" | "E" | "G", current: number, base: TimerBase): number {
  return name === "A" ? current * 2 : Math.min(current * 2, base.t2);
}
