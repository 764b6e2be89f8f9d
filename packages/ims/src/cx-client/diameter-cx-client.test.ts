import { DiameterNode, FakeNetwork as DiameterFakeNetwork } from "@ims/diameter";
import { FakeClock } from "@ims/runtime";
import { afterEach, describe, expect, it } from "vitest";
import { CX_APPLICATION_ID, CX_EXPERIMENTAL_RESULT, SERVER_ASSIGNMENT_TYPE, USER_AUTHORIZATION_TYPE } from "../cx/codes.js";
import { experimentalResult } from "../cx/common.js";
import { UAR_COMMAND, buildUaa, readUar } from "../cx/uar-uaa.js";
import { SAR_COMMAND, buildSaa, readSar } from "../cx/sar-saa.js";
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
