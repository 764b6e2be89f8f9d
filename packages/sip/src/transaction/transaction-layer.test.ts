import { FakeClock } from "@ims/runtime";
import { describe, expect, it } from "vitest";
import { type SipRequest, type SipResponse, createRequest, createResponse, getHeader, newBranch, serializeMessage } from "../message/index.js";
import { FakeNetwork, settle } from "../transport/fake-network.js";
import { type ServerTransaction, TransactionLayer } from "./transaction-layer.js";

const UA = { address: "127.1.2.1", port: 5060 };
const UAS = { address: "127.1.2.2", port: 5060 };
const toUas = { transport: "udp" as const, ...UAS };

function request(method: string, branch = newBranch(), cseq = 1): SipRequest {
  return createRequest({
    method,
    uri: `sip:b@${UAS.address}`,
    headers: [
      ["Via", `SIP/2.0/UDP ${UA.address}:${UA.port};branch=${branch};rport`],
      ["Max-Forwards", "70"],
      ["From", "<sip:a@x>;tag=fa"],
      ["To", "<sip:b@x>"],
      ["Call-ID", "call-tl"],
      ["CSeq", `${cseq} ${method}`],
    ],
  });
}

function setup() {
  const clock = new FakeClock();
  const net = new FakeNetwork();
  const client = new TransactionLayer({ transport: net.transport(UA.address, UA.port), clock });
  const server = new TransactionLayer({ transport: net.transport(UAS.address, UAS.port), clock });
  const incoming: ServerTransaction[] = [];
  server.onRequest((tx) => incoming.push(tx));
  const responses: number[] = [];
  const failures: string[] = [];
  const cb = { onResponse: (r: SipResponse) => responses.push(r.status), onFailure: (f: string) => failures.push(f) };
  return { clock, net, client, server, incoming, responses, failures, cb };
}

/** Advance fake time and let the in-memory network deliver. */
async function advance(clock: FakeClock, ms: number) {
  clock.advance(ms);
  await settle();
}

describe("TransactionLayer over the fake network", () => {
  it("a lost INVITE is retransmitted by Timer A; the server sees it once; 486 is ACKed hop by hop", async () => {
    const { clock, net, client, server, incoming, responses, cb } = setup();
    let drops = 1;
    net.filter = (r) => !(r.message.kind === "request" && r.message.method === "INVITE" && drops-- > 0);
    const tx = client.sendRequest(request("INVITE"), toUas, cb);
    await settle();
    expect(incoming).toHaveLength(0);
    await advance(clock, 500);
    expect(incoming).toHaveLength(1);
    await advance(clock, 200); // automatic 100 Trying after 200 ms
    expect(responses).toEqual([100]);
    expect(tx.state).toBe("Proceeding");
    incoming[0]!.respond(createResponse(incoming[0]!.request, 486, { toTag: "tb" }));
    await settle();
    expect(responses).toEqual([100, 486]);
    expect(tx.state).toBe("Completed");
    expect(incoming[0]!.state).toBe("Confirmed");
    const ack = net.sent.find((r) => r.message.kind === "request" && r.message.method === "ACK")!.message;
    expect(getHeader(ack, "to")).toBe("<sip:b@x>;tag=tb");
    expect(getHeader(ack, "cseq")).toBe("1 ACK");
    await advance(clock, 32_000);
    expect(client.size).toEqual({ clients: 0, servers: 0, completed: 0 });
    expect(server.size).toEqual({ clients: 0, servers: 0, completed: 0 });
  });

  it("CANCEL: answered 200 by the layer, the INVITE's owner answers 487, which is ACKed", async () => {
    const { net, client, incoming, responses, cb } = setup();
    const invite = request("INVITE");
    client.sendRequest(invite, toUas, cb);
    await settle();
    const inv = incoming[0]!;
    inv.onCancel(() => inv.respond(createResponse(inv.request, 487, { toTag: "tb" })));
    inv.respond(createResponse(inv.request, 180, { toTag: "tb" }));
    await settle();
    const branch = /branch=([^;]+)/.exec(getHeader(invite, "via")!)![1]!;
    const cancelStatus: number[] = [];
    client.sendRequest(request("CANCEL", branch), toUas, { onResponse: (r) => cancelStatus.push(r.status) });
    await settle();
    expect(cancelStatus).toEqual([200]);
    expect(inv.cancelled).toBe(true);
    expect(responses).toEqual([180, 487]);
    expect(net.trace().filter((t) => t.endsWith("ACK"))).toHaveLength(1);
    expect(incoming).toHaveLength(1); // the CANCEL itself is not handed to onRequest
  });

  it("CANCEL with no matching INVITE gets 481", async () => {
    const { client } = setup();
    const got: number[] = [];
    client.sendRequest(request("CANCEL"), toUas, { onResponse: (r) => got.push(r.status) });
    await settle();
    expect(got).toEqual([481]);
  });

  it("2xx: client and server go to Accepted; the 2xx ACK (new branch) reaches onAck; 2xx retransmits pass up", async () => {
    const { clock, client, server, incoming, responses, cb } = setup();
    const acks: SipRequest[] = [];
    server.onAck((a) => acks.push(a));
    const tx = client.sendRequest(request("INVITE"), toUas, cb);
    await settle();
    const ok = createResponse(incoming[0]!.request, 200, { toTag: "tb" });
    incoming[0]!.respond(ok);
    await settle();
    expect(tx.state).toBe("Accepted");
    expect(incoming[0]!.state).toBe("Accepted");
    incoming[0]!.respond(ok); // the UAS core retransmits its 2xx
    await settle();
    expect(responses).toEqual([200, 200]);
    void client.sendStateless(request("ACK"), toUas);
    await settle();
    expect(acks).toHaveLength(1);
    await advance(clock, 32_000);
    expect(server.size.servers).toBe(0);
  });

  it("thousands of completed non-INVITEs expire in order, each after its own Timer J (the expiry queue compacts)", async () => {
    const { clock, server, incoming } = setup();
    server.onRequest((tx) => {
      incoming.push(tx);
      tx.respond(createResponse(tx.request, 200, { toTag: "x" }));
    });
    const inject = (n: number) => {
      for (let i = 0; i < n; i++) {
        // straight into the server layer's transport handler, as a socket would deliver it
        (server.transport as unknown as { receive(d: Buffer, s: { transport: "udp"; address: string; port: number }): void }).receive(
          serializeMessage(request("MESSAGE")),
          { transport: "udp", ...UA },
        );
      }
    };
    inject(1600);
    clock.advance(10_000);
    inject(1400);
    expect(server.size.completed).toBe(3000);
    clock.advance(22_000); // the first 1600 reach Timer J (32 s): more than half the queue, which compacts
    expect(server.size.completed).toBe(1400);
    clock.advance(9_999);
    expect(server.size.completed).toBe(1400);
    clock.advance(1);
    expect(server.size.completed).toBe(0);
    inject(3);
    expect(server.size.completed).toBe(3);
    clock.advance(32_000);
    expect(server.size.completed).toBe(0);
  });

  it("non-INVITE: retransmissions absorbed in Trying, answered from Completed; Timer J cleans up", async () => {
    const { clock, net, client, server, incoming, responses, cb } = setup();
    client.sendRequest(request("OPTIONS"), toUas, cb);
    await advance(clock, 500); // one retransmission before the TU answers
    expect(incoming).toHaveLength(1);
    incoming[0]!.respond(createResponse(incoming[0]!.request, 200, { toTag: "x" }));
    await settle();
    expect(responses).toEqual([200]);
    // Completed keeps only the final response (server) and the key (client); the rest is freed.
    expect(server.size).toEqual({ clients: 0, servers: 0, completed: 1 });
    expect(client.size).toEqual({ clients: 0, servers: 0, completed: 1 });
    const strays: number[] = [];
    client.onStrayResponse((r) => strays.push(r.status));
    // Make the client retransmit once more by replaying the request: the server resends its 200.
    const before = net.trace().filter((t) => t.endsWith("200")).length;
    await net.transport("127.1.2.9", 5060).send(incoming[0]!.request, toUas);
    await settle();
    expect(net.trace().filter((t) => t.endsWith("200")).length).toBe(before + 1);
    expect(incoming).toHaveLength(1); // not a new request for the TU
    // The client absorbs that retransmitted 200 (Timer K): not passed up, not a stray.
    expect(responses).toEqual([200]);
    expect(strays).toEqual([]);
    await advance(clock, 5_000);
    expect(client.size.completed).toBe(0);
    expect(server.size.completed).toBe(1);
    await advance(clock, 27_000);
    expect(server.size).toEqual({ clients: 0, servers: 0, completed: 0 });
    // After Timer J the same request is new again.
    await net.transport("127.1.2.9", 5060).send(incoming[0]!.request, toUas);
    await settle();
    expect(incoming).toHaveLength(2);
  });

  it("a client key completed again keeps its newer Timer K when the older one expires", async () => {
    const { clock, net, client, incoming, cb } = setup();
    const branch = newBranch();
    client.sendRequest(request("OPTIONS", branch), toUas, cb);
    await settle();
    incoming[0]!.respond(createResponse(incoming[0]!.request, 200, { toTag: "x" }));
    await settle();
    await advance(clock, 3_000);
    // the same branch again: the server answers it from Completed, the client completes the key anew
    client.sendRequest(request("OPTIONS", branch), toUas, cb);
    await settle();
    expect(client.size).toEqual({ clients: 0, servers: 0, completed: 1 });
    const strays: number[] = [];
    client.onStrayResponse((r) => strays.push(r.status));
    const retransmit = () =>
      net.transport("127.1.2.8", 5060).send(createResponse(request("OPTIONS", branch), 200, { toTag: "x" }), { transport: "udp", ...UA });
    await advance(clock, 2_500); // the first completion's Timer K is over, the second's is not
    await retransmit();
    await settle();
    expect(strays).toEqual([]);
    await advance(clock, 3_000);
    await retransmit();
    await settle();
    expect(strays).toEqual([200]);
  });

  it("times out (Timer F) when nobody answers, and reports a transport error for an unreachable peer", async () => {
    const { clock, client, failures, cb } = setup();
    client.sendRequest(request("OPTIONS"), { transport: "udp", address: "127.1.2.99", port: 5060 }, cb);
    await settle();
    expect(failures).toEqual(["transport-error"]);
    const net2 = setup();
    net2.net.filter = () => false;
    net2.client.sendRequest(request("MESSAGE"), toUas, net2.cb);
    await advance(net2.clock, 32_000);
    expect(net2.failures).toEqual(["timeout"]);
    expect(clock.pending()).toBe(0);
  });

  it("a server transaction whose response cannot be sent terminates (transport error)", async () => {
    const { net, client, incoming } = setup();
    client.sendRequest(request("OPTIONS"), toUas, { onResponse: () => undefined });
    await settle();
    await client.transport.close(); // the UA is gone: the 200 has nowhere to go
    const tx = incoming[0]!;
    tx.respond(createResponse(tx.request, 200, { toTag: "x" }));
    await settle();
    expect(tx.state).toBe("Terminated");
    expect(net.trace().filter((t) => t.endsWith(" 200"))).toEqual([]);
  });

  it("a response matching no transaction goes to onStrayResponse", async () => {
    const { net, client } = setup();
    const stray: number[] = [];
    client.onStrayResponse((r) => stray.push(r.status));
    await net.transport("127.1.2.8", 5060).send(createResponse(request("INVITE"), 200, { toTag: "z" }), {
      transport: "udp",
      ...UA,
    });
    await settle();
    expect(stray).toEqual([200]);
  });
});
