/**
 * The 2xx to INVITE is end to end: no transaction retransmits it or its ACK. So the UAS core
 * retransmits its 2xx (RFC 3261 §13.3.1.4: T1 doubling up to T2, until the ACK, giving up after
 * 64*T1) and the UAC core answers every retransmitted 2xx with the same ACK (§13.2.2.4). Both are
 * keyed by Call-ID and CSeq number.
 */
import type { Clock, TimerHandle } from "@ims/runtime";
import { getCSeq } from "../headers/index.js";
import { type SipMessage, type SipRequest, getHeader } from "../message/index.js";
import type { Destination } from "../transport/types.js";
import { type TimerBase, DEFAULT_TIMER_BASE } from "../transaction/timers.js";

export const dialogKey = (m: SipMessage): string => `${getHeader(m, "call-id") ?? ""}|${getCSeq(m)?.seq ?? ""}`;

export class Uas2xxRetransmitter {
  private readonly pending = new Map<string, { timer: TimerHandle; deadline: TimerHandle }>();

  constructor(
    private readonly clock: Clock,
    private readonly base: TimerBase = DEFAULT_TIMER_BASE,
  ) {}

  /** Starts retransmitting (by calling `resend`) until `ack` is called for the key or 64*T1 pass. */
  start(key: string, resend: () => void, onNoAck: () => void): void {
    this.stop(key);
    const entry = {
      timer: undefined as unknown as TimerHandle,
      deadline: this.clock.setTimer(64 * this.base.t1, () => {
        this.stop(key);
        onNoAck();
      }),
    };
    const arm = (ms: number) => {
      entry.timer = this.clock.setTimer(ms, () => {
        resend();
        arm(Math.min(ms * 2, this.base.t2));
      });
    };
    arm(this.base.t1);
    this.pending.set(key, entry);
  }

  /** An ACK arrived: stop. True when a 2xx was waiting for it. */
  ack(key: string): boolean {
    return this.stop(key);
  }

  private stop(key: string): boolean {
    const e = this.pending.get(key);
    if (e === undefined) return false;
    e.timer.cancel();
    e.deadline.cancel();
    this.pending.delete(key);
    return true;
  }

  get size(): number {
    return this.pending.size;
  }
}

/** ACKs a UAC sent for 2xx responses, kept 64*T1 to answer retransmitted 2xx. */
export class UacAckCache {
  private readonly acks = new Map<string, { ack: SipRequest; dest: Destination; timer: TimerHandle }>();

  constructor(
    private readonly clock: Clock,
    private readonly base: TimerBase = DEFAULT_TIMER_BASE,
  ) {}

  remember(ack: SipRequest, dest: Destination): void {
    const key = dialogKey(ack);
    this.acks.get(key)?.timer.cancel();
    const timer = this.clock.setTimer(64 * this.base.t1, () => this.acks.delete(key));
    this.acks.set(key, { ack, dest, timer });
  }

  /** The ACK to resend for a retransmitted 2xx, if we sent one. */
  lookup(response: SipMessage): { ack: SipRequest; dest: Destination } | undefined {
    return this.acks.get(dialogKey(response));
  }
}
