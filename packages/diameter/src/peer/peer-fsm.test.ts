import { describe, expect, it } from "vitest";
import { type DiameterMessage, getValue, getValues, findAvp, isRequest, isError } from "../codec/index.js";
import type { PeerAction } from "./types.js";
import { type Harness, CX, answerFrom, ceaFrom, cerFrom, dwrFrom, harness, wire } from "./test-peer.js";

const PEER = "peer.domain.imsprovider.org";
const LOW = "aaa.domain.imsprovider.org"; // loses against the local "mmm..."
const HIGH = "zzz.domain.imsprovider.org"; // wins against it

const states = (as: readonly PeerAction[]): string[] => as.flatMap((a) => (a.type === "state" ? [a.to] : []));
const closes = (as: readonly PeerAction[]): number[] => as.flatMap((a) => (a.type === "close" ? [a.conn] : []));
const sends = (as: readonly PeerAction[]): Array<{ conn: number; m: DiameterMessage }> =>
  as.flatMap((a) => (a.type === "send" ? [{ conn: a.conn, m: a.message }] : []));

/** Start → Wait-Conn-Ack → conn-ack → Wait-I-CEA; returns the I-connection and the CER sent. */
function toWaitICea(h: Harness): { i: number; cer: DiameterMessage } {
  h.fsm.handle({ type: "start" });
  const i = h.conn();
  h.fsm.handle({ type: "conn-ack", conn: i });
  const cer = sends(h.take()).at(-1)?.m;
  if (cer === undefined) throw new Error("no CER");
  return { i, cer: wire(cer) };
}

function toIOpen(h: Harness, peer = PEER): number {
  const { i, cer } = toWaitICea(h);
  h.fsm.handle({ type: "message", conn: i, message: ceaFrom(peer, cer) });
  h.take();
  return i;
}

describe("PeerStateMachine: initiator side (RFC 6733 §5.6)", () => {
  it("Closed -Start→ Wait-Conn-Ack -Conn-Ack→ Wait-I-CEA, sending a CER with every capability AVP", () => {
    const h = harness();
    h.fsm.handle({ type: "start" });
    const first = h.take();
    expect(first[0]).toMatchObject({ type: "state", to: "Wait-Conn-Ack" });
    expect(first).toContainEqual({ type: "connect", conn: h.conn() });
    h.fsm.handle({ type: "conn-ack", conn: h.conn() });
    const out = h.take();
    expect(states(out)).toEqual(["Wait-I-CEA"]);
    const cer = wire(sends(out)[0]?.m as DiameterMessage);
    expect(cer.commandCode).toBe(257);
    expect(isRequest(cer)).toBe(true);
    expect(getValue(cer, "Origin-Host")).toBe("mmm.domain.imsprovider.org");
    expect(getValue(cer, "Origin-Realm")).toBe("domain.imsprovider.org");
    expect(getValues(cer, "Host-IP-Address")).toEqual(["127.2.0.1"]);
    expect(getValue(cer, "Vendor-Id")).toBe(0);
    expect(getValue(cer, "Product-Name")).toBe("ims-core");
    expect(getValue(cer, "Firmware-Revision")).toBe(1);
    expect(getValues(cer, "Supported-Vendor-Id")).toEqual([10415]);
    const vsai = findAvp(cer, "Vendor-Specific-Application-Id")?.avps ?? [];
    expect(getValue(vsai, "Vendor-Id")).toBe(10415);
    expect(getValue(vsai, "Auth-Application-Id")).toBe(16777216);
  });

  it("Wait-I-CEA -I-Rcv-CEA(2001)→ I-Open, keeping the peer's capabilities", () => {
    const h = harness();
    const { i, cer } = toWaitICea(h);
    h.fsm.handle({ type: "message", conn: i, message: ceaFrom(PEER, cer) });
    expect(h.fsm.state).toBe("I-Open");
    expect(h.fsm.isAvailable).toBe(true);
    expect(h.fsm.openConnection).toBe(i);
    expect(h.fsm.capabilities).toMatchObject({ originHost: PEER, commonApplicationIds: [16777216], relay: false });
  });

  it("a CEA with an error Result-Code or no common application closes the I-connection", () => {
    for (const cea of [(cer: DiameterMessage) => ceaFrom(PEER, cer, 5010), (cer: DiameterMessage) => ceaFrom(PEER, cer, 2001, [{ authApplicationId: 4 }])]) {
      const h = harness();
      const { i, cer } = toWaitICea(h);
      h.fsm.handle({ type: "message", conn: i, message: cea(cer) });
      const out = h.take();
      expect(h.fsm.state).toBe("Closed");
      expect(closes(out)).toEqual([i]);
    }
  });

  it("Wait-I-CEA: a non-CEA, a disconnect or the timeout → Closed", () => {
    const a = harness();
    const ia = toWaitICea(a).i;
    a.fsm.handle({ type: "message", conn: ia, message: dwrFrom(PEER) });
    expect(a.fsm.state).toBe("Closed");
    expect(closes(a.take())).toEqual([ia]);

    const b = harness();
    b.fsm.handle({ type: "peer-disc", conn: toWaitICea(b).i });
    expect(b.fsm.state).toBe("Closed");

    const c = harness({ timers: { ceaTimeoutMs: 3_000 } });
    toWaitICea(c);
    c.clock.advance(2_999);
    expect(c.fsm.state).toBe("Wait-I-CEA");
    c.clock.advance(1);
    expect(c.fsm.state).toBe("Closed");
  });

  it("Wait-Conn-Ack -Conn-Nack→ Closed, and reconnects every Tc", () => {
    const h = harness({ timers: { tcMs: 30_000 } });
    h.fsm.handle({ type: "start" });
    const first = h.conn();
    h.fsm.handle({ type: "conn-nack", conn: first, reason: "ECONNREFUSED" });
    expect(h.fsm.state).toBe("Closed");
    h.clock.advance(29_999);
    expect(h.fsm.state).toBe("Closed");
    h.clock.advance(1);
    expect(h.fsm.state).toBe("Wait-Conn-Ack");
    expect(h.conn()).toBe(first + 1);
    h.fsm.handle({ type: "conn-nack", conn: h.conn(), reason: "again" });
    h.clock.advance(30_000);
    expect(h.fsm.state).toBe("Wait-Conn-Ack");
  });

  it("a stale conn-ack for an abandoned connection is closed", () => {
    const h = harness({ timers: { ceaTimeoutMs: 1_000, tcMs: 5_000 } });
    h.fsm.handle({ type: "start" });
    const old = h.conn();
    h.clock.advance(1_000);
    expect(h.fsm.state).toBe("Closed");
    h.take();
    h.fsm.handle({ type: "conn-ack", conn: old });
    expect(h.take()).toEqual([{ type: "close", conn: old }]);
    expect(h.fsm.state).toBe("Closed");
  });

  it("an accept-only peer does not connect on start", () => {
    const h = harness({ connect: false });
    h.fsm.handle({ type: "start" });
    expect(h.take()).toEqual([]);
    expect(h.fsm.state).toBe("Closed");
  });
});

describe("PeerStateMachine: responder side and CER checks", () => {
  it("Closed -R-Conn-CER→ R-Open with a 2001 CEA on the R-connection", () => {
    const h = harness({ connect: false });
    h.fsm.handle({ type: "start" });
    h.fsm.handle({ type: "r-conn-cer", conn: 7, cer: cerFrom(PEER) });
    const out = h.take();
    const [cea] = sends(out);
    expect(cea?.conn).toBe(7);
    expect(getValue(wire(cea?.m as DiameterMessage), "Result-Code")).toBe(2001);
    expect(h.fsm.state).toBe("R-Open");
    expect(h.fsm.openConnection).toBe(7);
  });

  it("no common application → CEA 5010 and disconnect, state unchanged", () => {
    const h = harness({ connect: false });
    h.fsm.handle({ type: "r-conn-cer", conn: 7, cer: cerFrom(PEER, [{ authApplicationId: 4 }]) });
    const out = h.take();
    expect(getValue(sends(out)[0]?.m as DiameterMessage, "Result-Code")).toBe(5010);
    expect(closes(out)).toEqual([7]);
    expect(h.fsm.state).toBe("Closed");
  });

  it("a relay peer (Auth-Application-Id 0xffffffff, as freeDiameter without extensions) is accepted", () => {
    const h = harness({ connect: false });
    h.fsm.handle({ type: "r-conn-cer", conn: 7, cer: cerFrom(PEER, [{ authApplicationId: 0xffffffff }]) });
    expect(h.fsm.state).toBe("R-Open");
    expect(h.fsm.capabilities?.relay).toBe(true);
  });

  it("a CER without Origin-Realm → CEA 5005", () => {
    const h = harness({ connect: false });
    const cer = cerFrom(PEER);
    const broken = { ...cer, avps: cer.avps.filter((a) => a.code !== 296) };
    h.fsm.handle({ type: "r-conn-cer", conn: 7, cer: broken });
    expect(getValue(sends(h.take())[0]?.m as DiameterMessage, "Result-Code")).toBe(5005);
    expect(h.fsm.state).toBe("Closed");
  });

  it("R-Open and I-Open reject a second CER (R-Reject)", () => {
    const r = harness({ connect: false });
    r.fsm.handle({ type: "r-conn-cer", conn: 7, cer: cerFrom(PEER) });
    r.take();
    r.fsm.handle({ type: "r-conn-cer", conn: 8, cer: cerFrom(PEER) });
    expect(r.take()).toEqual([{ type: "close", conn: 8 }]);
    expect(r.fsm.openConnection).toBe(7);

    const i = harness();
    const conn = toIOpen(i);
    i.fsm.handle({ type: "r-conn-cer", conn: 8, cer: cerFrom(PEER) });
    expect(i.take()).toEqual([{ type: "close", conn: 8 }]);
    expect(i.fsm.openConnection).toBe(conn);
  });
});

describe("PeerStateMachine: election (RFC 6733 §5.6.4)", () => {
  it("Wait-Conn-Ack -R-Conn-CER→ Elect; Conn-Ack → Wait-Returns; winning keeps the R-connection", () => {
    const h = harness({ peer: LOW });
    h.fsm.handle({ type: "start" });
    const i = h.conn();
    h.fsm.handle({ type: "r-conn-cer", conn: 7, cer: cerFrom(LOW) });
    expect(h.fsm.state).toBe("Wait-Conn-Ack/Elect");
    h.take();
    h.fsm.handle({ type: "conn-ack", conn: i });
    const out = h.take();
    expect(states(out)).toEqual(["Wait-Returns", "R-Open"]);
    expect(sends(out).map((s) => [s.conn, s.m.commandCode, isRequest(s.m)])).toEqual([[i, 257, true], [7, 257, false]]);
    expect(closes(out)).toEqual([i]);
    expect(h.fsm.openConnection).toBe(7);
  });

  it("Wait-Conn-Ack/Elect: Conn-Nack → R-Open; R-Peer-Disc → Wait-Conn-Ack; another CER rejected; timeout → Closed", () => {
    const a = harness({ peer: HIGH });
    a.fsm.handle({ type: "start" });
    a.fsm.handle({ type: "r-conn-cer", conn: 7, cer: cerFrom(HIGH) });
    a.fsm.handle({ type: "conn-nack", conn: a.conn(), reason: "refused" });
    expect(a.fsm.state).toBe("R-Open");
    expect(a.fsm.openConnection).toBe(7);

    const b = harness({ peer: HIGH });
    b.fsm.handle({ type: "start" });
    b.fsm.handle({ type: "r-conn-cer", conn: 7, cer: cerFrom(HIGH) });
    b.take();
    b.fsm.handle({ type: "r-conn-cer", conn: 8, cer: cerFrom(HIGH) });
    expect(b.take()).toEqual([{ type: "close", conn: 8 }]);
    b.fsm.handle({ type: "peer-disc", conn: 7 });
    expect(b.fsm.state).toBe("Wait-Conn-Ack");

    const c = harness({ peer: HIGH, timers: { ceaTimeoutMs: 500 } });
    c.fsm.handle({ type: "start" });
    c.fsm.handle({ type: "r-conn-cer", conn: 7, cer: cerFrom(HIGH) });
    c.take();
    c.clock.advance(500);
    expect(c.fsm.state).toBe("Closed");
    expect(closes(c.take()).sort()).toEqual([7, c.conn()].sort());
  });

  it("Wait-I-CEA -R-Conn-CER→ Wait-Returns; losing waits for I-Rcv-CEA, which drops the R-connection", () => {
    const h = harness({ peer: HIGH });
    const { i, cer } = toWaitICea(h);
    h.fsm.handle({ type: "r-conn-cer", conn: 7, cer: cerFrom(HIGH) });
    expect(h.fsm.state).toBe("Wait-Returns");
    expect(closes(h.take())).toEqual([]);
    h.fsm.handle({ type: "message", conn: i, message: ceaFrom(HIGH, cer) });
    const out = h.take();
    expect(closes(out)).toEqual([7]);
    expect(h.fsm.state).toBe("I-Open");
    expect(h.fsm.openConnection).toBe(i);
  });

  it("Wait-Returns: I-Peer-Disc → CEA on R → R-Open; R-Peer-Disc → Wait-I-CEA; timeout → Closed", () => {
    const a = harness({ peer: HIGH });
    const ia = toWaitICea(a).i;
    a.fsm.handle({ type: "r-conn-cer", conn: 7, cer: cerFrom(HIGH) });
    a.take();
    a.fsm.handle({ type: "peer-disc", conn: ia });
    expect(sends(a.take()).map((s) => s.conn)).toEqual([7]);
    expect(a.fsm.state).toBe("R-Open");

    const b = harness({ peer: HIGH });
    toWaitICea(b);
    b.fsm.handle({ type: "r-conn-cer", conn: 7, cer: cerFrom(HIGH) });
    b.fsm.handle({ type: "peer-disc", conn: 7 });
    expect(b.fsm.state).toBe("Wait-I-CEA");

    const c = harness({ peer: HIGH, timers: { ceaTimeoutMs: 500 } });
    toWaitICea(c);
    c.fsm.handle({ type: "r-conn-cer", conn: 7, cer: cerFrom(HIGH) });
    c.clock.advance(500);
    expect(c.fsm.state).toBe("Closed");
  });

  it("Wait-I-CEA with a winning R-Conn-CER goes straight to R-Open", () => {
    const h = harness({ peer: LOW });
    const { i } = toWaitICea(h);
    h.fsm.handle({ type: "r-conn-cer", conn: 7, cer: cerFrom(LOW) });
    const out = h.take();
    expect(states(out)).toEqual(["Wait-Returns", "R-Open"]);
    expect(closes(out)).toEqual([i]);
  });
});

describe("PeerStateMachine: open states", () => {
  it("answers DWR with DWA, delivers application messages, sends on the open connection", () => {
    const h = harness();
    const i = toIOpen(h);
    h.fsm.handle({ type: "message", conn: i, message: dwrFrom(PEER) });
    const [dwa] = sends(h.take());
    expect(dwa?.m.commandCode).toBe(280);
    expect(isRequest(dwa?.m as DiameterMessage)).toBe(false);
    expect(getValue(dwa?.m as DiameterMessage, "Result-Code")).toBe(2001);

    const app = { ...dwrFrom(PEER), commandCode: 300, applicationId: 16777216 };
    h.fsm.handle({ type: "message", conn: i, message: app });
    expect(h.take()).toEqual([{ type: "deliver", conn: i, message: app }]);
    expect(h.fsm.send(app)).toBe(true);
    expect(h.take()).toEqual([{ type: "send", conn: i, message: app }]);
    h.fsm.handle({ type: "message", conn: 99, message: app }); // another connection: ignored
    expect(h.take()).toEqual([]);
    h.fsm.receive(i, app); // the same as a "message" event
    expect(h.take()).toEqual([{ type: "deliver", conn: i, message: app }]);
  });

  it("Rcv-DPR → DPA, Closed, reconnect after Tc (REBOOTING) or 4×Tc (BUSY)", () => {
    for (const [cause, wait] of [[0, 30_000], [1, 120_000]] as const) {
      const h = harness({ timers: { tcMs: 30_000 } });
      const i = toIOpen(h);
      const dpr = { ...dwrFrom(PEER), commandCode: 282 };
      const withCause = wire({ ...dpr, avps: [...dpr.avps, { code: 273, flags: 0x40, vendorId: 0, data: Buffer.from([0, 0, 0, cause]) }] });
      h.fsm.handle({ type: "message", conn: i, message: withCause });
      const out = h.take();
      expect(sends(out)[0]?.m.commandCode).toBe(282);
      expect(closes(out)).toEqual([i]);
      expect(h.fsm.state).toBe("Closed");
      h.clock.advance(wait - 1);
      expect(h.fsm.state).toBe("Closed");
      h.clock.advance(1);
      expect(h.fsm.state).toBe("Wait-Conn-Ack");
    }
  });

  it("Stop → DPR with the cause, Closing; DPA → Closed and no reconnect", () => {
    const h = harness();
    const i = toIOpen(h);
    h.fsm.handle({ type: "stop", cause: "DO_NOT_WANT_TO_TALK_TO_YOU" });
    const [dpr] = sends(h.take());
    expect(h.fsm.state).toBe("Closing");
    expect(getValue(dpr?.m as DiameterMessage, "Disconnect-Cause")).toBe(2);
    expect(h.fsm.send(dpr?.m as DiameterMessage)).toBe(false);
    h.fsm.handle({ type: "message", conn: i, message: answerFrom(PEER, wire(dpr?.m as DiameterMessage)) });
    expect(closes(h.take())).toEqual([i]);
    expect(h.fsm.state).toBe("Closed");
    h.clock.runAll();
    expect(h.fsm.state).toBe("Closed");
  });

  it("Closing: an answer to an outstanding request is still delivered; timeout or Peer-Disc → Closed", () => {
    const a = harness({ timers: { dpaTimeoutMs: 2_000 } });
    const i = toIOpen(a);
    a.fsm.handle({ type: "stop", cause: "REBOOTING" });
    a.take();
    const ans = answerFrom(PEER, { ...dwrFrom(PEER), commandCode: 300 });
    a.fsm.handle({ type: "message", conn: i, message: ans });
    expect(a.take()).toEqual([{ type: "deliver", conn: i, message: ans }]);
    a.clock.advance(2_000);
    expect(a.fsm.state).toBe("Closed");
    expect(closes(a.take())).toEqual([i]);

    const b = harness();
    const ib = toIOpen(b);
    b.fsm.handle({ type: "stop", cause: "REBOOTING" });
    b.fsm.handle({ type: "peer-disc", conn: ib });
    expect(b.fsm.state).toBe("Closed");
  });

  it("Stop before open cleans up without DPR; R-Open Peer-Disc → Closed", () => {
    const h = harness();
    h.fsm.handle({ type: "start" });
    h.take();
    h.fsm.handle({ type: "stop", cause: "REBOOTING" });
    const out = h.take();
    expect(sends(out)).toEqual([]);
    expect(closes(out)).toEqual([h.conn()]);
    expect(h.fsm.state).toBe("Closed");
    h.clock.runAll();
    expect(h.fsm.state).toBe("Closed");

    const r = harness({ connect: false });
    r.fsm.handle({ type: "r-conn-cer", conn: 7, cer: cerFrom(PEER) });
    r.fsm.handle({ type: "peer-disc", conn: 7 });
    expect(r.fsm.state).toBe("Closed");
    expect(isError(cerFrom(PEER))).toBe(false);
    expect(CX.authApplicationId).toBe(16777216);
  });
});

describe("PeerStateMachine with a deliver callback", () => {
  it("hands application messages to it instead of emitting deliver actions; DWR/DWA still go through emit", () => {
    const delivered: Array<{ conn: number; m: DiameterMessage }> = [];
    const h = harness({ deliver: (conn, m) => delivered.push({ conn, m }) });
    const i = toIOpen(h);
    const app = { ...dwrFrom(PEER), commandCode: 300, applicationId: 16777216 };
    h.fsm.receive(i, app);
    h.fsm.receive(99, app); // another connection: ignored
    expect(delivered).toEqual([{ conn: i, m: app }]);
    expect(h.take()).toEqual([]);
    h.fsm.receive(i, dwrFrom(PEER));
    expect(sends(h.take()).map((s) => s.m.commandCode)).toEqual([280]);
    expect(delivered).toHaveLength(1);
  });
});
