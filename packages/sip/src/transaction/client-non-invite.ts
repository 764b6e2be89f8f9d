/**
 * Non-INVITE client transaction (RFC 3261 §17.1.2, Figure 6):
 *
 *   Trying --1xx--> Proceeding --200-699--> Completed --Timer K--> Terminated
 *     +-----------200-699---------------------^
 *
 * Timer E retransmits (unreliable only), doubling up to T2 in Trying and at T2 in Proceeding;
 * Timer F times out in Trying or Proceeding.
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

  start(): void {
    this.emit({ type: "send", message: this.request });
    const e = timerValue("E", this.base, this.reliable);
    if (e !== undefined) this.armE(e);
    this.timers.arm("F", timerValue("F", this.base, this.reliable) ?? 0, () => {
      if (this.state !== "Trying" && this.state !== "Proceeding") return;
      this.emit({ type: "timeout", timer: "F" });
      this.terminate("Terminated");
    });
  }

  private armE(ms: number): void {
    this.timers.arm("E", ms, () => {
      if (this.state !== "Trying" && this.state !== "Proceeding") return;
      this.emit({ type: "send", message: this.request });
      // "If Timer E fires while in the Proceeding state, the request MUST be passed to the transport
      // layer for retransmission, and Timer E MUST be reset with a value of T2 seconds."
      this.armE(this.state === "Proceeding" ? this.base.t2 : nextInterval("E", ms, this.base));
    });
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
