/**
 * Registration across the running nodes (DESIGN.md "Registration"): a scripted UE registers through
 * P-CSCF → I-CSCF → S-CSCF with the HSS behind Cx and the lab's DNS between them; every hop is
 * checked on the wire.
 */
import { CX_APPLICATION_ID, SERVER_ASSIGNMENT_TYPE } from "@ims/ims";
import { getValue, type DiameterMessage } from "@ims/diameter";
import { type SipMessage, getHeader, getHeaders } from "@ims/sip";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type InProcessLab, startInProcessLab, testLabConfig } from "../support/in-process-lab.js";
import { ScriptedUe, type UeOptions } from "../support/scripted-ue.js";
import { diameterHops, type Hop, sipHops } from "../support/wire.js";

const NET = 41;
let lab: InProcessLab;
let ueAddress = 100;

beforeAll(async () => {
  lab = await startInProcessLab(testLabConfig(NET));
});
afterAll(async () => lab?.stop());

async function ue(user: string, password: string, extra: Partial<UeOptions> = {}): Promise<ScriptedUe> {
  const p = lab.config.pcscf[0]!;
  return ScriptedUe.start({
    address: `127.5.${NET}.${ueAddress++}`,
    port: 5566,
    domain: lab.config.domain,
    user,
    password,
    proxy: { address: p.address, port: p.port },
    ...extra,
  });
}

const at = (addr: { address: string; port: number }): string => `${addr.address}:${addr.port}`;

/** The SIP messages of one Call-ID between two nodes, in order. */
function hops(callId: string, from: string, to: string): SipMessage[] {
  return sipHops(lab.wire)
    .filter((h) => h.from.startsWith(from) && h.to.startsWith(to) && getHeader(h.message, "call-id") === callId)
    .map((h) => h.message);
}

function cx(command: number, publicIdentity: string): Hop<DiameterMessage>[] {
  return diameterHops(lab.wire, lab.config.hss.diameterPort).filter(
    (h) =>
      h.message.commandCode === command &&
      h.message.applicationId === CX_APPLICATION_ID &&
      (h.message.flags & 0x80) !== 0 &&
      (getValue(h.message, "Public-Identity") === publicIdentity ||
        (getValue(h.message, "User-Name") ?? "").startsWith(publicIdentity.replace(/^sip:/, ""))),
  );
}

describe("registration through P-CSCF, I-CSCF, S-CSCF", () => {
  it("SIP Digest: 401 then 200 with Path, Service-Route and P-Associated-URI; UAR, MAR, UAR, SAR on Cx", async () => {
    const a = await ue("a", "apass");
    const out = await a.register();
    const bye = await a.register({ expires: 0 });
    await a.stop();
    expect(out.finals.map((r) => r.status)).toEqual([401, 200]);
    expect(bye.final.status).toBe(200);
    const callId = getHeader(out.final, "call-id")!;
    const p = at(lab.config.pcscf[0]!);
    const i = at(lab.config.icscf);
    const s = at(lab.config.scscf[0]!);

    const toI = hops(callId, p.split(":")[0]!, i).filter((m) => m.kind === "request");
    expect(toI).toHaveLength(4);
    for (const m of toI) {
      expect(getHeaders(m, "path")[0]).toMatch(/^<sip:term@pcscf1\.domain\.imsprovider\.org:5060;lr>$/);
      expect(getHeader(m, "p-visited-network-id")).toBeDefined();
      expect(getHeader(m, "p-charging-vector")).toMatch(/icid-value=/);
      expect(getHeader(m, "supported")).toMatch(/path/);
    }
    const toS = hops(callId, i.split(":")[0]!, s).filter((m) => m.kind === "request");
    expect(toS).toHaveLength(4);

    const ok = out.final;
    expect(getHeaders(ok, "service-route")[0]).toMatch(/^<sip:orig@scscf1\.domain\.imsprovider\.org:6060;lr>$/);
    expect(getHeaders(ok, "p-associated-uri").join(",")).toContain("sip:a@domain.imsprovider.org");
    expect(getHeaders(ok, "path")[0]).toMatch(/term@pcscf1/);
    expect(getHeader(ok, "contact")).toContain(a.contact.slice(1, -1));

    const impu = "sip:a@domain.imsprovider.org";
    const uar = cx(300, impu);
    expect(uar.map((h) => getValue(h.message, "User-Authorization-Type"))).toEqual([0, 0, 1, 1]);
    const mar = cx(303, impu);
    expect(mar).toHaveLength(2);
    const sar = cx(301, impu);
    expect(sar.map((h) => getValue(h.message, "Server-Assignment-Type"))).toEqual([
      SERVER_ASSIGNMENT_TYPE.REGISTRATION,
      SERVER_ASSIGNMENT_TYPE.USER_DEREGISTRATION,
    ]);
    expect(getValue(sar[0]!.message, "Server-Name")).toBe("sip:scscf1.domain.imsprovider.org:6060");
  });

  it("AKAv1-MD5: the P-CSCF keeps ck/ik from the UE; re-registration and de-registration", async () => {
    const a = await ue("a", "apass");
    const first = await a.register({ algorithm: "AKAv1-MD5" });
    expect(first.finals.map((r) => r.status)).toEqual([401, 200]);
    const challenge = first.challenges[0]!;
    expect(challenge.algorithm).toBe("AKAv1-MD5");
    expect(challenge.ck).toBeUndefined();
    expect(challenge.ik).toBeUndefined();
    const callId = getHeader(first.final, "call-id")!;
    const fromS = hops(callId, lab.config.scscf[0]!.address, "").filter((m) => m.kind === "response" && m.status === 401);
    expect(fromS[0] && getHeader(fromS[0], "www-authenticate")).toMatch(/ck="[0-9a-f]{32}"/);

    const again = await a.register({ algorithm: "AKAv1-MD5" });
    expect(again.final.status).toBe(200);
    const bye = await a.register({ algorithm: "AKAv1-MD5", expires: 0 });
    await a.stop();
    expect(bye.final.status).toBe(200);
    const types = cx(301, "sip:a@domain.imsprovider.org").map((h) => getValue(h.message, "Server-Assignment-Type"));
    expect(types).toContain(SERVER_ASSIGNMENT_TYPE.RE_REGISTRATION);
    expect(types.at(-1)).toBe(SERVER_ASSIGNMENT_TYPE.USER_DEREGISTRATION);
  });

  it("a REGISTER without Authorization (MicroSIP) is served", async () => {
    const b = await ue("b", "bpass");
    const out = await b.register({ firstAuthorization: "none" });
    await b.stop();
    expect(out.finals.map((r) => r.status)).toEqual([401, 200]);
  });

  it("a wrong password gets 403 and SAR AUTHENTICATION_FAILURE", async () => {
    const b = await ue("b", "bpass");
    const out = await b.register({ password: "not-bpass" });
    await b.stop();
    expect(out.final.status).toBe(403);
    const types = cx(301, "sip:b@domain.imsprovider.org").map((h) => getValue(h.message, "Server-Assignment-Type"));
    expect(types).toContain(SERVER_ASSIGNMENT_TYPE.AUTHENTICATION_FAILURE);
  });

  it("an unknown user gets 403 from the I-CSCF with a reason that says so", async () => {
    const z = await ue("nobody", "x");
    const out = await z.register();
    await z.stop();
    expect(out.final.status).toBe(403);
    expect(out.final.reason).toMatch(/unknown/i);
  });

  it("AKA resync: a UE whose SQN is ahead answers AUTS, gets a fresh challenge and registers", async () => {
    const { MemoryUsimSqnStore } = await import("@ims/aka");
    const ahead = new MemoryUsimSqnStore(undefined, 0x0000_4000_0000);
    const c = await ue("c", "cpass", {
      aka: { k: "30313233343536373839616263646566", operator: { op: "4142434445464748494a4b4c4d4e4f50" }, sqnStore: ahead },
    });
    const out = await c.register({ firstAuthorization: "none" });
    await c.stop();
    expect(out.finals.map((r) => r.status)).toEqual([401, 401, 200]);
    const marAuth = cx(303, "sip:c@domain.imsprovider.org")
      .map((h) => getValue(h.message, "SIP-Auth-Data-Item"))
      .filter((item) => item !== undefined && getValue(item, "SIP-Authorization") !== undefined);
    expect(marAuth).toHaveLength(1);
  });

  it("two UEs register at once", async () => {
    const [a, b] = await Promise.all([ue("a", "apass"), ue("b", "bpass")]);
    const [ra, rb] = await Promise.all([a.register(), b.register()]);
    await Promise.all([a.stop(), b.stop()]);
    expect([ra.final.status, rb.final.status]).toEqual([200, 200]);
  });
});
