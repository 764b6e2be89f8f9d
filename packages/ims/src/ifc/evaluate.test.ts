import { describe, expect, it } from "vitest";
import { type InitialFilterCriteria, PROFILE_PART, SESSION_CASES, type ServicePointTrigger } from "../user-data/types.js";
import { type IfcRequest, matchTriggerPoint, matchingIfcs } from "./evaluate.js";

const invite: IfcRequest = {
  method: "INVITE",
  requestUri: "sip:b@domain.imsprovider.org",
  headers: (name) => (name.toLowerCase() === "accept-contact" ? ['*;+g.3gpp.icsi-ref="urn%3Aurn-7%3A3gpp-service.ims.icsi.mmtel"'] : []),
  sdpLines: ["v=0", "m=audio 4000 RTP/AVP 8", "m=video 4002 RTP/AVP 96"],
};

const spt = (condition: ServicePointTrigger["condition"], group: number[], negated = false): ServicePointTrigger => ({
  conditionNegated: negated,
  group,
  condition,
});

describe("iFC trigger points", () => {
  it("matches each SPT kind, negation included", () => {
    const one = (s: ServicePointTrigger) => matchTriggerPoint({ conditionTypeCnf: true, spt: [s] }, invite, SESSION_CASES.ORIGINATING_SESSION);
    expect(one(spt({ kind: "method", method: "INVITE" }, [0]))).toBe(true);
    expect(one(spt({ kind: "method", method: "MESSAGE" }, [0]))).toBe(false);
    expect(one(spt({ kind: "method", method: "MESSAGE" }, [0], true))).toBe(true);
    expect(one(spt({ kind: "requestUri", requestUri: "b@domain" }, [0]))).toBe(true);
    expect(one(spt({ kind: "sipHeader", header: "Accept-Contact", content: "mmtel" }, [0]))).toBe(true);
    expect(one(spt({ kind: "sipHeader", header: "P-Asserted-Service" }, [0]))).toBe(false);
    expect(one(spt({ kind: "sessionCase", sessionCase: SESSION_CASES.ORIGINATING_SESSION }, [0]))).toBe(true);
    expect(one(spt({ kind: "sessionCase", sessionCase: SESSION_CASES.TERMINATING_REGISTERED }, [0]))).toBe(false);
    expect(one(spt({ kind: "sessionDescription", line: "m", content: "^video" }, [0]))).toBe(true);
    expect(one(spt({ kind: "sessionDescription", line: "m", content: "^application" }, [0]))).toBe(false);
    expect(one(spt({ kind: "requestUri", requestUri: "([unclosed" }, [0]))).toBe(false);
  });

  it("CNF is an AND of ORed groups, DNF an OR of ANDed groups", () => {
    const s = [
      spt({ kind: "method", method: "INVITE" }, [1]),
      spt({ kind: "method", method: "MESSAGE" }, [1]),
      spt({ kind: "sessionCase", sessionCase: SESSION_CASES.TERMINATING_REGISTERED }, [2]),
    ];
    const oc = SESSION_CASES.ORIGINATING_SESSION;
    expect(matchTriggerPoint({ conditionTypeCnf: true, spt: s }, invite, oc)).toBe(false);
    expect(matchTriggerPoint({ conditionTypeCnf: true, spt: s }, invite, SESSION_CASES.TERMINATING_REGISTERED)).toBe(true);
    expect(matchTriggerPoint({ conditionTypeCnf: false, spt: s }, invite, oc)).toBe(false);
    const dnf = [spt({ kind: "method", method: "INVITE" }, [1]), spt({ kind: "sessionCase", sessionCase: oc }, [1])];
    expect(matchTriggerPoint({ conditionTypeCnf: false, spt: dnf }, invite, oc)).toBe(true);
  });

  it("orders matching iFCs by priority and honours the profile part", () => {
    const as = (n: string) => ({ serverName: `sip:${n}@as.test` });
    const ifcs: InitialFilterCriteria[] = [
      { priority: 20, applicationServer: as("late") },
      { priority: 10, applicationServer: as("early"), triggerPoint: { conditionTypeCnf: true, spt: [spt({ kind: "method", method: "INVITE" }, [0])] } },
      { priority: 5, applicationServer: as("unreg"), profilePartIndicator: PROFILE_PART.UNREGISTERED },
      { priority: 1, applicationServer: as("msg"), triggerPoint: { conditionTypeCnf: true, spt: [spt({ kind: "method", method: "MESSAGE" }, [0])] } },
    ];
    const names = matchingIfcs(ifcs, invite, SESSION_CASES.ORIGINATING_SESSION, PROFILE_PART.REGISTERED).map((f) => f.applicationServer.serverName);
    expect(names).toEqual(["sip:early@as.test", "sip:late@as.test"]);
  });
});
