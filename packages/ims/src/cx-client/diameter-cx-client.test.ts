import { type DiameterMessage, DiameterNode, FakeNetwork as DiameterFakeNetwork, type MessageIds, encodeMessage } from "@ims/diameter";
import { FakeClock } from "@ims/runtime";
import { afterEach, describe, expect, it } from "vitest";
import { CX_APPLICATION_ID, CX_EXPERIMENTAL_RESULT, SERVER_ASSIGNMENT_TYPE, USER_AUTHORIZATION_TYPE } from "../cx/codes.js";
import { experimentalResult } from "../cx/common.js";
import { UAR_COMMAND, buildUaa, buildUar, readUar } from "../cx/uar-uaa.js";
import { SAR_COMMAND, buildSaa, buildSar, readSar } from "../cx/sar-saa.js";
import { buildLir } from "../cx/lir-lia.js";
import { buildMar } from "../cx/mar-maa.js";
import { DiameterCxClient } from "./diameter-cx-client.js";

const REALM = "domain.imsprovider.org";
const HSS = `hss.${REALM}`;
const ICSCF = `icscf.${REALM}`;

const flush = async (rounds = 10): Promise<void> => {
  for (let i = 0; i < rounds; i++) await new Promise((r) => setImmediate(r));
};

async function pair(clock: FakeClock) {
  const transport = new DiameterFakeNetwork();
  const hss = await DiameterNode.start({
    originHost: HSS,
    originRealm: REALM,
    bindAddress: "127.5.7.77",
    listenPort: 3868,
    peers: [{ host: ICSCF, address: "127.5.7.55", connect: false }],
    clock,
    transport,
  });
  const icscf = await DiameterNode.start({
    originHost: ICSCF,
    originRealm: REALM,
    bindAddress: "127.5.7.55",
    peers: [{ host: HSS, address: "127.5.7.77", port: 3868, connect: true }],
    clock,
    transport,
    requestTimeoutMs: 1_000,
  });
  await flush();
  return { hss, icscf };
}

let nodes: DiameterNode[] = [];
afterEach(async () => {
  await Promise.all(nodes.map((n) => n.stop()));
  nodes = [];
});

describe("DiameterCxClient", () => {
  it("sends a UAR with our identity and a fresh Session-Id, and reads the UAA", async () => {
    const clock = new FakeClock();
    const { hss, icscf } = await pair(clock);
    nodes = [icscf, hss];
    const seen: string[] = [];
    hss.handle(CX_APPLICATION_ID, UAR_COMMAND, (req) => {
      const uar = readUar(req);
      if (!uar.ok) throw new Error(uar.error.reason);
      seen.push(`${uar.value.sessionId}|${uar.value.originHost}|${uar.value.publicIdentity}|${uar.value.userAuthorizationType}`);
      return buildUaa(req, {
        originHost: HSS,
        originRealm: REALM,
        result: experimentalResult(CX_EXPERIMENTAL_RESULT.FIRST_REGISTRATION),
        serverCapabilities: { mandatory: [1], optional: [], serverNames: [] },
      });
    });
    const cx = new DiameterCxClient({ node: icscf, destinationRealm: REALM });
    const fields = {
      userName: "a@domain.imsprovider.org",
      publicIdentity: "sip:a@domain.imsprovider.org",
      visitedNetworkIdentifier: REALM,
      userAuthorizationType: USER_AUTHORIZATION_TYPE.REGISTRATION,
    };
    const first = await cx.uar(fields);
    const second = await cx.uar(fields);
    expect(first.ok && first.value.result).toEqual({ kind: "experimental", vendorId: 10415, code: 2001 });
    expect(first.ok && first.value.serverCapabilities?.mandatory).toEqual([1]);
    expect(second.ok).toBe(true);
    expect(seen).toHaveLength(2);
    const [s1, s2] = seen.map((s) => s.split("|"));
    expect(s1?.[0]).toMatch(new RegExp(`^${ICSCF};\\d+;1$`));
    expect(s2?.[0]).not.toBe(s1?.[0]);
    expect(s1?.slice(1)).toEqual([ICSCF, "sip:a@domain.imsprovider.org", "0"]);
  });

  it("gives cx-timeout when the HSS does not answer and cx-unreachable with no open peer", async () => {
    const clock = new FakeClock();
    const { hss, icscf } = await pair(clock);
    nodes = [icscf, hss];
    hss.handle(CX_APPLICATION_ID, SAR_COMMAND, () => new Promise(() => undefined));
    const cx = new DiameterCxClient({ node: icscf, destinationRealm: REALM });
    const pending = cx.sar({
      publicIdentities: ["sip:a@domain.imsprovider.org"],
      serverName: "sip:scscf1.domain.imsprovider.org:6060",
      serverAssignmentType: SERVER_ASSIGNMENT_TYPE.REGISTRATION,
      userDataAlreadyAvailable: false,
    });
    await flush();
    clock.advance(1_001);
    const r = await pending;
    expect(!r.ok && r.error.tag).toBe("cx-timeout");

    const lonely = new DiameterCxClient({ node: icscf, destinationRealm: "other.realm" });
    const u = await lonely.lir({ publicIdentity: "sip:b@domain.imsprovider.org" });
    expect(!u.ok && u.error.tag).toBe("cx-unreachable");
  });

  it("gives cx-malformed when the answer misses a mandatory AVP", async () => {
    const clock = new FakeClock();
    const { hss, icscf } = await pair(clock);
    nodes = [icscf, hss];
    hss.handle(CX_APPLICATION_ID, SAR_COMMAND, (req) => {
      const sar = readSar(req);
      if (!sar.ok) throw new Error(sar.error.reason);
      const saa = buildSaa(req, { originHost: HSS, originRealm: REALM, result: experimentalResult(2001) });
      return { ...saa, avps: saa.avps.filter((a) => a.code !== 277) }; // drop Auth-Session-State
    });
    const cx = new DiameterCxClient({ node: icscf, destinationRealm: REALM });
    const r = await cx.sar({
      publicIdentities: ["sip:a@domain.imsprovider.org"],
      serverName: "sip:scscf1.domain.imsprovider.org:6060",
      serverAssignmentType: SERVER_ASSIGNMENT_TYPE.REGISTRATION,
      userDataAlreadyAvailable: false,
    });
    expect(!r.ok && r.error.tag).toBe("cx-malformed");
  });
});

describe("DiameterCxClient requests", () => {
  /** A node that records what it is asked to send and never answers. */
  function recordingNode(timeoutMs?: number) {
    const sent: { message: DiameterMessage; options: unknown }[] = [];
    let id = 0;
    const node = {
      identity: { originHost: ICSCF, originRealm: REALM },
      nextIds: () => ({ hopByHop: ++id, endToEnd: 1000 + id }),
      request: (message: DiameterMessage, options?: unknown) => {
        sent.push({ message, options });
        return new Promise(() => undefined);
      },
    } as unknown as DiameterNode;
    const cx = new DiameterCxClient({ node, destinationRealm: REALM, ...(timeoutMs === undefined ? {} : { timeoutMs }) });
    return { cx, sent };
  }
  const head = (sessionId: string, destinationHost?: string) => ({
    sessionId,
    originHost: ICSCF,
    originRealm: REALM,
    destinationRealm: REALM,
    ...(destinationHost === undefined ? {} : { destinationHost }),
  });
  const sessionOf = (m: DiameterMessage) => Buffer.from(m.avps[0]?.data ?? []).toString("utf8");

  it("sends each command byte for byte as its builder does with the head fields, Destination-Host included", () => {
    for (const destinationHost of [undefined, HSS]) {
      let id = 0;
      const node = {
        identity: { originHost: ICSCF, originRealm: REALM },
        nextIds: () => ({ hopByHop: ++id, endToEnd: 1000 + id }),
        request: (message: DiameterMessage) => {
          sent.push(message);
          return new Promise(() => undefined);
        },
      } as unknown as DiameterNode;
      const sent: DiameterMessage[] = [];
      const cx = new DiameterCxClient({ node, destinationRealm: REALM, ...(destinationHost === undefined ? {} : { destinationHost }) });
      const uar = { userName: "a@x", publicIdentity: "sip:a@x", visitedNetworkIdentifier: REALM, userAuthorizationType: USER_AUTHORIZATION_TYPE.REGISTRATION, uarFlags: 1 };
      const mar = { userName: "a@x", publicIdentity: "sip:a@x", serverName: "sip:s", numberAuthItems: 1, authData: { scheme: "Digest-AKAv1-MD5", authorization: Buffer.alloc(30, 7) } };
      const sar = {
        userName: "a@x",
        publicIdentities: ["sip:a@x", "tel:+1"],
        wildcardedPublicIdentity: "sip:*@x",
        serverName: "sip:s",
        serverAssignmentType: SERVER_ASSIGNMENT_TYPE.RE_REGISTRATION,
        userDataAlreadyAvailable: true,
        multipleRegistrationIndication: 1,
      };
      const sarBare = { publicIdentities: ["sip:a@x"], serverName: "sip:s", serverAssignmentType: SERVER_ASSIGNMENT_TYPE.REGISTRATION, userDataAlreadyAvailable: false };
      const lir = { publicIdentity: "sip:b@x", originatingRequest: true, userAuthorizationType: USER_AUTHORIZATION_TYPE.REGISTRATION };
      void cx.uar(uar);
      void cx.mar(mar);
      void cx.sar(sar);
      void cx.sar(sarBare);
      void cx.lir(lir);
      void cx.lir({ publicIdentity: "sip:b@x" });
      const built = [
        (s: string, ids: MessageIds) => buildUar({ ...head(s, destinationHost), ...uar }, ids),
        (s: string, ids: MessageIds) => buildMar({ ...head(s, destinationHost), ...mar }, ids),
        (s: string, ids: MessageIds) => buildSar({ ...head(s, destinationHost), ...sar }, ids),
        (s: string, ids: MessageIds) => buildSar({ ...head(s, destinationHost), ...sarBare }, ids),
        (s: string, ids: MessageIds) => buildLir({ ...head(s, destinationHost), ...lir }, ids),
        (s: string, ids: MessageIds) => buildLir({ ...head(s, destinationHost), publicIdentity: "sip:b@x" }, ids),
      ];
      expect(sent).toHaveLength(built.length);
      sent.forEach((m, i) => {
        const expected = built[i]?.(sessionOf(m), { hopByHop: m.hopByHop, endToEnd: m.endToEnd });
        expect(encodeMessage(m).equals(encodeMessage(expected as DiameterMessage))).toBe(true);
      });
      expect(sent.map(sessionOf)).toEqual(sent.map((_, i) => expect.stringMatching(new RegExp(`^${ICSCF};\\d+;${i + 1}$`))));
    }
  });

  it("passes the timeout when configured and none otherwise; a request that cannot be built rejects", async () => {
    const plain = recordingNode();
    void plain.cx.lir({ publicIdentity: "sip:b@x" });
    expect(plain.sent[0]?.options).toBeUndefined();
    const timed = recordingNode(250);
    void timed.cx.lir({ publicIdentity: "sip:b@x" });
    expect(timed.sent[0]?.options).toEqual({ timeoutMs: 250 });
    // SIP-Number-Auth-Items is Unsigned32: -1 cannot be encoded
    const bad = { userName: "a@x", publicIdentity: "sip:a@x", serverName: "sip:s", numberAuthItems: -1, authData: { scheme: "Unknown" } };
    await expect(timed.cx.mar(bad)).rejects.toThrow();
    expect(timed.sent).toHaveLength(1);
  });
});
