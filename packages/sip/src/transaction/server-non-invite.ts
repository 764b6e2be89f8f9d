/**
 * Non-INVITE server transaction (RFC 3261 §17.2.2, Figure 8):
 *
 *   Trying --1xx from TU--> Proceeding --200-699 from TU--> Completed --Timer J--> Terminated
 *     +-----------------200-699 from TU-----------------------^
 *
 * Request retransmissions are absorbed in Trying, answered with the last provisional in
 * Proceeding and with the final response in Completed.
 */
import { type MachineEnv, type ResponseLike, type TransactionAction, Machine } from "./machine.js";
import { timerValue } from "./timers.js";

export type ServerNonInviteState = "Trying" | "Proceeding" | "Completed" | "Terminated";

export class ServerNonInviteTransaction<Req, Res extends ResponseLike> extends Machine<
  ServerNonInviteState,
  Req,
  Res
> {
  private lastResponse: Res | undefined;

  /**
   * @param completedElsewhere the owner keeps the final response for retransmissions itself and
   *   disposes the machine on entering Completed, so Timer J is not armed.
   */
  constructor(
    env: MachineEnv,
    readonly request: Req,
    emit: (action: TransactionAction<Req, Res>) => void,
    private readonly completedElsewhere = false,
  ) {
    super(env, "Trying", emit);
  }

  /** Hands the request to the TU. */
  start(): void {
    this.emit({ type: "deliver", message: this.request });
  }

  receiveRequest(): void {
    if ((this.state === "Proceeding" || this.state === "Completed") && this.lastResponse !== undefined)
      this.emit({ type: "send", message: this.lastResponse });
  }

  respond(response: Res): void {
    if (this.state !== "Trying" && this.state !== "Proceeding") return;
    this.lastResponse = response;
    this.emit({ type: "send", message: response });
    if (response.status < 200) {
      this.enter("Proceeding");
      return;
    }
    this.enter("Completed");
    if (this.completedElsewhere) return;
    this.armOrNow("J", timerValue("J", this.base, this.reliable) ?? 0, () => this.terminate("Terminated"));
  }

  /** As Machine.dispose; the final response is the owner's to keep (it keeps its bytes). */
  override dispose(): void {
    super.dispose();
    this.lastResponse = undefined;
  }

  transportError(): void {
    if (this.state === "Terminated") return;
    this.emit({ type: "transport-error" });
    this.terminate("Terminated");
  }
}
