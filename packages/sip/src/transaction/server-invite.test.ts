import { FakeClock } from "@ims/runtime";
import { describe, expect, it } from "vitest";
import type { TransactionAction } from "./machine.js";
import { ServerInviteTransaction } from "./server-invite.js";

interface Req {
  readonly method: string;
}
interface Res {
  readonly status: number;
}

function setup(reliable = false, tryingDelay?: number) {
  const clock = new FakeClock();
  const actions: TransactionAction<Req, Res>[] = [];
  const sent: [number, number][] = [];
  const env = tryingDelay === undefined ? { clock, reliable } : { clock, reliable, tryingDelay };
  const tx = new ServerInviteTransaction<Req, Res>(env, { method: "INVITE" }, (a) => {
    actions.push(a);
    if (a.type === "send") sent.push([clock.now(), (a.message as Res).status]);
  });
  tx.start({ status: 100 });
  return { clock, actions, tx, sent };
}

describe("INVITE server transaction", () => {
  it("Proceeding: delivers the INVITE, sends 100 Trying after 200 ms, answers retransmits with it", () => {
    const { clock, actions, tx, sent } = setup();
    expect(tx.state).toBe("Proceeding");
    expect(actions[0]).toEqual({ type: "deliver", message: { method: "INVITE" } });
    tx.receiveRequest(); // nothing to resend yet
    expect(sent).toEqual([]);
    clock.advance(200);
    expect(sent).toEqual([[200, 100]]);
    tx.receiveRequest();
    expect(sent).toEqual([
      [200, 100],
      [200, 100],
    ]);
  });

  it("no 100 Trying when the TU answers within 200 ms; tryingDelay 0 sends it at once", () => {
    const a = setup();
    a.tx.respond({ status: 180 });
    a.clock.advance(1000);
    expect(a.sent).toEqual([[0, 180]]);
    const b = setup(false, 0);
    expect(b.sent).toEqual([[0, 100]]);
  });

  it("Proceeding → Completed on 486: Timer G retransmits up to T2, Timer H times out at 64*T1", () => {
    const { clock, actions, tx, sent } = setup();
    tx.respond({ status: 486 });
    expect(tx.state).toBe("Completed");
    expect(tx.armedTimers()).toEqual(["G", "H"]);
    tx.receiveRequest();
    clock.advance(32_000);
    expect(sent.map((s) => s[0])).toEqual([0, 0, 500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500]);
    expect(tx.state).toBe("Terminated");
    expect(actions.slice(-2)).toEqual([{ type: "timeout", timer: "H" }, { type: "terminated" }]);
  });

  it("Completed → Confirmed on ACK: stops G and H, absorbs ACKs and INVITEs, Timer I = T4", () => {
    const { clock, tx, sent, actions } = setup();
    tx.respond({ status: 404 });
    tx.receiveAck({ method: "ACK" });
    expect(tx.state).toBe("Confirmed");
    expect(tx.armedTimers()).toEqual(["I"]);
    tx.receiveAck({ method: "ACK" });
    tx.receiveRequest();
    expect(sent).toHaveLength(1);
    expect(actions.filter((a) => a.type === "deliver")).toHaveLength(1);
    clock.advance(4999);
    expect(tx.state).toBe("Confirmed");
    clock.advance(1);
    expect(tx.state).toBe("Terminated");
  });

  it("reliable: no Timer G, Confirmed → Terminated at once (I = 0)", () => {
    const { clock, tx, sent } = setup(true);
    tx.respond({ status: 500 });
    expect(tx.armedTimers()).toEqual(["H"]);
    clock.advance(1000);
    expect(sent).toHaveLength(1);
    tx.receiveAck({ method: "ACK" });
    expect(tx.state).toBe("Terminated");
  });

  it("Proceeding → Accepted on 2xx (RFC 6026): absorbs INVITEs, passes ACK up, sends TU 2xx, Timer L", () => {
    const { clock, tx, sent, actions } = setup();
    tx.respond({ status: 180 });
    tx.respond({ status: 200 });
    expect(tx.state).toBe("Accepted");
    expect(tx.armedTimers()).toEqual(["L"]);
    tx.receiveRequest();
    expect(sent).toEqual([
      [0, 180],
      [0, 200],
    ]);
    tx.respond({ status: 200 }); // TU retransmission of the 2xx
    tx.respond({ status: 486 }); // not allowed after a 2xx
    expect(sent).toHaveLength(3);
    tx.receiveAck({ method: "ACK" });
    expect(actions.filter((a) => a.type === "deliver").map((a) => (a.message as Req).method)).toEqual([
      "INVITE",
      "ACK",
    ]);
    clock.advance(31_999);
    expect(tx.state).toBe("Accepted");
    clock.advance(1);
    expect(tx.state).toBe("Terminated");
  });

  it("transport error in Proceeding or Completed terminates; in Accepted it only informs the TU", () => {
    const a = setup();
    a.tx.respond({ status: 180 });
    a.tx.transportError();
    expect(a.tx.state).toBe("Terminated");
    expect(a.actions.slice(-2)).toEqual([{ type: "transport-error" }, { type: "terminated" }]);
    expect(a.clock.pending()).toBe(0);
    const b = setup();
    b.tx.respond({ status: 486 });
    b.tx.transportError();
    expect(b.tx.state).toBe("Terminated");
    const c = setup();
    c.tx.respond({ status: 200 });
    c.tx.transportError();
    expect(c.tx.state).toBe("Accepted");
    expect(c.actions.at(-1)).toEqual({ type: "transport-error" });
  });
});
