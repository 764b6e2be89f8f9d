import { type CxClient, type CxError, type CxResult, cxSuccess, experimentalResult, resultCode } from "@ims/ims";
import { type Result, FakeClock, err, ok, silentLogger } from "@ims/runtime";
import { FakeNetwork, type RequestContext, SipStack, buildRequest, getHeaders, settle } from "@ims/sip";
import { describe, expect, it } from "vitest";
import { attachIcscf } from "./icscf.js";

const P = "127.5.9.33";
const I = "127.5.9.55";
const S1 = "127.5.9.11";
const S2 = "127.5.9.12";
const S1_URI = `sip:${S1}:6060`;
const S2_URI = `sip:${S2}:6060`;

type Uaa = { result: CxResult; serverName?: string; serverCapabilities?: { mandatory: number[]; optional: number[]; serverNames: string[] } };

function setup(answer: () => Result<Uaa, CxError>, lia: () => Result<Uaa, CxError> = answer, trustedAddresses?: string[]) {
  const clock = new FakeClock();
  const net = new FakeNetwork();
  const stack = (address: string, port: number) => new SipStack({ transport: net.transport(address, port), clock });
  const p = stack(P, 5060);
  const i = stack(I, 4060);
  const s1 = stack(S1, 6060);
  const s2 = stack(S2, 6060);
  const uars: Parameters<CxClient["uar"]>[0][] = [];
  const lirs: Parameters<CxClient["lir"]>[0][] = [];
  const base = { sessionId: "s", originHost: "hss", originRealm: "r" };
  const cx: Pick<CxClient, "uar" | "lir"> = {
    uar: (r) => {
      uars.push(r);
      const a = answer();
      return Promise.resolve(a.ok ? ok({ ...base, ...a.value }) : a);
    },
    lir: (r) => {
      lirs.push(r);
      const a = lia();
      return Promise.resolve(a.ok ? ok({ ...base, ...a.value }) : a);
    },
  };
  attachIcscf({
    stack: i,
    cx,
    domain: "domain.imsprovider.org",
    scscfs: [
      { uri: S1_URI, capabilities: [1] },
      { uri: S2_URI, capabilities: [1, 2] },
    ],
    log: silentLogger(),
    local: { address: I, port: 4060 },
    hosts: ["icscf.domain.imsprovider.org"],
    ...(trustedAddresses === undefined ? {} : { trustedAddresses }),
  });
  const seen: Record<string, RequestContext[]> = { [S1]: [], [S2]: [] };
  s1.onRequest((ctx) => void seen[S1]!.push(ctx));
  s2.onRequest((ctx) => void seen[S2]!.push(ctx));
  const register = (extra: [string, string][] = [], contact = "<sip:a@127.0.0.111:5566>;expires=600") =>
    p.request(
      buildRequest({
        method: "REGISTER",
        uri: "sip:domain.imsprovider.org",
        from: "<sip:a@domain.imsprovider.org>",
        to: "<sip:a@domain.imsprovider.org>",
        contact,
        routes: [`<sip:${I}:4060;lr>`],
        headers: [["P-Visited-Network-ID", '"visited.net"'], ...extra],
      }),
    );
  const run = async (ms = 0) => {
    await settle();
    if (ms > 0) clock.advance(ms);
    await settle();
  };
  return { uars, lirs, seen, register, run, p, net };
}

describe("I-CSCF registration", () => {
  it("sends a UAR with the REGISTER's identities and forwards to the S-CSCF the HSS names", async () => {
    const t = setup(() => ok({ result: experimentalResult(2002), serverName: S2_URI }));
    const out = t.register();
    await t.run();
    expect(t.uars[0]).toMatchObject({
      userName: "a@domain.imsprovider.org",
      publicIdentity: "sip:a@domain.imsprovider.org",
      visitedNetworkIdentifier: "visited.net",
      userAuthorizationType: 0,
    });
    expect(t.seen[S2]).toHaveLength(1);
    const atS = t.seen[S2]![0]!;
    expect(atS.request.uri).toBe("sip:domain.imsprovider.org");
    expect(getHeaders(atS.request, "record-route")).toEqual([]);
    atS.respond(401);
    expect((await out.final).status).toBe(401);
  });

  it("chooses by Server-Capabilities on a first registration", async () => {
    const t = setup(() => ok({ result: experimentalResult(2001), serverCapabilities: { mandatory: [1], optional: [2], serverNames: [] } }));
    t.register();
    await t.run();
    expect(t.seen[S2]).toHaveLength(1);
    expect(t.seen[S1]).toHaveLength(0);
  });

  it("fails over to the next S-CSCF when the first does not answer, not after a 401", async () => {
    const t = setup(() => ok({ result: experimentalResult(2002), serverName: S1_URI }));
    t.net.filter = (r) => r.to.address !== S1;
    const out = t.register();
    await t.run();
    await t.run(5_000);
    expect(t.seen[S2]).toHaveLength(1);
    t.seen[S2]![0]!.respond(200);
    expect((await out.final).status).toBe(200);
  });

  it("asks DE_REGISTRATION for Expires 0", async () => {
    const t = setup(() => ok({ result: experimentalResult(2002), serverName: S1_URI }));
    t.register([["Expires", "0"]], "<sip:a@127.0.0.111:5566>");
    await t.run();
    expect(t.uars[0]?.userAuthorizationType).toBe(1);
  });

  it.each([
    [experimentalResult(5001), 403, /user unknown/],
    [experimentalResult(5002), 403, /identities do not match/],
    [experimentalResult(5004), 403, /roaming not allowed/],
    [resultCode(5003), 403, /not authorized/],
  ])("maps a UAA %j to %i with a reason that says why", async (result, status, reason) => {
    const t = setup(() => ok({ result }));
    const res = await t.register().final;
    expect(res.status).toBe(status);
    expect(res.reason).toMatch(reason);
    expect(t.seen[S1]).toHaveLength(0);
  });

  it("answers 480 when the HSS cannot be reached and 600 when no S-CSCF qualifies", async () => {
    const down = setup(() => err({ tag: "cx-unreachable", reason: "no open peer" }));
    const r1 = await down.register().final;
    expect([r1.status, r1.reason]).toEqual([480, "Temporarily Unavailable - HSS not reachable over Cx"]);
    const none = setup(() => ok({ result: cxSuccess, serverCapabilities: { mandatory: [9], optional: [], serverNames: [] } }));
    expect((await none.register().final).status).toBe(600);
  });

  it("answers a REGISTER whose To is not a SIP URI with 400 and sends no UAR", async () => {
    const t = setup(() => ok({ result: experimentalResult(2002), serverName: S1_URI }));
    const out = t.p.request(
      buildRequest({ method: "REGISTER", uri: "sip:domain.imsprovider.org", from: "<sip:a@x>", to: "<mailto:a@x>", routes: [`<sip:${I}:4060;lr>`] }),
    );
    const res = await out.final;
    expect(res.status).toBe(400);
    expect(t.uars).toHaveLength(0);
  });
});

describe("I-CSCF terminating requests", () => {
  const invite = (t: ReturnType<typeof setup>) =>
    t.p.request(
      buildRequest({
        method: "INVITE",
        uri: "sip:b@domain.imsprovider.org",
        from: "<sip:a@domain.imsprovider.org>",
        to: "<sip:b@domain.imsprovider.org>",
        contact: "<sip:a@127.0.0.111:5566>",
        routes: [`<sip:${I}:4060;lr>`],
      }),
    );

  it("sends a LIR for the Request-URI and forwards to the named S-CSCF", async () => {
    const t = setup(() => ok({ result: cxSuccess, serverName: S1_URI }));
    invite(t);
    await t.run();
    expect(t.lirs[0]).toEqual({ publicIdentity: "sip:b@domain.imsprovider.org" });
    expect(t.seen[S1]).toHaveLength(1);
    expect(getHeaders(t.seen[S1]![0]!.request, "route")).toEqual([]);
  });

  it("answers 404 for an unknown user and 480 for one not registered", async () => {
    const unknown = setup(() => ok({ result: experimentalResult(5001) }));
    expect((await invite(unknown).final).status).toBe(404);
    const unreg = setup(() => ok({ result: experimentalResult(5003) }));
    expect((await invite(unreg).final).status).toBe(480);
  });

  it("removes a P-Asserted-Identity that comes from outside the trust domain, keeps a trusted one", async () => {
    const withPai = (t: ReturnType<typeof setup>) =>
      t.p.request(
        buildRequest({
          method: "MESSAGE",
          uri: "sip:b@domain.imsprovider.org",
          from: "<sip:a@domain.imsprovider.org>",
          to: "<sip:b@domain.imsprovider.org>",
          routes: [`<sip:${I}:4060;lr>`],
          headers: [["P-Asserted-Identity", "<sip:a@domain.imsprovider.org>"]],
        }),
      );
    const untrusted = setup(() => ok({ result: cxSuccess, serverName: S1_URI }), undefined, [S1]);
    withPai(untrusted);
    await untrusted.run();
    expect(getHeaders(untrusted.seen[S1]![0]!.request, "p-asserted-identity")).toEqual([]);
    const trusted = setup(() => ok({ result: cxSuccess, serverName: S1_URI }), undefined, [P]);
    withPai(trusted);
    await trusted.run();
    expect(getHeaders(trusted.seen[S1]![0]!.request, "p-asserted-identity")).toEqual(["<sip:a@domain.imsprovider.org>"]);
  });
});
