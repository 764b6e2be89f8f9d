import { FakeClock } from "@ims/runtime";
import { describe, expect, it } from "vitest";
import { getVias } from "../headers/index.js";
import { type SipRequest, getHeader, getHeaders } from "../message/index.js";
import { FakeNetwork, settle } from "../transport/fake-network.js";
import type { RequestContext } from "./request-context.js";
import { SipStack } from "./sip-stack.js";
import { buildRequest } from "./ua.js";

const UAC = "127.1.5.1";
const PROXY = "127.1.5.2";
const B1 = "127.1.5.3";
const B2 = "127.1.5.4";

function lab() {
  const clock = new FakeClock();
  const net = new FakeNetwork();
  const mk = (address: string) => new SipStack({ transport: net.transport(address, 5060), clock });
  const uac = mk(UAC);
  const proxy = mk(PROXY);
  const b1 = mk(B1);
  const b2 = mk(B2);
  const seen: Record<string, RequestContext[]> = { [B1]: [], [B2]: [] };
  const acks: Record<string, SipRequest[]> = { [B1]: [], [B2]: [] };
  for (const [addr, s] of [
    [B1, b1],
    [B2, b2],
  ] as const) {
    s.onRequest((ctx) => void seen[addr]!.push(ctx));
    s.onAck((ack) => void acks[addr]!.push(ack));
  }
  const invite = (method = "INVITE", extra: Partial<Parameters<typeof buildRequest>[0]> = {}) =>
    buildRequest({
      method,
      uri: "sip:b@domain",
      from: "<sip:a@domain>",
      to: "<sip:b@domain>",
      contact: `<sip:a@${UAC}>`,
      routes: [`<sip:${PROXY};lr>`],
      ...extra,
    });
  const run = async (ms = 0) => {
    await settle();
    if (ms > 0) clock.advance(ms);
    await settle();
  };
  return { clock, net, uac, proxy, b1, b2, seen, acks, invite, run };
}

const target = (addr: string) => ({ uri: `sip:b@${addr}` });

describe("SipStack as a stateful proxy (fake network)", () => {
  it("a UAS context answers with one To tag in all its responses", async () => {
    const { uac, seen, invite, run } = lab();
    const toHeaders: string[] = [];
    const out = uac.request(invite("INVITE", { routes: [] , uri: `sip:b@${B1}` }), { onResponse: (r) => void toHeaders.push(getHeader(r, "to") ?? "") });
    await run();
    const atB = seen[B1]![0]!;
    atB.respond(180);
    atB.respond(200, { headers: [["Contact", `<sip:b@${B1}>`]] });
    toHeaders.push(getHeader(await out.final, "to") ?? "");
    const tags = toHeaders.map((t) => /;tag=([^;]+)/.exec(t)?.[1]);
    expect(tags[0]).toMatch(/^[0-9a-zA-Z]{6,}$/);
    expect(new Set(tags).size).toBe(1);
    expect(atB.toTag).toBe(tags[0]);
  });

  it("forwards with Record-Route, Max-Forwards-1, its own Via; relays 180/200 without its Via; the 2xx ACK follows the route set", async () => {
    const { uac, proxy, seen, acks, invite, run, net } = lab();
    proxy.onRequest((ctx) => void ctx.forward(target(B1), { recordRoute: true }));
    const inv = invite();
    const provisional: number[] = [];
    const out = uac.request(inv, { onResponse: (r) => provisional.push(r.status) });
    await run();
    const atB = seen[B1]![0]!;
    expect(atB.request.uri).toBe(`sip:b@${B1}`);
    expect(getHeader(atB.request, "max-forwards")).toBe("69");
    expect(getHeaders(atB.request, "record-route")).toEqual([`<sip:${PROXY}:5060;lr>`]);
    expect(getHeaders(atB.request, "route")).toEqual([]); // the proxy's own Route was consumed
    const vias = getVias(atB.request)!;
    expect(vias.map((v) => v.host)).toEqual([PROXY, UAC]);
    expect(vias[0]!.branch).toMatch(/^z9hG4bK[0-9a-f]{10}\./);
    atB.respond(180);
    await run();
    atB.respond(200, { headers: [["Contact", `<sip:b@${B1}>`], ...getHeaders(atB.request, "record-route").map((r) => ["Record-Route", r] as [string, string])] });
    const final = await out.final;
    expect(final.status).toBe(200);
    expect(provisional).toEqual([180, 200]);
    expect(getVias(final)!.map((v) => v.host)).toEqual([UAC]);
    await uac.sendAck(inv, final);
    await run();
    expect(acks[B1]).toHaveLength(1);
    expect(acks[B1]![0]!.uri).toBe(`sip:b@${B1}`);
    expect(net.trace().filter((t) => t.endsWith(" ACK"))).toEqual([`${UAC}>${PROXY} ACK`, `${PROXY}>${B1} ACK`]);
  });

  it("answers 483 when Max-Forwards is 0 and 482 on a loop", async () => {
    const { uac, proxy, invite, run } = lab();
    proxy.onRequest((ctx) => void ctx.forward({ uri: `sip:loop@${PROXY}` }));
    const tooFar = invite("OPTIONS");
    tooFar.headers = tooFar.headers.map((h) => (h.name === "Max-Forwards" ? { name: h.name, value: "0" } : h));
    expect((await uac.sendRequest(tooFar)).status).toBe(483);
    // The proxy forwards to itself with the same Request-URI: the second pass sees its own loop hash.
    const looping = invite("OPTIONS", { uri: `sip:loop@${PROXY}`, routes: [] });
    const res = await uac.sendRequest(looping);
    await run();
    expect(res.status).toBe(482);
  });

  it("lets a request spiral through it when it comes back with another Route (S-CSCF orig, then term)", async () => {
    const { uac, proxy, seen, invite, run } = lab();
    let pass = 0;
    proxy.onRequest((ctx) => void (pass++ === 0 ? ctx.forward({ routes: [`<sip:term@${PROXY};lr>`] }) : ctx.forward(target(B1))));
    const out = uac.request(invite("OPTIONS", { routes: [`<sip:orig@${PROXY};lr>`] }));
    await run();
    expect(pass).toBe(2);
    seen[B1]![0]!.respond(200);
    await run();
    expect((await out.final).status).toBe(200);
  });

  it("a request that comes back with the Route it had the first time is a loop (482), though §16.4 removed that Route", async () => {
    const { uac, proxy, invite, run } = lab();
    let pass = 0;
    // Each pass forwards with the same Route naming the proxy: the loop hash must cover the Route as received.
    proxy.onRequest((ctx) => void (pass++, ctx.forward({ routes: [`<sip:orig@${PROXY};lr>`] })));
    const res = await uac.sendRequest(invite("OPTIONS", { routes: [`<sip:orig@${PROXY};lr>`] }));
    await run();
    expect(pass).toBe(2);
    expect(res.status).toBe(482);
  });

  it("a branch with a known destination is sent within forward(); a resolver's Promise is awaited", async () => {
    const clock = new FakeClock();
    const net = new FakeNetwork();
    const resolved: string[] = [];
    const uac = new SipStack({ transport: net.transport(UAC, 5060), clock });
    const proxy = new SipStack({
      transport: net.transport(PROXY, 5060),
      clock,
      resolver: (uri) => (resolved.push(uri.host), Promise.resolve({ transport: "udp", address: uri.host, port: 5060 })),
    });
    const b1 = new SipStack({ transport: net.transport(B1, 5060), clock });
    b1.onRequest((ctx) => void ctx.respond(200));
    let sentWithin = -1;
    proxy.onRequest((ctx) => {
      const before = net.sent.length;
      void ctx.forward(ctx.method === "OPTIONS" ? { destination: { transport: "udp", address: B1, port: 5060 } } : target(B1));
      sentWithin = net.sent.length - before;
    });
    const mk = (method: string) =>
      buildRequest({ method, uri: "sip:b@domain", from: "<sip:a@domain>", to: "<sip:b@domain>", contact: `<sip:a@${UAC}>`, routes: [`<sip:${PROXY};lr>`] });
    expect((await uac.sendRequest(mk("OPTIONS"))).status).toBe(200);
    expect(sentWithin).toBe(1);
    expect(resolved).toEqual([]);
    expect((await uac.sendRequest(mk("MESSAGE"))).status).toBe(200);
    expect(sentWithin).toBe(0); // sent once the resolver's Promise settled
    expect(resolved).toEqual([B1]);
  });

  it("a resolver that throws or rejects fails its branch as a 503 (500 upstream)", async () => {
    const clock = new FakeClock();
    const net = new FakeNetwork();
    let calls = 0;
    const uac = new SipStack({ transport: net.transport(UAC, 5060), clock });
    const proxy = new SipStack({
      transport: net.transport(PROXY, 5060),
      clock,
      resolver: () => {
        if (calls++ === 0) throw new Error("no DNS");
        return Promise.reject(new Error("no DNS"));
      },
    });
    proxy.onRequest((ctx) => void ctx.forward(target(B1)));
    const mk = () =>
      buildRequest({ method: "OPTIONS", uri: "sip:b@domain", from: "<sip:a@domain>", to: "<sip:b@domain>", contact: `<sip:a@${UAC}>`, routes: [`<sip:${PROXY};lr>`] });
    expect((await uac.sendRequest(mk())).status).toBe(500);
    expect((await uac.sendRequest(mk())).status).toBe(500);
    expect(calls).toBe(2);
  });

  it("refuses an unknown Proxy-Require with 420 and Unsupported", async () => {
    const { uac, proxy, invite } = lab();
    proxy.onRequest((ctx) => void ctx.forward(target(B1)));
    const res = await uac.sendRequest(invite("OPTIONS", { headers: [["Proxy-Require", "foo"]] }));
    expect(res.status).toBe(420);
    expect(getHeader(res, "unsupported")).toBe("foo");
  });

  it("parallel fork: a 200 from one branch wins, the other (ringing) branch is CANCELled and its 487 absorbed", async () => {
    const { uac, proxy, seen, invite, run, net } = lab();
    proxy.onRequest((ctx) => void ctx.forward([target(B1), target(B2)]));
    const out = uac.request(invite());
    await run();
    const [a, b] = [seen[B1]![0]!, seen[B2]![0]!];
    b.onCancel(() => b.respond(487));
    b.respond(180);
    await run();
    a.respond(200, { headers: [["Contact", `<sip:b@${B1}>`]] });
    const final = await out.final;
    await run();
    expect(final.status).toBe(200);
    expect(b.transaction.state).toBe("Confirmed"); // its 487 was ACKed by the proxy
    expect(net.trace()).toContain(`${PROXY}>${B2} CANCEL`);
    expect(net.trace().filter((t) => t.startsWith(`${PROXY}>${UAC} 487`))).toEqual([]);
  });

  it("parallel fork: all fail → the best response (404 over 503); a 6xx ends the fork at once", async () => {
    const { uac, proxy, seen, invite, run } = lab();
    proxy.onRequest((ctx) => void ctx.forward([target(B1), target(B2)]));
    const out = uac.request(invite("MESSAGE"));
    await run();
    seen[B1]![0]!.respond(503);
    await run();
    seen[B2]![0]!.respond(404);
    expect((await out.final).status).toBe(404);

    const out2 = uac.request(invite());
    await run();
    seen[B2]![1]!.onCancel(() => seen[B2]![1]!.respond(487));
    seen[B2]![1]!.respond(180);
    await run();
    seen[B1]![1]!.respond(603);
    expect((await out2.final).status).toBe(603);
  });

  it("sequential fork: the next target after a failure; per-response and final hooks can edit", async () => {
    const { uac, proxy, seen, invite, run } = lab();
    const hooked: number[] = [];
    proxy.onRequest(
      (ctx) =>
        void ctx.forward([target(B1), target(B2)], {
          mode: "sequential",
          onResponse: (r) => void hooked.push(r.status),
          onFinal: (r) => r.headers.push({ name: "X-Final", value: "yes" }),
        }),
    );
    const out = uac.request(invite("OPTIONS"));
    await run();
    expect(seen[B2]).toHaveLength(0);
    seen[B1]![0]!.respond(480);
    await run();
    expect(seen[B2]).toHaveLength(1);
    seen[B2]![0]!.respond(200);
    const final = await out.final;
    expect(final.status).toBe(200);
    expect(getHeader(final, "x-final")).toBe("yes");
    expect(hooked).toEqual([480, 200]);
  });

  it("an async onResponse holds each response until it settles, keeps the branch's order, and relays as is on rejection", async () => {
    const { uac, proxy, seen, invite, run } = lab();
    const gates: Array<() => void> = [];
    const hooked: number[] = [];
    proxy.onRequest(
      (ctx) =>
        void ctx.forward(target(B1), {
          onResponse: (r) => {
            hooked.push(r.status);
            if (r.status === 180) return undefined; // synchronous, but must wait behind the 183
            if (r.status === 182) return Promise.reject(new Error("relay down"));
            return new Promise<void>((resolve) =>
              gates.push(() => {
                r.headers.push({ name: "X-Edited", value: String(r.status) });
                resolve();
              }),
            );
          },
        }),
    );
    const upstream: Array<{ status: number; edited: string | undefined }> = [];
    const out = uac.request(invite(), { onResponse: (r) => void (r.status > 100 && upstream.push({ status: r.status, edited: getHeader(r, "x-edited") })) });
    await run();
    const callee = seen[B1]![0]!;
    callee.respond(183);
    callee.respond(180);
    callee.respond(182);
    callee.respond(200);
    await run();
    // Only the 183's hook ran; the others wait behind it, and nothing went upstream yet.
    expect(hooked).toEqual([183]);
    expect(upstream).toEqual([]);
    gates.shift()!();
    await run();
    expect(hooked).toEqual([183, 180, 182, 200]);
    expect(upstream).toEqual([
      { status: 183, edited: "183" },
      { status: 180, edited: undefined },
      { status: 182, edited: undefined },
    ]);
    gates.shift()!();
    const final = await out.final;
    expect(final.status).toBe(200);
    expect(getHeader(final, "x-edited")).toBe("200");
  });

  it("sequential fork with tryNextOn: a 401 goes upstream at once, only a silent target moves on", async () => {
    const { uac, proxy, seen, invite, run } = lab();
    proxy.onRequest(
      (ctx) =>
        void ctx.forward([target(B1), target(B2)], {
          mode: "sequential",
          tryNextOn: (r) => r.status === 408 || r.status === 503,
        }),
    );
    const out = uac.request(invite("REGISTER"));
    await run();
    seen[B1]![0]!.respond(401);
    expect((await out.final).status).toBe(401);
    expect(seen[B2]).toHaveLength(0);

    const again = uac.request(invite("REGISTER"));
    await run();
    seen[B1]![1]!.respond(503);
    await run();
    expect(seen[B2]).toHaveLength(1);
    seen[B2]![0]!.respond(200);
    expect((await again.final).status).toBe(200);
  });

  it("branchTimeout: a target silent for that long counts as 408 and the next one is tried", async () => {
    const { uac, proxy, seen, invite, run } = lab();
    proxy.onRequest(
      (ctx) =>
        void ctx.forward([target(B1), target(B2)], {
          mode: "sequential",
          branchTimeout: 4_000,
          tryNextOn: (r) => r.status === 408 || r.status === 503,
        }),
    );
    const out = uac.request(invite("REGISTER"));
    await run(3_999);
    expect(seen[B2]).toHaveLength(0);
    await run(1);
    expect(seen[B2]).toHaveLength(1);
    seen[B2]![0]!.respond(200);
    expect((await out.final).status).toBe(200);
    seen[B1]![0]!.respond(401); // too late: that branch is over
    await run();
  });

  it("CANCEL from the caller is answered and propagated; the callee's 487 reaches the caller", async () => {
    const { uac, proxy, seen, invite, run, net } = lab();
    proxy.onRequest((ctx) => void ctx.forward(target(B1)));
    const out = uac.request(invite());
    await run();
    const b = seen[B1]![0]!;
    b.onCancel(() => b.respond(487));
    out.cancel(); // no provisional yet: waits
    await run();
    expect(net.trace().filter((t) => t.endsWith("CANCEL"))).toEqual([]);
    b.respond(180);
    await run();
    expect(net.trace().filter((t) => t.endsWith("CANCEL"))).toEqual([`${UAC}>${PROXY} CANCEL`, `${PROXY}>${B1} CANCEL`]);
    expect((await out.final).status).toBe(487);
    await run();
    expect(net.trace().filter((t) => t.endsWith(" ACK")).sort()).toEqual([`${UAC}>${PROXY} ACK`, `${PROXY}>${B1} ACK`]);
  });

  it("a CANCEL that arrives while the handler is still deciding stops the forward (487, nothing sent on)", async () => {
    const { uac, proxy, invite, run, net } = lab();
    let decide!: () => void;
    const decided = new Promise<void>((r) => (decide = r));
    proxy.onRequest(async (ctx) => {
      await decided; // e.g. waiting for a Diameter answer
      await ctx.forward(target(B1));
    });
    const out = uac.request(invite());
    await run(300); // the proxy's 100 Trying lets the UAC CANCEL
    out.cancel();
    await run();
    decide();
    expect((await out.final).status).toBe(487);
    expect(net.trace().filter((t) => t.includes(B1))).toEqual([]);
  });

  it("Timer C: a branch that only rings for 181 s is CANCELled", async () => {
    const { uac, proxy, seen, invite, run, net } = lab();
    proxy.onRequest((ctx) => void ctx.forward(target(B1)));
    const out = uac.request(invite());
    await run();
    const b = seen[B1]![0]!;
    b.onCancel(() => b.respond(487));
    b.respond(180);
    await run(180_000);
    expect(net.trace()).not.toContain(`${PROXY}>${B1} CANCEL`);
    await run(1_000);
    expect(net.trace()).toContain(`${PROXY}>${B1} CANCEL`);
    expect((await out.final).status).toBe(487);
  });

  it("a branch that never answers times out as 408; an unreachable one counts as 503 → 500", async () => {
    const { uac, proxy, invite, run, net, clock } = lab();
    proxy.onRequest((ctx) => void ctx.forward({ uri: "sip:b@127.1.5.99" }));
    const out = uac.request(invite("OPTIONS"));
    await run();
    expect((await out.final).status).toBe(500);
    net.filter = (r) => r.to.address !== B1;
    proxy.onRequest((ctx) => void ctx.forward(target(B1)));
    const out2 = uac.request(invite("OPTIONS"));
    await run();
    clock.advance(32_000);
    await run();
    // The UAC's own transaction also times out at 32 s: either way the caller sees 408.
    expect((await out2.final).status).toBe(408);
  });

  it("stateless mode: no transaction kept, the response is relayed by its Via", async () => {
    const { uac, proxy, seen, invite, run } = lab();
    proxy.onRequest((ctx) => void ctx.forwardStateless(target(B1)));
    const out = uac.request(invite("OPTIONS"));
    await run();
    expect(proxy.layer.size).toEqual({ clients: 0, servers: 0, completed: 0 });
    seen[B1]![0]!.respond(200);
    expect((await out.final).status).toBe(200);
  });

  it("a UAS registrar answers REGISTER with its bindings", async () => {
    const { uac, b1 } = lab();
    b1.onRequest((ctx) => {
      const contact = getHeader(ctx.request, "contact") ?? "";
      ctx.respond(200, { headers: [["Contact", `${contact};expires=600`]] });
    });
    const res = await uac.sendRequest(
      buildRequest({ method: "REGISTER", uri: `sip:${B1}`, from: "<sip:a@domain>", to: "<sip:a@domain>", contact: `<sip:a@${UAC}>` }),
    );
    expect(res.status).toBe(200);
    expect(getHeader(res, "contact")).toBe(`<sip:a@${UAC}>;expires=600`);
  });
});
