/**
 * INVITE server transaction (RFC 3261 §17.2.1, Figure 7, as amended by RFC 6026 §7.1 / Figure 7):
 *
 *   Proceeding --2xx from TU--> Accepted --Timer L--> Terminated
 *      |
 *      +--300-699 from TU--> Completed --ACK--> Confirmed --Timer I--> Terminated
 *                               +--Timer H (no ACK)--> Terminated
 *
 * 100 Trying: sent after `tryingDelay` ms (default 200, §17.2.1 "unless it knows that the TU will
 * generate a provisional or final response within 200 ms") unless the TU answers first; 0 sends it
 * at once. The layer passes the 100 it wants sent (`trying`), built from the INVITE.
 */
import { type MachineEnv, type ResponseLike, type TransactionAction, Machine } from "./machine.js";
import { nextInterval, timerValue } from "./timers.js";

export type ServerInviteState = "Proceeding" | "Completed" | "Confirmed" | "Accepted" | "Terminated";

/** Default delay before the transaction sends 100 Trying on its own. */
export const DEFAULT_TRYING_DELAY_MS = 200;

export class ServerInviteTransaction<Req, Res extends ResponseLike> extends Machine<ServerInviteState, Req, Res> {
  private lastResponse: Res | undefined;
  private tryingTimer: { cancel(): void } | undefined;

  constructor(
    private readonly env: MachineEnv & { readonly tryingDelay?: number },
    readonly request: Req,
    emit: (action: TransactionAction<Req, Res>) => void,
  ) {
    super(env, "Proceeding", emit);
  }

  /** Starts the 100 Trying timer (or sends it now) and hands the INVITE to the TU. */
  start(trying: Res): void {
    const delay = this.env.tryingDelay ?? DEFAULT_TRYING_DELAY_MS;
    if (delay <= 0) this.sendProvisional(trying);
    else
      this.tryingTimer = this.env.clock.setTimer(delay, () => {
        this.tryingTimer = undefined;
        if (this.state === "Proceeding" && this.lastResponse === undefined) this.sendProvisional(trying);
      });
    this.emit({ type: "deliver", message: this.request });
  }

  private sendProvisional(response: Res): void {
    this.lastResponse = response;
    this.emit({ type: "send", message: response });
  }

  /** A retransmitted INVITE (§17.2.1: resend the last provisional in Proceeding, the final in Completed). */
  receiveRequest(): void {
    if ((this.state === "Proceeding" || this.state === "Completed") && this.lastResponse !== undefined)
      this.emit({ type: "send", message: this.lastResponse });
    // Confirmed and Accepted absorb INVITE retransmissions.
  }

  /** An ACK matched to this transaction. */
  receiveAck(ack: Req): void {
    if (this.state === "Completed") {
      this.timers.cancel("G");
      this.timers.cancel("H");
      this.enter("Confirmed");
      this.armOrNow("I", timerValue("I", this.base, this.reliable) ?? 0, () => this.terminate("Terminated"));
    } else if (this.state === "Accepted") {
      // RFC 6026 §7.1: an ACK matching the Accepted transaction is passed to the TU.
      this.emit({ type: "deliver", message: ack });
    }
  }

  /** A response from the TU. */
  respond(response: Res): void {
    const status = response.status;
    if (this.state === "Accepted") {
      // RFC 6026 §7.1: further 2xx from the TU are sent; nothing else is.
      if (status >= 200 && status < 300) this.emit({ type: "send", message: response });
      return;
    }
    if (this.state !== "Proceeding") return;
    this.tryingTimer?.cancel();
    this.tryingTimer = undefined;
    this.lastResponse = response;
    if (status < 200) {
      this.emit({ type: "send", message: response });
    } else if (status < 300) {
      this.enter("Accepted");
      this.emit({ type: "send", message: response });
      this.timers.arm("L", timerValue("L", this.base, this.reliable) ?? 0, () => this.terminate("Terminated"));
    } else {
      this.enter("Completed");
      this.emit({ type: "send", message: response });
      const g = timerValue("G", this.base, this.reliable);
      if (g !== undefined) this.armG(g);
      this.timers.arm("H", timerValue("H", this.base, this.reliable) ?? 0, () => {
        if (this.state !== "Completed") return;
        this.emit({ type: "timeout", timer: "H" });
        this.terminate("Terminated");
      });
    }
  }

  private armG(ms: number): void {
    this.timers.arm("G", ms, () => {
      if (this.state !== "Completed" || this.lastResponse === undefined) return;
      this.emit({ type: "send", message: this.lastResponse });
      this.armG(nextInterval("G", ms, this.base));
    });
  }

  /** The transport could not send a response. */
  transportError(): void {
    if (this.state === "Terminated") return;
    this.emit({ type: "transport-error" });
    // RFC 6026 Figure 7 keeps Accepted until Timer L: a later 2xx retransmission may still get out.
    if (this.state !== "Accepted") this.terminate("Terminated");
  }

  override dispose(): void {
    this.tryingTimer?.cancel();
    super.dispose();
  }

  protected override terminate(state: ServerInviteState): void {
    this.tryingTimer?.cancel();
    super.terminate(state);
  }
}
