import { createSocket } from "node:dgram";
import { connect } from "node:net";
import { FakeClock } from "@ims/runtime";
import { afterEach, describe, expect, it } from "vitest";
import { type SipMessage, createRequest, getHeaders, serializeMessage } from "../message/index.js";
import { NetTransport } from "./net-transport.js";
import type { Inbound } from "./types.js";

const A = "127.1.1.1";
const B = "127.1.1.2";
const C = "127.1.1.3";

function options(via: string, body = ""): SipMessage {
  return createRequest({
    method: "OPTIONS",
    uri: `sip:x@${B}`,
    headers: [
      ["Via", via],
      ["Max-Forwards", "70"],
      ["From", "<sip:a@x>;tag=1"],
      ["To", "<sip:b@x>"],
      ["Call-ID", "call-1"],
      ["CSeq", "1 OPTIONS"],
    ],
    body,
  });
}

const open: NetTransport[] = [];
async function node(address: string, port: number, extra: Partial<Parameters<typeof NetTransport.open>[0]> = {}) {
  const t = await NetTransport.open({ address, port, ...extra });
  open.push(t);
  const got: Inbound[] = [];
  const waiters: (() => void)[] = [];
  t.onMessage((m) => {
    got.push(m);
    waiters.splice(0).forEach((w) => w());
  });
  const next = async (n = 1) => {
    while (got.length < n) await new Promise<void>((r) => waiters.push(r));
    return got[n - 1]!;
  };
  return { t, got, next };
}

afterEach(async () => {
  await Promise.all(open.splice(0).map((t) => t.close()));
});

describe("NetTransport over loopback", () => {
  it("UDP: a request leaves from the node's own address and port; received/rport are stamped", async () => {
    const a = await node(A, 0);
    const b = await node(B, 0);
    const ap = a.t.local.port;
    await a.t.send(options(`SIP/2.0/UDP ${A}:${ap};rport;branch=z9hG4bK1`), { transport: "udp", address: B, port: b.t.local.port });
    const m = await b.next();
    expect(m.source).toEqual({ transport: "udp", address: A, port: ap });
    expect(getHeaders(m.message, "via")[0]).toBe(`SIP/2.0/UDP ${A}:${ap};rport=${ap};branch=z9hG4bK1;received=${A}`);
  });

  it("UDP: a malformed request is answered 400 with its reason; one without Via is dropped", async () => {
    const b = await node(B, 0, { protocols: ["udp"] });
    const raw = createSocket("udp4");
    await new Promise<void>((r) => raw.bind(0, C, r));
    const replies: string[] = [];
    raw.on("message", (d) => replies.push(d.toString()));
    const bad = serializeMessage(options(`SIP/2.0/UDP ${C}:${raw.address().port};branch=z9hG4bK2`)).toString().replace("Content-Length: 0", "Content-Length: 99");
    raw.send(bad.replace(/^Via:.*\r\n/m, ""), b.t.local.port, B);
    raw.send(bad, b.t.local.port, B);
    for (let i = 0; i < 100 && replies.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    raw.close();
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatch(/^SIP\/2\.0 400 Bad Request \(Content-Length 99 exceeds/);
    expect(b.got).toHaveLength(0);
  });

  it("TCP: split and pipelined messages, CRLF ping answered with CRLF pong, connection reused", async () => {
    const b = await node(B, 0, { protocols: ["tcp"] });
    const sock = connect({ host: B, port: b.t.local.port, localAddress: C });
    await new Promise<void>((r) => sock.once("connect", r));
    const received: Buffer[] = [];
    sock.on("data", (d: Buffer) => received.push(d));
    const one = serializeMessage(options(`SIP/2.0/TCP ${C};branch=z9hG4bK3`, "body-1"));
    const two = serializeMessage(options(`SIP/2.0/TCP ${C};branch=z9hG4bK4`));
    sock.write(one.subarray(0, 20));
    await new Promise((r) => setTimeout(r, 20));
    sock.write(Buffer.concat([one.subarray(20), two, Buffer.from("\r\n\r\n")]));
    const second = await b.next(2);
    expect(b.got[0]!.message.body.toString()).toBe("body-1");
    expect(getHeaders(second.message, "via")[0]).toContain("branch=z9hG4bK4");
    for (let i = 0; i < 100 && received.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(Buffer.concat(received).toString()).toBe("\r\n");
    // The answer goes back on the same connection.
    received.length = 0;
    await b.t.send(options(`SIP/2.0/TCP ${B};branch=z9hG4bK5`), second.source);
    for (let i = 0; i < 100 && received.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(Buffer.concat(received).toString()).toMatch(/^OPTIONS /);
    expect(b.t.tcpConnections).toBe(1);
    sock.destroy();
  });

  it("TCP: outbound connections leave from the node's address, are reused, and close when idle", async () => {
    const clock = new FakeClock();
    const a = await node(A, 0, { protocols: ["tcp"], clock, tcpIdleTimeoutMs: 1000 });
    const b = await node(B, 0, { protocols: ["tcp"] });
    const dest = { transport: "tcp" as const, address: B, port: b.t.local.port };
    await a.t.send(options(`SIP/2.0/TCP ${A};branch=z9hG4bK6`), dest);
    await a.t.send(options(`SIP/2.0/TCP ${A};branch=z9hG4bK7`), dest);
    const m = await b.next(2);
    expect(m.source.address).toBe(A);
    expect(a.t.tcpConnections).toBe(1);
    clock.advance(1000);
    for (let i = 0; i < 100 && a.t.tcpConnections > 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(a.t.tcpConnections).toBe(0);
  });

  it("TCP: a connection whose message stays incomplete for 32 s is closed; whole messages reset the wait", async () => {
    // A peer that sent part of a header block and stalled kept its connection (and up to 256 KB of
    // buffer) for the 10-minute idle time: 1,000 such connections held 100 MB of the P-CSCF's memory.
    const clock = new FakeClock();
    const b = await node(B, 0, { protocols: ["tcp"], clock });
    const stalled = connect({ host: B, port: b.t.local.port, localAddress: A });
    let closed = false;
    stalled.on("close", () => (closed = true));
    stalled.on("error", () => undefined);
    await new Promise((r) => stalled.once("connect", r));
    const whole = serializeMessage(options(`SIP/2.0/TCP ${A};branch=z9hG4bK9`));
    stalled.write(Buffer.concat([whole, whole.subarray(0, 40)]));
    await b.next(1);
    clock.advance(31_000);
    stalled.write(whole.subarray(40));
    stalled.write(whole.subarray(0, 40));
    await b.next(2);
    clock.advance(31_000);
    await new Promise((r) => setTimeout(r, 20));
    expect(closed).toBe(false);
    clock.advance(1_000);
    for (let i = 0; i < 100 && !closed; i++) await new Promise((r) => setTimeout(r, 10));
    expect(closed).toBe(true);
  });

  it("TCP: a request whose Content-Length cannot frame the stream is answered 400, then the connection is closed", async () => {
    const b = await node(B, 0, { protocols: ["tcp"] });
    const sock = connect({ host: B, port: b.t.local.port, localAddress: A });
    let got = "";
    let closed = false;
    sock.on("data", (d: Buffer) => (got += d.toString()));
    sock.on("close", () => (closed = true));
    sock.on("error", () => undefined);
    await new Promise((r) => sock.once("connect", r));
    sock.write(serializeMessage(options(`SIP/2.0/TCP ${A};branch=z9hG4bKcl`)).toString().replace("Content-Length: 0", "Content-Length: -20"));
    for (let i = 0; i < 100 && !closed; i++) await new Promise((r) => setTimeout(r, 10));
    expect(got).toMatch(/^SIP\/2\.0 400 Bad Request \(malformed Content-Length\)\r\n/);
    expect(closed).toBe(true);
    expect(b.got).toEqual([]);
  });

  it("TCP: connections beyond the per-address cap are closed at once; others still get in", async () => {
    const b = await node(B, 0, { protocols: ["tcp"], tcpMaxConnectionsPerAddress: 2 });
    const port = b.t.local.port;
    const dial = (localAddress: string) =>
      new Promise<{ closed: Promise<void> }>((resolve, reject) => {
        const s = connect({ host: B, port, localAddress }, () => resolve({ closed: new Promise((r) => s.once("close", () => r())) }));
        s.on("error", reject);
      });
    const kept = [await dial(A), await dial(A)];
    const third = await dial(A);
    await third.closed; // the server closed it
    const other = await dial(C);
    let otherClosed = false;
    void other.closed.then(() => (otherClosed = true));
    await new Promise((r) => setTimeout(r, 50));
    expect(otherClosed).toBe(false);
    expect(b.t.tcpConnections).toBe(3);
    expect(kept).toHaveLength(2);
  });

  it("TCP: a refused connection rejects the send (transport error)", async () => {
    const a = await node(A, 0, { protocols: ["tcp"] });
    await expect(
      a.t.send(options(`SIP/2.0/TCP ${A};branch=z9hG4bK8`), { transport: "tcp", address: C, port: 9 }),
    ).rejects.toThrow();
  });

  it("a send on a protocol the transport does not run rejects its Promise (it does not throw)", async () => {
    const a = await node(A, 0, { protocols: ["tcp"] });
    let sent: Promise<void> | undefined;
    expect(() => {
      sent = a.t.send(options(`SIP/2.0/UDP ${A};branch=z9hG4bK7`), { transport: "udp", address: C, port: 9 });
    }).not.toThrow();
    await expect(sent).rejects.toThrow(/UDP not enabled/);
  });

  it("§18.1.1 size rule, when on, moves a large request to TCP and rewrites its Via", async () => {
    const a = await node(A, 0, { udpSizeRule: true });
    const b = await node(B, 0);
    await a.t.send(options(`SIP/2.0/UDP ${A};branch=z9hG4bK9`, "x".repeat(1400)), {
      transport: "udp",
      address: B,
      port: b.t.local.port,
    });
    const m = await b.next();
    expect(m.source.transport).toBe("tcp");
    expect(getHeaders(m.message, "via")[0]).toMatch(/^SIP\/2\.0\/TCP /);
  });
});
