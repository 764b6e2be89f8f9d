import { describe, expect, it } from "vitest";
import { FakeClock } from "@ims/runtime";
import type { DiameterMessage } from "../codec/index.js";
import { Watchdog } from "./watchdog.js";
import type { PeerAction, WatchdogStatus } from "./types.js";
import { answerFrom, ceaFrom, harness, wire } from "./test-peer.js";

function dog(random: number): { clock: FakeClock; w: Watchdog; dwrs: number[]; statuses: WatchdogStatus[] } {
  const clock = new FakeClock();
  const dwrs: number[] = [];
  const statuses: WatchdogStatus[] = [];
  const w = new Watchdog(clock, 30_000, 2_000, () => random, { sendDwr: () => dwrs.push(clock.now()), status: (s) => statuses.push(s) });
  return { clock, w, dwrs, statuses };
}

describe("Watchdog (RFC 3539 §3.4.1)", () => {
  it("sends a DWR after Tw of silence, jittered by ±2 s", () => {
    for (const [random, at] of [[0, 28_000], [0.5, 30_000], [1, 32_000]] as const) {
      const d = dog(random);
      d.w.start();
      d.clock.advance(at - 1);
      expect(d.dwrs).toEqual([]);
      d.clock.advance(1);
      expect(d.dwrs).toEqual([at]);
    }
  });

  it("any received message restarts Tw, so a busy connection sends no DWR", () => {
    const d = dog(0.5);
    d.w.start();
    for (let t = 0; t < 10; t++) {
      d.clock.advance(20_000);
      d.w.received(false);
    }
    expect(d.dwrs).toEqual([]);
    d.clock.advance(30_000);
    expect(d.dwrs).toEqual([230_000]);
  });

  it("no DWA: OKAY → SUSPECT after Tw, → DOWN after another Tw; a DWA while SUSPECT → OKAY", () => {
    const d = dog(0.5);
    d.w.start();
    d.clock.advance(30_000);
    expect(d.w.dwrPending).toBe(true);
    d.clock.advance(30_000);
    expect(d.statuses).toEqual(["SUSPECT"]);
    d.w.received(true);
    expect(d.statuses).toEqual(["SUSPECT", "OKAY"]);
    expect(d.w.dwrPending).toBe(false);
    d.clock.advance(30_000);
    expect(d.dwrs).toEqual([30_000, 90_000]);
    d.clock.advance(60_000);
    expect(d.statuses).toEqual(["SUSPECT", "OKAY", "SUSPECT", "DOWN"]);
    expect(d.w.status).toBe("DOWN");
    d.clock.runAll();
    expect(d.dwrs).toHaveLength(2);
  });
});

describe("PeerStateMachine with its watchdog", () => {
  it("DWR on silence; missed DWAs → SUSPECT (not available) → DOWN → Closed → reconnect after Tc", () => {
    const h = harness({ timers: { twMs: 30_000, tcMs: 10_000 } });
    h.fsm.handle({ type: "start" });
    const i = h.conn();
    h.fsm.handle({ type: "conn-ack", conn: i });
    const cer = wire((h.take().find((a) => a.type === "send") as Extract<PeerAction, { type: "send" }>).message);
    h.fsm.handle({ type: "message", conn: i, message: ceaFrom("peer.domain.imsprovider.org", cer) });
    h.take();
    h.clock.advance(30_000);
    const dwr = h.take().find((a) => a.type === "send") as Extract<PeerAction, { type: "send" }> | undefined;
    expect(dwr?.message.commandCode).toBe(280);
    // The DWA arrives: still OKAY, next DWR a Tw later.
    h.fsm.handle({ type: "message", conn: i, message: answerFrom("peer.domain.imsprovider.org", wire(dwr?.message as DiameterMessage)) });
    expect(h.fsm.watchdogStatus).toBe("OKAY");
    h.clock.advance(30_000);
    expect(h.take().filter((a) => a.type === "send")).toHaveLength(1);
    h.clock.advance(30_000);
    expect(h.take()).toContainEqual({ type: "watchdog", status: "SUSPECT" });
    expect(h.fsm.isOpen).toBe(true);
    expect(h.fsm.isAvailable).toBe(false);
    h.clock.advance(30_000);
    const down = h.take();
    expect(down).toContainEqual({ type: "watchdog", status: "DOWN" });
    expect(down).toContainEqual({ type: "close", conn: i });
    expect(h.fsm.state).toBe("Closed");
    h.clock.advance(10_000);
    expect(h.fsm.state).toBe("Wait-Conn-Ack");
  });
});
