import { afterEach, describe, expect, it } from "vitest";
import { PassThrough } from "node:stream";
import { FakeClock, createLogger } from "@ims/runtime";
import { type DiameterMessage, CMD_FLAG, createRequest, avp, decodeMessage, encodeMessage, findAvp, getValue, isError } from "../codec/index.js";
import { type StreamTransport, FakeNetwork } from "../transport/index.js";
import { DiameterNode } from "./node.js";
import { type Pair, CX_APP, HSS, MAR, REALM, SCSCF, flush, maa, mar, startPair } from "./test-nodes.js";

const A = { hssAddress: "127.2.1.77", scscfAddress: "127.2.1.11", port: 3868 };
let running: DiameterNode[] = [];

async function open(options: { acceptUnknownPeers?: boolean } = {}): Promise<Pair & { clock: FakeClock; net: FakeNetwork }> {
  const clock = new FakeClock();
  const net = new FakeNetwork();
  const pair = await startPair({ clock, transport: net, ...A, ...options });
  running.push(pair.hss, pair.scscf);
  await flush();
  return { ...pair, clock, net };
}

async function answer(p: Promise<unknown>): Promise<DiameterMessage> {
  const r = (await p) as { ok: boolean; value?: DiameterMessage; error?: { reason: string } };
  if (!r.ok || r.value === undefined) throw new Error(`no answer: ${r.error?.reason}`);
  return r.value;
}

afterEach(async () => {
  await Promise.all(running.map((n) => n.stop()));
  running = [];
});

describe("DiameterNode over an in-memory network", () => {
  it("opens with CER/CEA: the client is I-Open, the server R-Open, each knows the other's applications", async () => {
    const { hss, scscf } = await open();
    expect(scscf.peerStatus(HSS)).toMatchObject({ state: "I-Open", watchdog: "OKAY", capabilities: { originHost: HSS, commonApplicationIds: [CX_APP] } });
    expect(hss.peerStatus(SCSCF)?.state).toBe("R-Open");
    expect(await scscf.waitForPeerOpen(HSS, 1)).toBe(true);
  });

  it("request → handler → answer, matched by hop-by-hop and end-to-end id; the handler sees the peer", async () => {
    const { hss, scscf } = await open();
    const seen: string[] = [];
    hss.handle(CX_APP, MAR, async (req, ctx) => {
      seen.push(ctx.peer);
      return maa(req);
    });
    const ids = scscf.nextIds();
    const a = await answer(scscf.request(mar(ids)));
    expect(getValue(a, "Result-Code")).toBe(2001);
    expect(a.endToEnd).toBe(ids.endToEnd);
    expect(seen).toEqual([SCSCF]);
  });

  it("sends the request with the R flag and a fresh hop-by-hop id, leaving the caller's message as it was", async () => {
    const { hss, scscf, net } = await open();
    hss.handle(CX_APP, MAR, (req) => maa(req));
    const ids = scscf.nextIds();
    const given = { ...mar(ids), flags: CMD_FLAG.P, hopByHop: 0 }; // R clear, hop-by-hop 0: the node sets both
    const before = net.written.length;
    const a = await answer(scscf.request(given));
    expect(getValue(a, "Result-Code")).toBe(2001);
    expect(given.flags).toBe(CMD_FLAG.P);
    expect(given.hopByHop).toBe(0);
    const sent = net.written.slice(before).map((w) => decodeMessage(w.data)).flatMap((r) => (r.ok && r.value.commandCode === MAR && (r.value.flags & CMD_FLAG.R) !== 0 ? [r.value] : []));
    expect(sent).toHaveLength(1);
    expect(sent[0]?.flags).toBe(CMD_FLAG.R | CMD_FLAG.P);
    expect(sent[0]?.hopByHop).toBe(a.hopByHop);
    expect(sent[0]?.hopByHop).not.toBe(0);
    expect(sent[0]?.endToEnd).toBe(ids.endToEnd);
    expect(sent[0]?.avps.length).toBe(given.avps.length);
  });

  it("no answer → a typed timeout error after the request timeout", async () => {
    const { hss, scscf, clock } = await open();
    hss.handle(CX_APP, MAR, () => new Promise<DiameterMessage>(() => undefined));
    const pending = scscf.request(mar(scscf.nextIds()), { timeoutMs: 2_000 });
    await flush();
    clock.advance(1_999);
    let settled = false;
    void pending.then(() => (settled = true));
    await flush();
    expect(settled).toBe(false);
    clock.advance(1);
    expect(await pending).toMatchObject({ ok: false, error: { tag: "diameter-request", kind: "timeout", peer: HSS } });
  });

  it("no route: unknown realm, a forced peer that is not open, an application the peer did not advertise", async () => {
    const { scscf } = await open();
    const other = createRequest("MAR", [avp("Origin-Host", SCSCF), avp("Origin-Realm", REALM), avp("Destination-Realm", "elsewhere.org")], scscf.nextIds());
    expect(await scscf.request(other)).toMatchObject({ ok: false, error: { kind: "no-route" } });
    expect(await scscf.request(mar(scscf.nextIds()), { peer: "nobody" })).toMatchObject({ ok: false, error: { kind: "no-route" } });
    expect(await scscf.request({ ...mar(scscf.nextIds()), applicationId: 4 })).toMatchObject({ ok: false, error: { kind: "no-route" } });
  });

  it("answers 3001 (no handler), 3007 (not our application), 3002 (other Destination-Host) with the E bit", async () => {
    const { hss, scscf } = await open();
    hss.handle(CX_APP, MAR, (req) => maa(req));
    const uar = { ...mar(scscf.nextIds()), commandCode: 300 };
    const a3001 = await answer(scscf.request(uar));
    expect(getValue(a3001, "Result-Code")).toBe(3001);
    expect(isError(a3001)).toBe(true);
    expect(getValue(a3001, "Origin-Host")).toBe(HSS);
    const a3007 = await answer(scscf.request({ ...mar(scscf.nextIds()), applicationId: 4 }, { peer: HSS }));
    expect(getValue(a3007, "Result-Code")).toBe(3007);
    const a3002 = await answer(scscf.request(mar(scscf.nextIds(), { destinationHost: "hss2.domain.imsprovider.org" })));
    expect(getValue(a3002, "Result-Code")).toBe(3002);
    expect(isError(a3002)).toBe(true);
  });

  it("a request that breaks its CCF is answered 5005 with Failed-AVP; a handler that throws gets 5012", async () => {
    const { hss, scscf } = await open();
    let calls = 0;
    hss.handle(CX_APP, MAR, () => {
      calls++;
      throw new Error("boom");
    });
    const a = await answer(scscf.request(mar(scscf.nextIds(), { userName: false })));
    expect(getValue(a, "Result-Code")).toBe(5005);
    expect(findAvp(a, "Failed-AVP")?.avps?.[0]?.code).toBe(1);
    expect(calls).toBe(0);
    const b = await answer(scscf.request(mar(scscf.nextIds())));
    expect(getValue(b, "Result-Code")).toBe(5012);
  });

  it("a duplicate (same Origin-Host and End-to-End id, T flag) gets the cached answer without calling the handler again", async () => {
    const { hss, scscf } = await open();
    let calls = 0;
    hss.handle(CX_APP, MAR, (req) => {
      calls++;
      return maa(req, 2001 + calls - 1);
    });
    const ids = scscf.nextIds();
    const first = await answer(scscf.request(mar(ids)));
    const again = await answer(scscf.request({ ...mar(ids), flags: CMD_FLAG.R | CMD_FLAG.P | CMD_FLAG.T }));
    expect(calls).toBe(1);
    expect(getValue(again, "Result-Code")).toBe(getValue(first, "Result-Code"));
    const fresh = await answer(scscf.request(mar(scscf.nextIds())));
    expect(getValue(fresh, "Result-Code")).toBe(2002);
    expect(calls).toBe(2);
  });

  it("an unknown peer gets CEA 3010 DIAMETER_UNKNOWN_PEER, unless the node accepts unknown peers", async () => {
    for (const acceptUnknownPeers of [false, true]) {
      const { hss, clock, net } = await open({ acceptUnknownPeers });
      const icscf = await DiameterNode.start({
        clock, transport: net, originHost: `icscf.${REALM}`, originRealm: REALM, bindAddress: "127.2.1.55",
        peers: [{ host: HSS, address: A.hssAddress, connect: true }],
      });
      running.push(icscf);
      await flush();
      const ceas = net.written.map((w) => decodeMessage(w.data)).flatMap((r) => (r.ok && r.value.commandCode === 257 && (r.value.flags & CMD_FLAG.R) === 0 ? [r.value] : []));
      const last = ceas.at(-1) as DiameterMessage;
      expect(getValue(last, "Result-Code")).toBe(acceptUnknownPeers ? 2001 : 3010);
      expect(icscf.peerStatus(HSS)?.state).toBe(acceptUnknownPeers ? "I-Open" : "Closed");
      expect(hss.peerHosts.includes(`icscf.${REALM}`)).toBe(acceptUnknownPeers);
      await icscf.stop();
      await flush();
      expect(hss.peerHosts.includes(`icscf.${REALM}`)).toBe(false);
    }
  });

  it("stop sends DPR; the peer's pending requests fail fast, new ones have no route, and it reconnects after Tc", async () => {
    const { hss, scscf, clock, net } = await open();
    hss.handle(CX_APP, MAR, () => new Promise<DiameterMessage>(() => undefined));
    const pending = scscf.request(mar(scscf.nextIds()), { timeoutMs: 60_000 });
    await flush();
    const downs: string[] = [];
    scscf.subscribe((e) => e.type === "peer-state" && downs.push(e.to));
    await hss.stop("REBOOTING");
    await flush();
    const dpr = net.written.map((w) => decodeMessage(w.data)).find((r) => r.ok && r.value.commandCode === 282 && (r.value.flags & CMD_FLAG.R) !== 0);
    expect(dpr?.ok === true && getValue(dpr.value, "Disconnect-Cause")).toBe(0);
    expect(await pending).toMatchObject({ ok: false, error: { kind: "peer-down" } });
    expect(downs).toContain("Closed");
    expect(await scscf.request(mar(scscf.nextIds()))).toMatchObject({ ok: false, error: { kind: "no-route" } });
    const hss2 = await DiameterNode.start({ clock, transport: net, originHost: HSS, originRealm: REALM, bindAddress: A.hssAddress, listenPort: A.port, peers: [{ host: SCSCF, address: A.scscfAddress, connect: false }] });
    running.push(hss2);
    clock.advance(29_999);
    await flush();
    expect(scscf.peerStatus(HSS)?.state).toBe("Closed");
    clock.advance(1);
    await flush();
    expect(scscf.peerStatus(HSS)?.state).toBe("I-Open");
  });

  it("answers an undecodable request with its Result-Code (E bit) and keeps the connection", async () => {
    const { hss, scscf, net } = await open();
    hss.handle(CX_APP, MAR, (req) => maa(req));
    const bytes = Buffer.from(encodeMessage({ ...mar({ hopByHop: 77, endToEnd: 78 }) }));
    bytes[20 + 4] = 0x41; // first AVP: a reserved flag bit → 3009
    const conn = [...net.written].reverse().find((w) => w.from.address === A.scscfAddress);
    expect(conn).toBeDefined();
    // Inject the bytes on scscf1's connection by sending through the node's own stream.
    const pending = scscf.request(mar(scscf.nextIds()));
    (scscf as unknown as { conns: Map<number, { stream?: { sendBytes(b: Uint8Array): void } }> }).conns.forEach((c) => c.stream?.sendBytes(bytes));
    expect(getValue(await answer(pending), "Result-Code")).toBe(2001);
    await flush();
    const err = net.written.map((w) => decodeMessage(w.data)).find((r) => r.ok && r.value.hopByHop === 77);
    expect(err?.ok === true && getValue(err.value, "Result-Code")).toBe(3009);
    expect(err?.ok === true && isError(err.value)).toBe(true);
    expect(scscf.peerStatus(HSS)?.state).toBe("I-Open");
  });

  it("logs one debug line per message in and out, without AVP values", async () => {
    const clock = new FakeClock();
    const net = new FakeNetwork();
    const sink = new PassThrough();
    const lines: string[] = [];
    sink.on("data", (d: Buffer) => lines.push(...d.toString().trim().split("\n")));
    const logger = createLogger({ level: "debug", destination: sink });
    const pair = await startPair({ clock, transport: net, ...A, logger });
    running.push(pair.hss, pair.scscf);
    await flush();
    pair.hss.handle(CX_APP, MAR, (req) => maa(req));
    await answer(pair.scscf.request(mar(pair.scscf.nextIds())));
    await flush();
    const msgs = lines.map((l) => (JSON.parse(l) as { msg: string }).msg);
    for (const m of ["diameter out CER", "diameter in CER", "diameter out CEA", "diameter in CEA", "diameter out MAR", "diameter in MAR", "diameter out MAA", "diameter in MAA"]) {
      expect(msgs.some((x) => x.startsWith(m))).toBe(true);
    }
    expect(lines.join("\n")).not.toContain("a@domain.imsprovider.org");
  });

  it("a realm-routed request pending on a peer that goes down is retransmitted once, with the T flag, to another peer", async () => {
    const clock = new FakeClock();
    const net = new FakeNetwork();
    const answering = new Set<string>();
    const got: string[] = [];
    const hss = (host: string, address: string): Promise<DiameterNode> =>
      DiameterNode.start({ clock, transport: net, originHost: host, originRealm: REALM, bindAddress: address, listenPort: 3868, peers: [{ host: SCSCF, address: A.scscfAddress, connect: false }] }).then((n) => {
        n.handle(CX_APP, MAR, (req) => {
          got.push(host);
          return answering.has(host) ? maa(req, (req.flags & CMD_FLAG.T) !== 0 ? 2002 : 2001) : new Promise<DiameterMessage>(() => undefined);
        });
        return n;
      });
    const hss1 = await hss("hss1.domain.imsprovider.org", "127.2.1.71");
    const hss2 = await hss("hss2.domain.imsprovider.org", "127.2.1.72");
    const scscf = await DiameterNode.start({
      clock, transport: net, originHost: SCSCF, originRealm: REALM, bindAddress: A.scscfAddress,
      peers: [{ host: "hss1.domain.imsprovider.org", address: "127.2.1.71", connect: true }, { host: "hss2.domain.imsprovider.org", address: "127.2.1.72", connect: true }],
    });
    running.push(hss1, hss2, scscf);
    await flush();
    const pending = scscf.request(mar(scscf.nextIds()), { timeoutMs: 60_000 });
    await flush();
    expect(got).toHaveLength(1);
    const [first, other] = got[0] === hss1.identity.originHost ? [hss1, hss2] : [hss2, hss1];
    answering.add(other.identity.originHost);
    await first.stop("BUSY");
    const r = await answer(pending);
    expect(getValue(r, "Result-Code")).toBe(2002); // the other HSS saw the T flag
    expect(getValue(r, "Origin-Host")).toBe(HSS);
    // With a Destination-Host, or forced to a peer, a request is not failed over, even with another peer up.
    const back = await hss(first.identity.originHost, first === hss1 ? "127.2.1.71" : "127.2.1.72");
    running.push(back);
    for (let t = 0; t < 12; t++) {
      clock.advance(10_000); // BUSY: reconnect after 4 × Tc; steps let the watchdogs' DWAs through
      await flush();
    }
    expect(scscf.peerStatus(first.identity.originHost)?.state).toBe("I-Open");
    answering.clear();
    answering.add(first.identity.originHost);
    const forced = scscf.request(mar(scscf.nextIds()), { peer: other.identity.originHost, timeoutMs: 60_000 });
    const byHost = scscf.request(mar(scscf.nextIds(), { destinationHost: other.identity.originHost }), { timeoutMs: 60_000 });
    await flush();
    await other.stop();
    expect(await forced).toMatchObject({ ok: false, error: { kind: "peer-down" } });
    expect(await byHost).toMatchObject({ ok: false, error: { kind: "peer-down" } });
  });

  it("two nodes that both connect to each other end with one connection, chosen by the election", async () => {
    const clock = new FakeClock();
    const net = new FakeNetwork();
    // Hold both connection attempts until both nodes listen, so the two CERs cross.
    let release = (): void => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const transport: StreamTransport = {
      listen: (local, onAccept) => net.listen(local, onAccept),
      connect: async (remote, options) => {
        await gate;
        return net.connect(remote, options);
      },
    };
    const mk = (host: string, me: string, peer: string, peerAddress: string): Promise<DiameterNode> =>
      DiameterNode.start({ clock, transport, originHost: host, originRealm: REALM, bindAddress: me, listenPort: 3868, peers: [{ host: peer, address: peerAddress, connect: true }] });
    const a = await mk(HSS, "127.2.1.81", SCSCF, "127.2.1.82");
    const b = await mk(SCSCF, "127.2.1.82", HSS, "127.2.1.81");
    running.push(a, b);
    release();
    await flush(20);
    const cers = net.written.map((w) => decodeMessage(w.data)).filter((r) => r.ok && r.value.commandCode === 257 && (r.value.flags & CMD_FLAG.R) !== 0);
    expect(cers).toHaveLength(2);
    const sa = a.peerStatus(SCSCF)?.state;
    const sb = b.peerStatus(HSS)?.state;
    // "scscf1…" > "hss…": scscf1 wins and keeps the connection hss opened (R-Open); hss has it as I-Open.
    expect([sa, sb]).toEqual(["I-Open", "R-Open"]);
    a.handle(CX_APP, MAR, (req) => maa(req));
    const r = await answer(b.request(mar(b.nextIds())));
    expect(getValue(r, "Result-Code")).toBe(2001);
  });
});

