/**
 * INVITE client transaction (RFC 3261 §17.1.1, Figure 5, as amended by RFC 6026 §7.2 / Figure 5):
 *
 *   Calling --1xx--> Proceeding --300-699 (send ACK)--> Completed --Timer D--> Terminated
 *      |                 |
 *      +------2xx--------+--> Accepted --Timer M--> Terminated
 *
 * Timer A retransmits the INVITE over unreliable transports; Timer B times the transaction out in
 * Calling. The ACK for a non-2xx final response is built by the layer (`buildAck`) since it copies
 * headers of the original request (§17.1.1.3).
 */
import { type MachineEnv, type ResponseLike, type TransactionAction, Machine } from "./machine.js";
import { nextInterval, timerValue } from "./timers.js";

export type ClientInviteState = "Calling" | "Proceeding" | "Completed" | "Accepted" | "Terminated";

export class ClientInviteTransaction<Req, Res extends ResponseLike> extends Machine<ClientInviteState, Req, Res> {
  private ack: Req | undefined;

  constructor(
    env: MachineEnv,
    readonly request: Req,
    private readonly buildAck: (response: Res) => Req,
    emit: (action: TransactionAction<Req, Res>) => void,
  ) {
    super(env, "Calling", emit);
  }

  /** Sends the INVITE and arms Timers A (unreliable only) and B. */
  start(): void {
    this.emit({ type: "send", message: this.request });
    const a = timerValue("A", this.base, this.reliable);
    if (a !== undefined) this.armA(a);
    this.timers.arm("B", timerValue("B", this.base, this.reliable) ?? 0, () => {
      if (this.state !== "Calling") return;
      this.emit({ type: "timeout", timer: "B" });
      this.terminate("Terminated");
    });
  }

  private armA(ms: number): void {
    this.timers.arm("A", ms, () => {
      if (this.state !== "Calling") return;
      this.emit({ type: "send", message: this.request });
      this.armA(nextInterval("A", ms, this.base));
    });
  }

  receive(response: Res): void {
    const status = response.status;
    switch (this.state) {
      case "Calling":
      case "Proceeding":
        if (status < 200) {
          this.timers.cancel("A");
          // In Proceeding no timer bounds the wait (a proxy uses Timer C, §16.6).
          this.timers.cancel("B");
          this.enter("Proceeding");
          this.emit({ type: "deliver", message: response });
        } else if (status < 300) {
          this.timers.cancelAll();
          this.enter("Accepted");
          this.emit({ type: "deliver", message: response });
          this.timers.arm("M", timerValue("M", this.base, this.reliable) ?? 0, () => this.terminate("Terminated"));
        } else {
          this.timers.cancelAll();
          this.enter("Completed");
          this.sendAck(response);
          this.emit({ type: "deliver", message: response });
          this.armOrNow("D", timerValue("D", this.base, this.reliable) ?? 0, () => this.terminate("Terminated"));
        }
        return;
      case "Completed":
        // "Any retransmissions of the final response ... MUST cause the ACK to be re-passed to the
        // transport layer" but MUST NOT be passed up to the TU.
        if (status >= 300) this.sendAck(response);
        return;
      case "Accepted":
        // RFC 6026 §7.2: 2xx retransmissions (and 2xx from other forks) go to the TU.
        if (status >= 200 && status < 300) this.emit({ type: "deliver", message: response });
        return;
      case "Terminated":
        return;
    }
  }

  transportError(): void {
    if (this.state === "Terminated") return;
    this.emit({ type: "transport-error" });
    this.terminate("Terminated");
  }

  private sendAck(response: Res): void {
    this.ack ??= this.buildAck(response);
    this.emit({ type: "send", message: this.ack });
  }
}
