import { describe, expect, it } from "vitest";
import { type DiameterError, type DiameterMessage, avp, createRequest, encodeMessage, getValue } from "../codec/index.js";
import { DiameterStream } from "./diameter-stream.js";
import { FakeNetwork } from "./fake-network.js";
import type { StreamConnection } from "./types.js";

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

function dwr(n: number): DiameterMessage {
  return createRequest("DWR", [avp("Origin-Host", `h${n}.test`), avp("Origin-Realm", "test")], { hopByHop: n, endToEnd: n });
}

async function pair(max?: number): Promise<{ raw: StreamConnection; got: DiameterMessage[]; bad: DiameterError[]; broken: DiameterError[]; closed: string[] }> {
  const net = new FakeNetwork();
  const got: DiameterMessage[] = [];
  const bad: DiameterError[] = [];
  const broken: DiameterError[] = [];
  const closed: string[] = [];
  await net.listen({ address: "127.2.9.1", port: 3868 }, (conn) => {
    new DiameterStream(
      conn,
      {
        message: (m) => got.push(m),
        undecodable: (e) => bad.push(e),
        streamError: (e) => broken.push(e),
        closed: (r) => closed.push(r ?? "closed"),
      },
      max,
    );
  });
  const c = await net.connect({ address: "127.2.9.1", port: 3868 }, { timeoutMs: 100 });
  if (!c.ok) throw new Error(c.error.reason);
  c.value.setHandlers({ data: () => undefined, closed: () => undefined });
  return { raw: c.value, got, bad, broken, closed };
}

describe("DiameterStream framing", () => {
  it("reassembles a message split into single bytes and splits coalesced messages", async () => {
    const p = await pair();
    const one = encodeMessage(dwr(1));
    for (const b of one) p.raw.write(Buffer.from([b]));
    p.raw.write(Buffer.concat([encodeMessage(dwr(2)), encodeMessage(dwr(3)), encodeMessage(dwr(4)).subarray(0, 10)]));
    await tick();
    expect(p.got.map((m) => getValue(m, "Origin-Host"))).toEqual(["h1.test", "h2.test", "h3.test"]);
    p.raw.write(encodeMessage(dwr(4)).subarray(10));
    await tick();
    expect(p.got).toHaveLength(4);
  });

  it("a frame that does not decode is reported with its Result-Code and the stream goes on", async () => {
    const p = await pair();
    const bytes = Buffer.from(encodeMessage(dwr(1)));
    bytes[20 + 4] = 0x41; // AVP flags: a reserved bit
    p.raw.write(Buffer.concat([bytes, encodeMessage(dwr(2))]));
    await tick();
    expect(p.bad.map((e) => e.resultCode)).toEqual([3009]);
    expect(p.bad[0]?.header?.hopByHop).toBe(1);
    expect(p.got).toHaveLength(1);
  });

  it("a length above the maximum or a wrong version closes the connection", async () => {
    for (const head of [[1, 0x10, 0, 0], [2, 0, 0, 20]]) {
      const p = await pair(4096);
      p.raw.write(Buffer.from(head));
      await tick();
      expect(p.broken.map((e) => e.resultCode)).toEqual([head[0] === 1 ? 5015 : 5011]);
      expect(p.closed).toHaveLength(1);
      expect(p.raw.isClosed).toBe(true);
    }
  });
});
