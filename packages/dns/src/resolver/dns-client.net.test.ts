import { afterEach, describe, expect, it } from "vitest";
import { createSocket, type Socket } from "node:dgram";
import { systemClock } from "@ims/runtime";
import { DnsClient } from "./dns-client.js";
import { decodeMessage } from "../wire/decode.js";
import { encodeMessage } from "../wire/encode.js";
import { type DnsMessage, RCODE, RR_TYPE } from "../wire/types.js";

// This file's addresses: 127.3.1.1-127.3.1.9.
const SERVER = "127.3.1.1";
const PORT = 15453;

let servers: Socket[] = [];
afterEach(() => {
  for (const s of servers) s.close();
  servers = [];
});

/** A scripted server: `reply` returns the datagrams to send back for one query, and from which socket. */
async function scripted(reply: (q: DnsMessage) => { bytes: Uint8Array; fromOther?: boolean }[]): Promise<void> {
  const main = createSocket("udp4");
  const other = createSocket("udp4");
  servers.push(main, other);
  await new Promise<void>((r) => main.bind(PORT, SERVER, () => r()));
  await new Promise<void>((r) => other.bind(PORT + 1, SERVER, () => r()));
  main.on("message", (msg, rinfo) => {
    const q = decodeMessage(msg);
    if (!q.ok) return;
    for (const { bytes, fromOther } of reply(q.value)) (fromOther ? other : main).send(bytes, rinfo.port, rinfo.address);
  });
}

function answer(q: DnsMessage, patch: { id?: number; name?: string; rcode?: number; address?: string } = {}): Uint8Array {
  const question = q.questions[0]!;
  return encodeMessage({
    header: { ...q.header, id: patch.id ?? q.header.id, qr: true, aa: true, rcode: patch.rcode ?? 0 },
    questions: [{ ...question, name: patch.name ?? question.name }],
    answers: patch.rcode ? [] : [{ name: question.name, rrclass: 1, ttl: 60, data: { type: "A", address: patch.address ?? "127.3.1.99" } }],
    authorities: [],
    additionals: [],
  });
}

describe("DnsClient", () => {
  it("accepts only the answer from the server queried, with its id and question (RFC 5452)", async () => {
    await scripted((q) => [
      { bytes: Uint8Array.from([1, 2, 3]) },
      { bytes: answer(q, { id: (q.header.id + 1) & 0xffff, address: "127.6.6.1" }) },
      { bytes: answer(q, { name: "evil.test", address: "127.6.6.2" }) },
      { bytes: answer(q, { address: "127.6.6.3" }), fromOther: true },
      { bytes: answer(q) },
    ]);
    const client = new DnsClient({ address: SERVER, port: PORT, localAddress: "127.3.1.2" }, systemClock);
    const r = await client.query("good.test", RR_TYPE.A);
    client.close();
    expect(r.ok && r.value.answers.map((a) => a.data)).toEqual([{ type: "A", address: "127.3.1.99" }]);
  });

  it("retransmits after a lost datagram", async () => {
    let seen = 0;
    await scripted((q) => (++seen === 1 ? [] : [{ bytes: answer(q) }]));
    const client = new DnsClient({ address: SERVER, port: PORT, timeoutMs: 50, attempts: 3 }, systemClock);
    const r = await client.query("good.test", RR_TYPE.A);
    client.close();
    expect(r.ok).toBe(true);
    expect(seen).toBe(2);
  });

  it("reports SERVFAIL and REFUSED as dns-server-failure, NXDOMAIN as an answer", async () => {
    await scripted((q) => [{ bytes: answer(q, { rcode: q.questions[0]!.name === "nx.test" ? RCODE.NXDOMAIN : q.questions[0]!.name === "r.test" ? RCODE.REFUSED : RCODE.SERVFAIL }) }]);
    const client = new DnsClient({ address: SERVER, port: PORT }, systemClock);
    const [sf, refused, nx] = await Promise.all([client.query("sf.test", 1), client.query("r.test", 1), client.query("nx.test", 1)]);
    client.close();
    expect(!sf.ok && sf.error.tag).toBe("dns-server-failure");
    expect(!refused.ok && refused.error.reason).toContain("REFUSED");
    expect(nx.ok && nx.value.rcode).toBe("NXDOMAIN");
  });

  it("fails pending queries when closed", async () => {
    await scripted(() => []);
    const client = new DnsClient({ address: SERVER, port: PORT, timeoutMs: 5000 }, systemClock);
    const pending = client.query("slow.test", 1);
    client.close();
    const r = await pending;
    expect(!r.ok && r.error.tag).toBe("dns-network");
  });
});
