/**
 * Issue "IMS registration end to end", point 6: SIPp registers through the running lab (every node
 * its own process, started by LabSupervisor with a capture) with SIP Digest and Digest-AKAv1-MD5;
 * then the capture has no malformed packet and shows the registration crossing
 * P-CSCF → I-CSCF → S-CSCF with the Diameter UAR/MAR/SAR.
 */
import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requireTool } from "@ims/runtime";
import { type RunningLab, labBuildComplete, startLab } from "./lab-fixture.js";
import { SIPP_AKA_KEYS, akaUsersCsv, explain, receivedMessages, runSipp, runSippAka } from "./sipp.js";

const TEMPLATE = "lab.interop.json";
const DOMAIN = "domain.imsprovider.org";
const P = "127.5.2.33";
const I = "127.5.2.55";
const S = "127.5.2.11";
const HSS = "127.5.2.77";
const UE_A = { address: "127.5.2.111", port: 5566 };
const UE_B = { address: "127.5.2.112", port: 5568 };
const UE_C = { address: "127.5.2.222", port: 5577 };
/** Cx command codes (TS 29.229 §6.1): the same code on request and answer. */
const CX = { UAR: "300", SAR: "301", MAR: "303" } as const;
/** Server-Assignment-Type (TS 29.229 §6.3.15). */
const SAT = { REGISTRATION: "1", USER_DEREGISTRATION: "5" } as const;

describe.skipIf(!requireTool("sipp") || !labBuildComplete(TEMPLATE))("SIPp registers through the lab (P-CSCF → I-CSCF → S-CSCF, HSS)", () => {
  let running: RunningLab | undefined;

  beforeAll(async () => {
    running = await startLab(TEMPLATE, { capture: true });
  }, 30_000);
  afterAll(async () => {
    await running?.lab.stop();
  });

  it("SIP Digest (MD5), user a: 401 then 200 with Service-Route and P-Associated-URI", async () => {
    const o = await runSipp({ remote: `${P}:5060`, scenario: "register-md5.xml", users: "users-md5.csv", localAddress: UE_A.address, localPort: UE_A.port });
    expect(o.code, explain(o)).toBe(0);
    const [challenge, ok] = receivedMessages(o);
    expect(challenge).toMatch(/^SIP\/2.0 401 /);
    expect(challenge).toMatch(/WWW-Authenticate: Digest [^\r\n]*algorithm=MD5/);
    expect(ok).toMatch(/^SIP\/2.0 200 /);
    expect(ok).toMatch(/^Service-Route: <sip:orig@scscf1\.domain\.imsprovider\.org:6060;lr>\r?$/m);
    expect(ok).toMatch(/^P-Associated-URI: <sip:a@domain\.imsprovider\.org>\r?$/m);
  });

  it("SIP Digest with no Authorization on the first REGISTER (MicroSIP), user a again", async () => {
    const o = await runSipp({
      remote: `${P}:5060`,
      scenario: "register-md5-noauth.xml",
      users: "users-md5.csv",
      localAddress: UE_A.address,
      localPort: UE_A.port + 10,
    });
    expect(o.code, explain(o)).toBe(0);
    expect(receivedMessages(o)[1]).toMatch(/^SIP\/2.0 200 /);
  });

  it("de-registration (Expires: 0) after a registration, user a on another contact", async () => {
    const o = await runSipp({
      remote: `${P}:5060`,
      scenario: "register-dereg-md5.xml",
      users: "users-md5.csv",
      localAddress: UE_A.address,
      localPort: UE_A.port + 20,
    });
    expect(o.code, explain(o)).toBe(0);
    const finals = receivedMessages(o);
    const last = finals[finals.length - 1] ?? "";
    expect(last).toMatch(/^SIP\/2.0 200 /);
    expect(last).toMatch(/^CSeq: [34] REGISTER\r?$/m);
    // RFC 3261 §10.3 step 8: the 200 lists the bindings that remain; this one is gone
    expect(last).not.toMatch(new RegExp(`^Contact: <sip:a@${UE_A.address.replace(/\./g, "\\.")}:${UE_A.port + 20}>;expires=[1-9]`, "m"));
  });

  it("SIP Digest over TCP, user b", async () => {
    const o = await runSipp({
      remote: `${P}:5060`,
      scenario: "register-md5.xml",
      users: "users-md5-b.csv",
      localAddress: UE_B.address,
      localPort: UE_B.port,
      extraArgs: ["-t", "t1"],
    });
    expect(o.code, explain(o)).toBe(0);
    const [, ok] = receivedMessages(o);
    expect(ok).toMatch(/^SIP\/2.0 200 /);
    expect(ok).toMatch(/^P-Associated-URI: <sip:b@domain\.imsprovider\.org>\r?$/m);
  });

  it("Digest-AKAv1-MD5, user c: SIPp checks AUTN, answers with RES, gets 200; ck/ik never reach the UE", async () => {
    const users = akaUsersCsv(running?.dir ?? ".", [
      { user: "c", impi: `c@${DOMAIN}`, domain: DOMAIN, k: "0123456789abcdef", op: "ABCDEFGHIJKLMNOP", amf: "8000" },
    ]);
    const o = await runSippAka({ remote: `${P}:5060`, scenario: "register-aka.xml", users, localAddress: UE_C.address, localPort: UE_C.port }, SIPP_AKA_KEYS);
    expect(o.code, explain(o)).toBe(0);
    const [challenge, ok] = receivedMessages(o);
    expect(challenge).toMatch(/WWW-Authenticate: Digest [^\r\n]*algorithm=AKAv1-MD5/);
    expect(challenge).not.toMatch(/\b(ck|ik)=/);
    expect(ok).toMatch(/^SIP\/2.0 200 /);
    expect(ok).toMatch(/^P-Associated-URI: <sip:c@domain\.imsprovider\.org>\r?$/m);
  });

  describe.skipIf(!requireTool("tshark"))("the lab's capture, read by tshark", () => {
    let rows: string[][] = [];
    let table = "";
    const count = (src: string, dst: string, pick: (r: string[]) => boolean): number => rows.filter((r) => r[0] === src && r[1] === dst && pick(r)).length;
    const register = (r: string[]): boolean => r[2] === "REGISTER";
    const ok = (r: string[]): boolean => r[3] === "200" && r[4] === "REGISTER";
    const cx = (code: string, request: boolean) => (r: string[]): boolean => r[5] === code && (r[6] === "1" || r[6] === "True") === request;
    let malformed = "";

    beforeAll(async () => {
      await running?.lab.stop(); // flushes the pcap
      const capture = running?.capture ?? "";
      const decodeAs = ["-d", "udp.port==4060,sip", "-d", "tcp.port==4060,sip", "-d", "udp.port==6060,sip", "-d", "tcp.port==6060,sip"];
      const tshark = (args: string[]): string => execFileSync("tshark", ["-r", capture, ...decodeAs, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
      malformed = tshark(["-Y", "_ws.malformed"]);
      const fields = ["ip.src", "ip.dst", "sip.Method", "sip.Status-Code", "sip.CSeq.method", "diameter.cmd.code", "diameter.flags.request", "diameter.Server-Assignment-Type"];
      rows = tshark(["-T", "fields", "-E", "separator=;", ...fields.flatMap((f) => ["-e", f])])
        .split("\n")
        .filter((l) => l !== "")
        .map((l) => l.split(";"));
      table = `capture ${capture}:\n${rows.map((r) => r.join(" ")).join("\n")}`;
    });

    it("has no malformed packet", () => {
      expect(malformed).toBe("");
      expect(rows.length).toBeGreaterThan(20);
    });

    it("shows each REGISTER hop P → I → S and the 200 OK back along the Vias", () => {
      // two REGISTERs per user (a and c)
      expect(count(UE_A.address, P, register), table).toBeGreaterThanOrEqual(2);
      expect(count(UE_C.address, P, register), table).toBeGreaterThanOrEqual(2);
      expect(count(P, I, register), table).toBeGreaterThanOrEqual(4);
      expect(count(I, S, register), table).toBeGreaterThanOrEqual(4);
      expect(count(S, I, ok), table).toBeGreaterThanOrEqual(2);
      expect(count(I, P, ok), table).toBeGreaterThanOrEqual(2);
      expect(count(P, UE_A.address, ok), table).toBeGreaterThanOrEqual(1);
      expect(count(P, UE_C.address, ok), table).toBeGreaterThanOrEqual(1);
    });

    it("shows the Cx requests: a UAR per REGISTER from the I-CSCF, a MAR and a SAR per user from the S-CSCF", () => {
      expect(count(I, HSS, cx(CX.UAR, true)), table).toBeGreaterThanOrEqual(4);
      expect(count(S, HSS, cx(CX.MAR, true)), table).toBeGreaterThanOrEqual(2);
      expect(count(S, HSS, cx(CX.SAR, true)), table).toBeGreaterThanOrEqual(2);
      const sar = (type: string) => (r: string[]): boolean => cx(CX.SAR, true)(r) && r[7] === type;
      expect(count(S, HSS, sar(SAT.REGISTRATION)), table).toBeGreaterThanOrEqual(2);
      // removing one of a's three contacts leaves a registered: the HSS is not told otherwise
      expect(count(S, HSS, sar(SAT.USER_DEREGISTRATION)), table).toBe(0);
    });

    it("shows the HSS's answers (UAA/MAA/SAA: the HSS's own packets, so its process must tap them)", () => {
      expect(count(HSS, I, cx(CX.UAR, false)), table).toBeGreaterThanOrEqual(4);
      expect(count(HSS, S, cx(CX.MAR, false)), table).toBeGreaterThanOrEqual(2);
      expect(count(HSS, S, cx(CX.SAR, false)), table).toBeGreaterThanOrEqual(2);
    });
  });
});
