import { FakeClock } from "@ims/runtime";
import { describe, expect, it } from "vitest";
import { ClientInviteTransaction } from "./client-invite.js";
import type { TransactionAction } from "./machine.js";

interface Req {
  readonly method: string;
}
interface Res {
  readonly status: number;
}
const INVITE: Req = { method: "INVITE" };

function setup(reliable = false) {
  const clock = new FakeClock();
  const actions: TransactionAction<Req, Res>[] = [];
  const acks: Res[] = [];
  const tx = new ClientInviteTransaction<Req, Res>(
    { clock, reliable },
    INVITE,
    (r) => {
      acks.push(r);
      return { method: "ACK" };
    },
    (a) => actions.push(a),
  );
  const sends = () => actions.filter((a) => a.type === "send").length;
  return { clock, actions, acks, tx, sends };
}

describe("INVITE client transaction", () => {
  it("Calling: retransmits with Timer A doubling (500, 1000, 2000 ...) and times out on Timer B at 32 s", () => {
    const { clock, actions, tx, sends } = setup();
    tx.start();
    expect(tx.state).toBe("Calling");
    expect(tx.armedTimers()).toEqual(["A", "B"]);
    expect(sends()).toBe(1);
    clock.advance(499);
    expect(sends()).toBe(1);
    clock.advance(1); // 500
    expect(sends()).toBe(2);
    clock.advance(1000); // 1500
    expect(sends()).toBe(3);
    clock.advance(2000); // 3500
    expect(sends()).toBe(4);
    // A keeps doubling: 7500, 15500, 31500 → 7 sends before B at 32000
    clock.advance(32_000 - 3500 - 1);
    expect(sends()).toBe(7);
    expect(tx.state).toBe("Calling");
    clock.advance(1);
    expect(tx.state).toBe("Terminated");
    expect(actions.slice(-2)).toEqual([{ type: "timeout", timer: "B" }, { type: "terminated" }]);
    expect(clock.pending()).toBe(0);
  });

  it("over a reliable transport never retransmits but still times out on B", () => {
    const { clock, tx, sends } = setup(true);
    tx.start();
    expect(tx.armedTimers()).toEqual(["B"]);
    clock.advance(31_999);
    expect(sends()).toBe(1);
    clock.advance(1);
    expect(tx.state).toBe("Terminated");
  });

  it("Calling → Proceeding on 1xx: stops A and B, passes provisionals up", () => {
    const { clock, actions, tx, sends } = setup();
    tx.start();
    tx.receive({ status: 100 });
    expect(tx.state).toBe("Proceeding");
    tx.receive({ status: 180 });
    expect(actions.filter((a) => a.type === "deliver")).toHaveLength(2);
    clock.advance(120_000);
    expect(sends()).toBe(1);
    expect(tx.state).toBe("Proceeding");
  });

  it("Proceeding → Completed on 486: sends ACK, passes up once, re-ACKs retransmits, Timer D 32 s", () => {
    const { clock, actions, acks, tx } = setup();
    tx.start();
    tx.receive({ status: 180 });
    tx.receive({ status: 486 });
    expect(tx.state).toBe("Completed");
    expect(tx.armedTimers()).toEqual(["D"]);
    expect(acks).toEqual([{ status: 486 }]);
    expect(actions.filter((a) => a.type === "deliver").map((a) => (a.message as Res).status)).toEqual([180, 486]);
    tx.receive({ status: 486 });
    const ackSends = actions.filter((a) => a.type === "send" && (a.message as Req).method === "ACK");
    expect(ackSends).toHaveLength(2);
    expect(actions.filter((a) => a.type === "deliver")).toHaveLength(2);
    expect(acks).toHaveLength(1); // ACK built once, resent as is
    clock.advance(31_999);
    expect(tx.state).toBe("Completed");
    clock.advance(1);
    expect(tx.state).toBe("Terminated");
  });

  it("Calling → Completed → Terminated at once over a reliable transport (Timer D = 0)", () => {
    const { tx, actions } = setup(true);
    tx.start();
    tx.receive({ status: 603 });
    expect(tx.state).toBe("Terminated");
    expect(actions.at(-1)).toEqual({ type: "terminated" });
  });

  it("Calling → Accepted on 2xx (RFC 6026): later 2xx go to the TU, no ACK, Timer M = 64*T1", () => {
    const { clock, actions, acks, tx } = setup();
    tx.start();
    tx.receive({ status: 200 });
    expect(tx.state).toBe("Accepted");
    expect(tx.armedTimers()).toEqual(["M"]);
    tx.receive({ status: 200 });
    tx.receive({ status: 180 }); // ignored
    expect(actions.filter((a) => a.type === "deliver")).toHaveLength(2);
    expect(acks).toHaveLength(0);
    clock.advance(32_000);
    expect(tx.state).toBe("Terminated");
  });

  it("honours configured T1", () => {
    const clock = new FakeClock();
    const sends: number[] = [];
    const tx = new ClientInviteTransaction<Req, Res>(
      { clock, reliable: false, timers: { t1: 100, t2: 4000, t4: 5000 } },
      INVITE,
      () => ({ method: "ACK" }),
      (a) => a.type === "send" && sends.push(clock.now()),
    );
    tx.start();
    clock.advance(6400);
    expect(sends).toEqual([0, 100, 300, 700, 1500, 3100, 6300]);
    expect(tx.state).toBe("Terminated");
  });

  it("a transport error in Calling terminates and informs the TU", () => {
    const { actions, tx, clock } = setup();
    tx.start();
    tx.transportError();
    expect(tx.state).toBe("Terminated");
    expect(actions.slice(-2)).toEqual([{ type: "transport-error" }, { type: "terminated" }]);
    expect(clock.pending()).toBe(0);
    tx.receive({ status: 200 }); // nothing happens after termination
    expect(actions.at(-1)).toEqual({ type: "terminated" });
  });
});
