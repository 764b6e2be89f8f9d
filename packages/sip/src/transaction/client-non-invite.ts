/**
 * Non-INVITE client transaction (RFC 3261 §17.1.2, Figure 6):
 *
 *   Trying --1xx--> Proceeding --200-699--> Completed --Timer K--> Terminated
 *     +-----------200-699---------------------^
 *
 * Timer E retransmits (unreliable only), doubling up to T2 in Trying and at T2 in Proceeding;
 * Timer F times out in Trying or Proceeding. Over an unreliable transport E always fires before
 * F's deadline, so one clock timer does both: E's last interval is cut to end at F, and the E that
 * falls on F's deadline times out instead of retransmitting (a timer less per transaction).
 */
import { type MachineEnv, type ResponseLike, type TransactionAction, Machine } from "./machine.js";
import { nextInterval, timerValue } from "./timers.js";

export type ClientNonInviteState = "Trying" | "Proceeding" | "Completed" | "Terminated";

export class ClientNonInviteTransaction<Req, Res extends ResponseLike> extends Machine<
  ClientNonInviteState,
  Req,
  Res
> {
  constructor(
    env: MachineEnv,
    readonly request: Req,
    emit: (action: TransactionAction<Req, Res>) => void,
  ) {
    super(env, "Trying", emit);
  }

  /** Time from start to Timer F. */
  private f = 0;
  /** Time from start to when the armed Timer E fires. */
  private elapsed = 0;
  /** The interval of the armed Timer E (what it doubles from). */
  private interval = 0;

  start(): void {
    this.emit({ type: "send", message: this.request });
    this.f = timerValue("F", this.base, this.reliable) ?? 0;
    const e = timerValue("E", this.base, this.reliable);
    if (e === undefined) this.timers.arm("F", this.f, () => this.timeoutF());
    else this.armE(e);
  }

  private timeoutF(): void {
    if (this.state !== "Trying" && this.state !== "Proceeding") return;
    this.emit({ type: "timeout", timer: "F" });
    this.terminate("Terminated");
  }

  /** Arms E for `ms`, or to fire at F's deadline if that comes first. */
  private armE(ms: number): void {
    this.interval = ms;
    const wait = Math.min(ms, this.f - this.elapsed);
    this.elapsed += wait;
    this.timers.arm("E", wait, () => this.fireE());
  }

  private fireE(): void {
    if (this.state !== "Trying" && this.state !== "Proceeding") return;
    if (this.elapsed >= this.f) return this.timeoutF();
    this.emit({ type: "send", message: this.request });
    // "If Timer E fires while in the Proceeding state, the request MUST be passed to the transport
    // layer for retransmission, and Timer E MUST be reset with a value of T2 seconds."
    this.armE(this.state === "Proceeding" ? this.base.t2 : nextInterval("E", this.interval, this.base));
  }

  receive(response: Res): void {
    if (this.state !== "Trying" && this.state !== "Proceeding") return; // Completed absorbs retransmits
    if (response.status < 200) {
      this.enter("Proceeding");
      this.emit({ type: "deliver", message: response });
      return;
    }
    this.timers.cancelAll();
    this.enter("Completed");
    this.emit({ type: "deliver", message: response });
    this.armOrNow("K", timerValue("K", this.base, this.reliable) ?? 0, () => this.terminate("Terminated"));
  }

  transportError(): void {
    if (this.state === "Terminated") return;
    this.emit({ type: "transport-error" });
    this.terminate("Terminated");
  }
}
