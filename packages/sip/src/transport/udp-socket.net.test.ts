import { afterEach, describe, expect, it } from "vitest";
import { UdpSocket } from "./udp-socket.js";

const sockets: UdpSocket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) await s.close();
});

async function pair(): Promise<[UdpSocket, UdpSocket, Buffer[]]> {
  const a = await UdpSocket.bind({ address: "127.1.9.1", port: 0 });
  const b = await UdpSocket.bind({ address: "127.1.9.2", port: 0 });
  sockets.push(a, b);
  const got: Buffer[] = [];
  b.onPacket((d) => got.push(d));
  return [a, b, got];
}

const until = async (cond: () => boolean): Promise<void> => {
  for (let i = 0; i < 100 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
};

describe("UdpSocket", () => {
  it("sends to an IP literal at once, and still resolves a name through DNS", async () => {
    const [a, b, got] = await pair();
    await a.send(Buffer.from("one"), { address: "127.1.9.2", port: b.local.port });
    // "localhost" → 127.0.0.1, not b's address: the send succeeds (resolved) but b hears nothing.
    await a.send(Buffer.from("two"), { address: "localhost", port: b.local.port });
    await until(() => got.length >= 1);
    expect(got.map(String)).toEqual(["one"]);
    await expect(a.send(Buffer.from("x"), { address: "no-such-host.invalid", port: 5060 })).rejects.toThrow(/ENOTFOUND|EAI_AGAIN/);
  });

  it("gives every datagram of one peer the same source object, and another peer its own", async () => {
    const [a, b] = await pair();
    const c = await UdpSocket.bind({ address: "127.1.9.3", port: 0 });
    sockets.push(c);
    const sources: unknown[] = [];
    b.onPacket((_d, remote) => sources.push(remote));
    for (let i = 0; i < 3; i++) await a.send(Buffer.from(`a${i}`), b.local);
    await c.send(Buffer.from("c"), b.local);
    await until(() => sources.length >= 4);
    expect(sources[0]).toEqual({ transport: "udp", address: "127.1.9.1", port: a.local.port });
    expect(sources[1]).toBe(sources[0]);
    expect(sources[2]).toBe(sources[0]);
    expect(sources[3]).toEqual({ transport: "udp", address: "127.1.9.3", port: c.local.port });
  });
});
