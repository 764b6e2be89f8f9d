import { FakeClock } from "@ims/runtime";
import { describe, expect, it } from "vitest";
import { FakeNetwork, settle } from "../transport/fake-network.js";
import type { RequestContext } from "./request-context.js";
import { SipStack } from "./sip-stack.js";
import { buildRequest } from "./ua.js";

const A = "127.1.9.1";
const B = "127.1.9.2";

describe("UAC re-sending a request object", () => {
  it("replaces its own Via with a fresh branch (e.g. a REGISTER re-sent with credentials and CSeq+1)", async () => {
    const clock = new FakeClock();
    const net = new FakeNetwork();
    const a = new SipStack({ transport: net.transport(A, 5060), clock });
    const b = new SipStack({ transport: net.transport(B, 5060), clock });
    let n = 0;
    b.onRequest((c) => void c.respond(n++ === 0 ? 401 : 200));
    const reg = buildRequest({ method: "REGISTER", uri: `sip:${B}`, from: "<sip:a@x>", to: "<sip:a@x>" });
    expect((await a.sendRequest(reg)).status).toBe(401);
    const firstVia = reg.headers.find((h) => h.name === "Via")!.value;
    reg.headers = reg.headers.map((h) => (h.name === "CSeq" ? { name: "CSeq", value: "2 REGISTER" } : h));
    expect((await a.sendRequest(reg)).status).toBe(200);
    const vias = reg.headers.filter((h) => h.name === "Via");
    expect(vias).toHaveLength(1);
    expect(vias[0]!.value).not.toBe(firstVia);
  });
});

describe("2xx retransmission by the UAS core and re-ACK by the UAC core (§13.3.1.4, §13.2.2.4)", () => {
  it("the UAS resends its 2xx at T1, 2T1... until the ACK; the UAC answers each with the same ACK", async () => {
    const clock = new FakeClock();
    const net = new FakeNetwork();
    const a = new SipStack({ transport: net.transport(A, 5060), clock });
    const b = new SipStack({ transport: net.transport(B, 5060), clock });
    const ctxs: RequestContext[] = [];
    b.onRequest((c) => void ctxs.push(c));
    let acksAtB = 0;
    b.onAck(() => acksAtB++);
    let dropAcks = 2;
    net.filter = (r) => !(r.message.kind === "request" && r.message.method === "ACK" && dropAcks-- > 0);
    const inv = buildRequest({ method: "INVITE", uri: `sip:b@${B}`, from: "<sip:a@x>", to: "<sip:b@x>", contact: `<sip:a@${A}>` });
    const out = a.request(inv);
    await settle();
    ctxs[0]!.respond(200, { headers: [["Contact", `<sip:b@${B}>`]] });
    const final = await out.final;
    await a.sendAck(inv, final); // lost
    await settle();
    const oks = () => net.trace().filter((t) => t === `${B}>${A} 200`).length;
    expect(oks()).toBe(1);
    clock.advance(500);
    await settle(); // 2xx again → ACK again (lost)
    expect(oks()).toBe(2);
    clock.advance(1000);
    await settle(); // 2xx again → ACK arrives
    expect(oks()).toBe(3);
    expect(acksAtB).toBe(1);
    const acks = net.sent.filter((r) => r.message.kind === "request" && r.message.method === "ACK");
    expect(acks).toHaveLength(3);
    expect(new Set(acks.map((r) => r.data.toString())).size).toBe(1); // the very same ACK
    clock.advance(10_000);
    await settle();
    expect(oks()).toBe(3); // stopped
  });

  it("gives up after 64*T1 without an ACK", async () => {
    const clock = new FakeClock();
    const net = new FakeNetwork();
    const a = new SipStack({ transport: net.transport(A, 5060), clock });
    const b = new SipStack({ transport: net.transport(B, 5060), clock });
    b.onRequest((c) => void c.respond(200));
    const out = a.request(buildRequest({ method: "INVITE", uri: `sip:b@${B}`, from: "<sip:a@x>", to: "<sip:b@x>" }));
    await out.final;
    for (let i = 0; i < 40; i++) {
      clock.advance(1000);
      await settle();
    }
    // 0, .5, 1.5, 3.5, 7.5, then every 4 s up to 31.5 → 11 sends of the 2xx in 32 s, then none.
    expect(net.trace().filter((t) => t === `${B}>${A} 200`)).toHaveLength(11);
  });
});
