import { FakeClock } from "@ims/runtime";
import { describe, expect, it } from "vitest";
import { ClientNonInviteTransaction } from "./client-non-invite.js";
import type { TransactionAction } from "./machine.js";

interface Req {
  readonly method: string;
}
interface Res {
  readonly status: number;
}

function setup(reliable = false) {
  const clock = new FakeClock();
  const actions: TransactionAction<Req, Res>[] = [];
  const sendTimes: number[] = [];
  const tx = new ClientNonInviteTransaction<Req, Res>({ clock, reliable }, { method: "REGISTER" }, (a) => {
    actions.push(a);
    if (a.type === "send") sendTimes.push(clock.now());
  });
  return { clock, actions, tx, sendTimes };
}

describe("non-INVITE client transaction", () => {
  it("disposed by its owner while delivering the final response, it arms no Timer K (nothing keeps it alive)", () => {
    const clock = new FakeClock();
    let tx: ClientNonInviteTransaction<Req, Res> | undefined;
    tx = new ClientNonInviteTransaction<Req, Res>({ clock, reliable: false }, { method: "REGISTER" }, (a) => {
      if (a.type === "deliver") tx?.dispose();
    });
    tx.start();
    expect(clock.pending()).toBe(1); // E, which also enforces F
    tx.receive({ status: 200 });
    expect(tx.state).toBe("Completed");
    expect(tx.armedTimers()).toEqual([]);
    expect(clock.pending()).toBe(0);
  });

  it("Trying: Timer E doubles up to T2, Timer F times out at 64*T1", () => {
    const { clock, actions, tx, sendTimes } = setup();
    tx.start();
    expect(tx.state).toBe("Trying");
    expect(tx.armedTimers()).toEqual(["E"]); // one clock timer for E and F (unreliable)
    clock.advance(31_999);
    expect(tx.state).toBe("Trying");
    clock.advance(1);
    // 0, 500, 1500, 3500, 7500, then every 4 s: 11500 ... 31500
    expect(sendTimes).toEqual([0, 500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500]);
    expect(tx.state).toBe("Terminated");
    expect(actions.slice(-2)).toEqual([{ type: "timeout", timer: "F" }, { type: "terminated" }]);
    expect(clock.pending()).toBe(0);
  });

  it("Proceeding: retransmits every T2 and still times out on F", () => {
    const { clock, actions, tx, sendTimes } = setup();
    tx.start();
    clock.advance(600); // sends at 0, 500; next E at 1500
    tx.receive({ status: 100 });
    expect(tx.state).toBe("Proceeding");
    expect(actions.filter((a) => a.type === "deliver")).toHaveLength(1);
    clock.advance(900); // 1500: E fires in Proceeding and is reset to T2
    clock.advance(4000); // 5500
    expect(sendTimes).toEqual([0, 500, 1500, 5500]);
    clock.advance(32_000 - 5500);
    expect(tx.state).toBe("Terminated");
  });

  it("F's deadline holds whatever T1/T2 make of E: an E falling on it times out without retransmitting", () => {
    const bases: [number, number][] = [
      [500, 4000],
      [100, 400],
      [300, 4000],
      [1000, 1000],
    ];
    for (const [t1, t2] of bases) {
      const clock = new FakeClock();
      const sends: number[] = [];
      let timedOutAt = -1;
      const tx = new ClientNonInviteTransaction<Req, Res>({ clock, reliable: false, timers: { t1, t2, t4: 5000 } }, { method: "MESSAGE" }, (a) => {
        if (a.type === "send") sends.push(clock.now());
        if (a.type === "timeout") timedOutAt = clock.now();
      });
      tx.start();
      clock.advance(200_000);
      expect(timedOutAt).toBe(64 * t1);
      // what separate E and F timers give: E doubling up to T2, every send before F
      const expected = [0];
      for (let at = 0, i = t1; at + i < 64 * t1; i = Math.min(i * 2, t2)) {
        at += i;
        expected.push(at);
      }
      expect(sends).toEqual(expected);
      expect(clock.pending()).toBe(0);
    }
  });

  it("Trying → Completed on 200: passes it up once, absorbs retransmits, Timer K = T4", () => {
    const { clock, actions, tx } = setup();
    tx.start();
    tx.receive({ status: 200 });
    expect(tx.state).toBe("Completed");
    expect(tx.armedTimers()).toEqual(["K"]);
    tx.receive({ status: 200 });
    expect(actions.filter((a) => a.type === "deliver")).toHaveLength(1);
    clock.advance(4999);
    expect(tx.state).toBe("Completed");
    clock.advance(1);
    expect(tx.state).toBe("Terminated");
  });

  it("Proceeding → Completed on 401", () => {
    const { tx, actions } = setup();
    tx.start();
    tx.receive({ status: 100 });
    tx.receive({ status: 401 });
    expect(tx.state).toBe("Completed");
    expect(actions.filter((a) => a.type === "deliver").map((a) => (a.message as Res).status)).toEqual([100, 401]);
  });

  it("reliable transport: no Timer E, and Completed → Terminated at once (K = 0)", () => {
    const { clock, tx, sendTimes } = setup(true);
    tx.start();
    expect(tx.armedTimers()).toEqual(["F"]);
    clock.advance(10_000);
    expect(sendTimes).toEqual([0]);
    tx.receive({ status: 200 });
    expect(tx.state).toBe("Terminated");
  });

  it("transport error terminates and informs the TU", () => {
    const { tx, actions, clock } = setup();
    tx.start();
    tx.receive({ status: 100 });
    tx.transportError();
    expect(tx.state).toBe("Terminated");
    expect(actions.slice(-2)).toEqual([{ type: "transport-error" }, { type: "terminated" }]);
    expect(clock.pending()).toBe(0);
  });
});
