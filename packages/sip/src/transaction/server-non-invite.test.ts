import { FakeClock } from "@ims/runtime";
import { describe, expect, it } from "vitest";
import type { TransactionAction } from "./machine.js";
import { ServerNonInviteTransaction } from "./server-non-invite.js";

interface Req {
  readonly method: string;
}
interface Res {
  readonly status: number;
}

function setup(reliable = false) {
  const clock = new FakeClock();
  const actions: TransactionAction<Req, Res>[] = [];
  const sent: number[] = [];
  const tx = new ServerNonInviteTransaction<Req, Res>({ clock, reliable }, { method: "OPTIONS" }, (a) => {
    actions.push(a);
    if (a.type === "send") sent.push((a.message as Res).status);
  });
  tx.start();
  return { clock, actions, tx, sent };
}

describe("non-INVITE server transaction", () => {
  it("completed elsewhere (the owner keeps the final response): enters Completed without arming Timer J", () => {
    const clock = new FakeClock();
    const sent: number[] = [];
    const tx = new ServerNonInviteTransaction<Req, Res>({ clock, reliable: false }, { method: "REGISTER" }, (a) => {
      if (a.type === "send") sent.push((a.message as Res).status);
    }, true);
    tx.start();
    tx.respond({ status: 200 });
    expect(sent).toEqual([200]);
    expect(tx.state).toBe("Completed");
    expect(tx.armedTimers()).toEqual([]);
    expect(clock.pending()).toBe(0);
  });

  it("disposed: emits nothing more and lets go of its final response (the owner keeps its bytes)", () => {
    const { tx, actions } = setup();
    tx.respond({ status: 200 });
    const before = actions.length;
    tx.dispose();
    tx.receiveRequest(); // a retransmission would resend the final response before dispose
    tx.transportError();
    expect(actions.length).toBe(before);
    expect((tx as unknown as { lastResponse: unknown }).lastResponse).toBeUndefined();
  });

  it("Trying: delivers the request once and absorbs retransmissions", () => {
    const { tx, actions, sent } = setup();
    expect(tx.state).toBe("Trying");
    tx.receiveRequest();
    expect(actions).toEqual([{ type: "deliver", message: { method: "OPTIONS" } }]);
    expect(sent).toEqual([]);
  });

  it("Trying → Proceeding → Completed: resends the last response to retransmits, Timer J = 64*T1", () => {
    const { clock, tx, sent } = setup();
    tx.respond({ status: 100 });
    expect(tx.state).toBe("Proceeding");
    tx.receiveRequest();
    expect(sent).toEqual([100, 100]);
    tx.respond({ status: 200 });
    expect(tx.state).toBe("Completed");
    expect(tx.armedTimers()).toEqual(["J"]);
    tx.receiveRequest();
    tx.respond({ status: 500 }); // too late: ignored
    expect(sent).toEqual([100, 100, 200, 200]);
    clock.advance(31_999);
    expect(tx.state).toBe("Completed");
    clock.advance(1);
    expect(tx.state).toBe("Terminated");
  });

  it("Trying → Completed → Terminated at once over a reliable transport (J = 0)", () => {
    const { tx, actions } = setup(true);
    tx.respond({ status: 404 });
    expect(tx.state).toBe("Terminated");
    expect(actions.at(-1)).toEqual({ type: "terminated" });
  });

  it("transport error terminates", () => {
    const { tx, actions, clock } = setup();
    tx.respond({ status: 200 });
    tx.transportError();
    expect(tx.state).toBe("Terminated");
    expect(actions.slice(-2)).toEqual([{ type: "transport-error" }, { type: "terminated" }]);
    expect(clock.pending()).toBe(0);
  });
});
