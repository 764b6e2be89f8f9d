/**
 * SIPp registers straight at the S-CSCF (no P-/I-CSCF), with an HSS in this process: the registrar
 * alone against a third-party UE, SIP Digest and Digest-AKAv1-MD5 (SIPp derives RES from K/OP/AMF).
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type HssHandle, startHss } from "@ims/hss";
import { requireTool, silentLogger } from "@ims/runtime";
import { type RunningScscf, startScscf } from "@ims/scscf";
import { SIPP_AKA_KEYS, akaUsersCsv, explain, receivedMessages, runSipp, runSippAka } from "./sipp.js";

const DOMAIN = "domain.imsprovider.org";
const HSS = { address: "127.5.2.177", port: 3868, http: 18_177 };
const SCSCF = { address: "127.5.2.171", port: 6060 };
const UE = "127.5.2.181";
const subscribersFile = new URL("../../config/subscribers.json", import.meta.url).pathname;

describe.skipIf(!requireTool("sipp"))("SIPp registers at the S-CSCF directly", () => {
  let hss: HssHandle | undefined;
  let scscf: RunningScscf | undefined;
  const dir = mkdtempSync(join(tmpdir(), "ims-interop-scscf-"));

  beforeAll(async () => {
    hss = await startHss(
      {
        address: HSS.address,
        diameterPort: HSS.port,
        httpPort: HSS.http,
        realm: DOMAIN,
        database: join(dir, "hss.sqlite"),
        token: "interop-token",
        subscribersFile,
      },
      { logger: silentLogger() },
    );
    scscf = await startScscf(
      {
        name: "scscf1",
        domain: DOMAIN,
        sip: { address: SCSCF.address, port: SCSCF.port, uri: `sip:scscf1.${DOMAIN}:${SCSCF.port}` },
        diameter: { host: `scscf1.${DOMAIN}`, realm: DOMAIN },
        hss: { host: `hss.${DOMAIN}`, address: HSS.address, port: HSS.port },
      },
      { logger: silentLogger() },
    );
    expect(scscf.state()).toBe("ready");
  });
  afterAll(async () => {
    await scscf?.stop();
    await hss?.stop();
  });

  it("SIP Digest (MD5): REGISTER, 401, REGISTER, 200", async () => {
    const o = await runSipp({
      remote: `${SCSCF.address}:${SCSCF.port}`,
      scenario: "register-md5.xml",
      users: "users-md5.csv",
      localAddress: UE,
      localPort: 5566,
    });
    expect(o.code, explain(o)).toBe(0);
    const [challenge, ok] = receivedMessages(o);
    expect(challenge).toMatch(/^SIP\/2.0 401 .*\r?\n[\s\S]*WWW-Authenticate: Digest [^\r\n]*algorithm=MD5/);
    expect(ok).toMatch(/^SIP\/2.0 200 /);
    expect(ok).toMatch(/^Contact: <sip:a@127\.5\.2\.181:5566>;expires=600\r?$/m);
    expect(ok).toMatch(/^Service-Route: <sip:orig@scscf1\.domain\.imsprovider\.org:6060;lr>\r?$/m);
    expect(ok).toMatch(/^P-Associated-URI: <sip:a@domain\.imsprovider\.org>\r?$/m);
  });

  it("Digest-AKAv1-MD5: SIPp's RES is accepted", async () => {
    const o = await runSippAka({
      remote: `${SCSCF.address}:${SCSCF.port}`,
      scenario: "register-aka.xml",
      // user c of config/subscribers.json: K = "0123456789abcdef", OP = "ABCDEFGHIJKLMNOP", AMF 8000
      users: akaUsersCsv(dir, [{ user: "c", impi: `c@${DOMAIN}`, domain: DOMAIN, k: "0123456789abcdef", op: "ABCDEFGHIJKLMNOP", amf: "8000" }]),
      localAddress: UE,
      localPort: 5567,
    }, SIPP_AKA_KEYS);
    expect(o.code, explain(o)).toBe(0);
    const [challenge, ok] = receivedMessages(o);
    expect(challenge).toMatch(/WWW-Authenticate: Digest [^\r\n]*algorithm=AKAv1-MD5/);
    expect(ok).toMatch(/^SIP\/2.0 200 /);
  });

  it("Digest-AKAv1-MD5 when the first Authorization names no algorithm (TS 24.229 §5.1.1.2.1): the user's default", async () => {
    const o = await runSippAka({
      remote: `${SCSCF.address}:${SCSCF.port}`,
      scenario: "register-aka-noalg.xml",
      users: akaUsersCsv(dir, [{ user: "c", impi: `c@${DOMAIN}`, domain: DOMAIN, k: "0123456789abcdef", op: "ABCDEFGHIJKLMNOP", amf: "8000" }]),
      localAddress: UE,
      localPort: 5568,
    }, SIPP_AKA_KEYS);
    expect(receivedMessages(o)[0]).toMatch(/WWW-Authenticate: Digest [^\r\n]*algorithm=AKAv1-MD5/);
    expect(o.code, explain(o)).toBe(0);
  });
});
