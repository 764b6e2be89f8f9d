/**
 * End to end over real loopback sockets: a UAC and a UAS stack on two 127.1.6.x addresses, over UDP
 * and over TCP, with a retransmitted INVITE, a CANCEL (487 ACKed hop by hop) and a 2xx ACK; then a
 * proxy in the middle (UDP in, TCP out) forwarding and relaying.
 */
import type { TappedPacket } from "@ims/runtime";
import { afterEach, describe, expect, it } from "vitest";
import { getVias } from "../headers/index.js";
import { type SipRequest, getHeader, getHeaders } from "../message/index.js";
import { type RequestContext, SipStack, buildRequest } from "../proxy/index.js";

const FAST = { t1: 50, t2: 400, t4: 500 };
const stacks: SipStack[] = [];
// Port 0: the OS picks one (UDP and TCP share it), so two test runs on one machine never collide.
const ANY = 0;

interface Node {
  readonly stack: SipStack;
  readonly packets: TappedPacket[];
  readonly requests: RequestContext[];
  readonly acks: SipRequest[];
}

async function node(address: string, port: number, tryingDelay = 200): Promise<Node> {
  const packets: TappedPacket[] = [];
  const stack = await SipStack.open({ address, port, tap: (p) => packets.push(p), timers: FAST, tryingDelay });
  stacks.push(stack);
  const requests: RequestContext[] = [];
  const acks: SipRequest[] = [];
  stack.onRequest((ctx) => void requests.push(ctx));
  stack.onAck((ack) => void acks.push(ack));
  return { stack, packets, requests, acks };
}

async function waitFor(cond: () => boolean, what: string, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const sentStartLines = (n: Node, dir: "in" | "out") =>
  n.packets.filter((p) => p.direction === dir).map((p) => Buffer.from(p.data).toString("latin1").split("\r\n")[0]!);

afterEach(async () => {
  await Promise.all(stacks.splice(0).map((s) => s.close()));
});

for (const transport of ["udp", "tcp"] as const) {
  describe(`UAC ↔ UAS over ${transport.toUpperCase()}`, () => {
    const base = transport === "udp" ? 1 : 2;
    const A = `127.1.6.${base * 10 + 1}`;
    const B = `127.1.6.${base * 10 + 2}`;
    let uri = "";
    const invite = (a: Node, b: Node) => {
      uri = `sip:b@${B}:${b.stack.transport.local.port};transport=${transport}`;
      const contact = `<sip:a@${A}:${a.stack.transport.local.port};transport=${transport}>`;
      return buildRequest({ method: "INVITE", uri, from: "<sip:a@x>", to: "<sip:b@x>", contact });
    };

    it("INVITE (retransmitted if UDP, while the UAS is slow) → 180 → 200 → ACK", async () => {
      const a = await node(A, ANY);
      const b = await node(B, ANY, 1000); // no 100 Trying for 1 s: the UAC keeps retransmitting over UDP
      const provisional: number[] = [];
      const inv = invite(a, b);
      const out = a.stack.request(inv, { onResponse: (r) => provisional.push(r.status) });
      await waitFor(() => b.requests.length === 1, "INVITE at the UAS");
      await new Promise((r) => setTimeout(r, 200));
      const invitesOnWire = sentStartLines(a, "out").filter((l) => l.startsWith("INVITE")).length;
      if (transport === "udp") expect(invitesOnWire).toBeGreaterThanOrEqual(3);
      else expect(invitesOnWire).toBe(1);
      expect(b.requests).toHaveLength(1); // retransmissions absorbed by the server transaction
      const ctx = b.requests[0]!;
      // rport filled with the source port: 5060 over UDP, the ephemeral port of A's connection over TCP.
      if (transport === "udp") expect(getVias(ctx.request)![0]!.rport).toBe(a.stack.transport.local.port);
      else expect(getVias(ctx.request)![0]!.rport).toBe(ctx.source.port);
      ctx.respond(180);
      ctx.respond(200, { headers: [["Contact", `<${uri}>`]] });
      const final = await out.final;
      expect(final.status).toBe(200);
      expect(provisional).toContain(180);
      expect(ctx.transaction.state).toBe("Accepted");
      await a.stack.sendAck(inv, final);
      await waitFor(() => b.acks.length === 1, "ACK at the UAS");
      expect(getHeader(b.acks[0]!, "cseq")).toBe("1 ACK");
      // Every packet left from the node's own address.
      expect(new Set(a.packets.filter((p) => p.direction === "out").map((p) => p.src.address))).toEqual(new Set([A]));
    });

    it("CANCEL after 180: the UAS answers 487, the UAC's transaction ACKs it", async () => {
      const a = await node(A, ANY);
      const b = await node(B, ANY, 0);
      const seen: number[] = [];
      const out = a.stack.request(invite(a, b), { onResponse: (r) => seen.push(r.status) });
      await waitFor(() => b.requests.length === 1, "INVITE at the UAS");
      const ctx = b.requests[0]!;
      ctx.onCancel(() => ctx.respond(487));
      ctx.respond(180);
      await waitFor(() => seen.includes(180), "180 at the UAC");
      out.cancel();
      const final = await out.final;
      expect(final.status).toBe(487);
      await waitFor(() => ctx.transaction.state !== "Completed", "ACK of the 487");
      expect(["Confirmed", "Terminated"]).toContain(ctx.transaction.state);
      expect(sentStartLines(a, "out").filter((l) => l.startsWith("CANCEL") || l.startsWith("ACK"))).toEqual([
        `CANCEL ${uri} SIP/2.0`,
        `ACK ${uri} SIP/2.0`,
      ]);
    });
  });
}

describe("UAC → proxy (UDP) → UAS (TCP)", () => {
  it("forwards the INVITE with Record-Route, relays 180/200, routes the 2xx ACK through the proxy", async () => {
    const A = "127.1.6.41";
    const P = "127.1.6.42";
    const B = "127.1.6.43";
    const a = await node(A, ANY);
    const p = await node(P, ANY, 0);
    const b = await node(B, ANY);
    const [pp, bp] = [p.stack.transport.local.port, b.stack.transport.local.port];
    const buri = `sip:b@${B}:${bp};transport=tcp`;
    p.stack.onRequest((ctx) => void ctx.forward({ uri: buri }, { recordRoute: true }));
    p.stack.onAck((_ack, forward) => void forward());
    const inv = buildRequest({
      method: "INVITE",
      uri: "sip:b@domain",
      from: "<sip:a@domain>",
      to: "<sip:b@domain>",
      contact: `<sip:a@${A}>`,
      routes: [`<sip:${P}:${pp};lr>`],
    });
    const statuses: number[] = [];
    const out = a.stack.request(inv, { onResponse: (r) => statuses.push(r.status) });
    await waitFor(() => b.requests.length === 1, "INVITE at the UAS");
    const ctx = b.requests[0]!;
    expect(ctx.source.transport).toBe("tcp");
    expect(getVias(ctx.request)!.map((v) => `${v.transport} ${v.host}`)).toEqual([`TCP ${P}`, `UDP ${A}`]);
    const rr = getHeaders(ctx.request, "record-route");
    expect(rr).toEqual([`<sip:${P}:${pp};lr>`]);
    ctx.respond(180);
    ctx.respond(200, { headers: [["Contact", `<${buri}>`], ...rr.map((v) => ["Record-Route", v] as [string, string])] });
    const final = await out.final;
    expect(final.status).toBe(200);
    expect(statuses).toEqual(expect.arrayContaining([100, 180, 200]));
    expect(getVias(final)!.map((v) => v.host)).toEqual([A]);
    await a.stack.sendAck(inv, final);
    await waitFor(() => b.acks.length === 1, "ACK at the UAS");
    expect(sentStartLines(a, "out").filter((l) => l.startsWith("ACK"))).toEqual([`ACK ${buri} SIP/2.0`]);
    expect(sentStartLines(p, "out").filter((l) => l.startsWith("ACK"))).toEqual([`ACK ${buri} SIP/2.0`]);
  });
});
