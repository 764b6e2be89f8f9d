import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MemoryUsimSqnStore, usimAuthenticate } from "@ims/aka";
import { startHss } from "@ims/hss";
import { createLogger } from "@ims/runtime";
import { NetTransport, type SipResponse, SipStack, getHeader, getHeaders } from "@ims/sip";
import { type RunningScscf, type ScscfConfig, startScscf } from "@ims/scscf";
import {
  type RegisterInit,
  answerChallenge,
  initialAuthorization,
  readChallenge,
  registerRequest,
} from "../../packages/scscf/src/testing/ue-client.js";

/**
 * The Cx wiring end to end: the real HSS (SQLite, default subscribers) and this S-CSCF over
 * Diameter/TCP, a scripted UE registering directly at the S-CSCF over UDP (MD5 and AKA, with the
 * USIM of packages/aka), and a check that no secret reached the debug log.
 */
const D = "domain.imsprovider.org";
const SUBSCRIBERS = new URL("../../config/subscribers.json", import.meta.url).pathname;
const SCSCF = { transport: "udp", address: "127.5.1.11", port: 6060 } as const;
// subscriber c: K and OP as provisioned in config/subscribers.json
const C_K = "30313233343536373839616263646566";
const C_OP = "4142434445464748494a4b4c4d4e4f50";

const lines: string[] = [];
const sink = new Writable({
  write(chunk: Buffer, _enc, done) {
    lines.push(chunk.toString("utf8"));
    done();
  },
});

let dir: string;
let hss: Awaited<ReturnType<typeof startHss>>;
let scscf: RunningScscf;
let ue: SipStack;
let cseq = 1;
const resSeen: string[] = [];

async function send(init: RegisterInit): Promise<SipResponse> {
  const req = registerRequest({ cseq: cseq++, contacts: ["<sip:ue@127.5.1.111:5566>"], ...init });
  req.headers = req.headers.filter((h) => h.name !== "Via");
  return ue.sendRequest(req, { destination: SCSCF });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "scscf-net-"));
  hss = await startHss(
    { address: "127.5.1.77", diameterPort: 0, httpPort: 0, realm: D, database: join(dir, "hss.sqlite"), token: "scscf-net-test", subscribersFile: SUBSCRIBERS },
    { logger: createLogger({ level: "debug", destination: sink }) },
  );
  const config: ScscfConfig = {
    name: "scscf1",
    domain: D,
    sip: { address: SCSCF.address, port: SCSCF.port, uri: `sip:scscf1.${D}:6060` },
    diameter: { host: `scscf1.${D}`, realm: D },
    hss: { host: `hss.${D}`, address: "127.5.1.77", port: hss.diameterPort },
    hssWaitMs: 5_000,
  };
  scscf = await startScscf(config, { logger: createLogger({ level: "trace", destination: sink }) });
  ue = new SipStack({ transport: await NetTransport.open({ address: "127.5.1.111", port: 5566 }) });
});

afterAll(async () => {
  await ue?.close();
  await scscf?.stop();
  await hss?.stop();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

describe("S-CSCF registrar over Cx with the real HSS", () => {
  it("is ready once the HSS peer is open", () => {
    expect(scscf.state()).toBe("ready");
  });

  it("registers a with SIP Digest (no Authorization first, MicroSIP style), then de-registers", async () => {
    const c = await send({ impu: `sip:a@${D}` });
    expect(c.status).toBe(401);
    const www = getHeader(c, "WWW-Authenticate") ?? "";
    expect(readChallenge(www)).toMatchObject({ realm: D, algorithm: "MD5", qop: "auth" });
    const ok = await send({ impu: `sip:a@${D}`, authorization: answerChallenge(www, { username: `a@${D}`, secret: "apass", uri: "sip:127.5.1.11:6060" }) });
    expect(ok.status).toBe(200);
    expect(getHeader(ok, "P-Associated-URI")).toBe(`<sip:a@${D}>`);
    expect(getHeader(ok, "Service-Route")).toBe(`<sip:orig@scscf1.${D}:6060;lr>`);
    expect(getHeaders(ok, "Contact")).toEqual(["<sip:ue@127.5.1.111:5566>;expires=3600"]);
    expect(scscf.registrar.ctx.bindings.find(`sip:a@${D}`)?.userData).toContain("<PrivateID>");

    const c2 = await send({ impu: `sip:a@${D}`, expires: 0 });
    const bye = await send({
      impu: `sip:a@${D}`,
      expires: 0,
      authorization: answerChallenge(getHeader(c2, "WWW-Authenticate") ?? "", { username: `a@${D}`, secret: "apass" }),
    });
    expect(bye.status).toBe(200);
    expect(scscf.registrar.ctx.bindings.find(`sip:a@${D}`)).toBeUndefined();
  });

  it("refuses a wrong password with 403 and an unknown user with 403", async () => {
    const c = await send({ impu: `sip:b@${D}` });
    const bad = await send({ impu: `sip:b@${D}`, authorization: answerChallenge(getHeader(c, "WWW-Authenticate") ?? "", { username: `b@${D}`, secret: "nope" }) });
    expect(bad.status).toBe(403);
    expect((await send({ impu: `sip:nobody@${D}` })).status).toBe(403);
  });

  it("registers c with AKAv1-MD5 (USIM computes RES from the nonce), after an AUTS resynchronisation", async () => {
    // a USIM that has seen a far higher SQN than the HSS: the first AUTN is stale
    const usim = new MemoryUsimSqnStore(undefined, 0x100000);
    const akaAnswer = (www: string) => {
      const ch = readChallenge(www);
      const nonce = Buffer.from(ch.nonce, "base64");
      expect(nonce).toHaveLength(32);
      expect(ch.ck).toMatch(/^[0-9a-f]{32}$/);
      const r = usimAuthenticate({ k: C_K, operator: { op: C_OP }, rand: nonce.subarray(0, 16), autn: nonce.subarray(16, 32), store: usim });
      if (!r.ok) throw new Error(r.error.reason);
      if (r.value.kind === "success") resSeen.push(r.value.res.toString("hex"));
      return r.value;
    };
    const first = await send({ impu: `sip:c@${D}`, authorization: initialAuthorization(`c@${D}`, D, "AKAv1-MD5") });
    expect(first.status).toBe(401);
    const www1 = getHeader(first, "WWW-Authenticate") ?? "";
    expect(readChallenge(www1).algorithm).toBe("AKAv1-MD5");
    const sync = akaAnswer(www1);
    expect(sync.kind).toBe("sync-failure");
    if (sync.kind !== "sync-failure") return;
    const second = await send({
      impu: `sip:c@${D}`,
      authorization: answerChallenge(www1, { username: `c@${D}`, secret: "", response: "", auts: sync.auts.toString("base64") }),
    });
    expect(second.status).toBe(401);
    const www2 = getHeader(second, "WWW-Authenticate") ?? "";
    const good = akaAnswer(www2);
    expect(good.kind).toBe("success");
    if (good.kind !== "success") return;
    const done = await send({ impu: `sip:c@${D}`, authorization: answerChallenge(www2, { username: `c@${D}`, secret: good.res }) });
    expect(done.status).toBe(200);
    expect(getHeader(done, "P-Associated-URI")).toContain(`sip:c@${D}`);
  });

  it("an administrative de-registration at the HSS arrives as an RTR and removes b's bindings", async () => {
    const c = await send({ impu: `sip:b@${D}` });
    const ok = await send({ impu: `sip:b@${D}`, authorization: answerChallenge(getHeader(c, "WWW-Authenticate") ?? "", { username: `b@${D}`, secret: "bpass" }) });
    expect(ok.status).toBe(200);
    expect(scscf.registrar.ctx.bindings.find(`sip:b@${D}`)).toBeDefined();
    const res = await fetch(`http://127.5.1.77:${hss.httpPort}/impus/${encodeURIComponent(`sip:b@${D}`)}/deregister`, {
      method: "POST",
      headers: { authorization: "Bearer scscf-net-test" },
    });
    expect(res.status).toBeLessThan(300);
    const deadline = Date.now() + 3_000;
    while (scscf.registrar.ctx.bindings.find(`sip:b@${D}`) !== undefined && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(scscf.registrar.ctx.bindings.find(`sip:b@${D}`)).toBeUndefined();
  });

  it("wrote one debug line per SIP and Cx message and no secret", () => {
    const log = lines.join("");
    expect(log).toMatch(/"msg":"sip\b/);
    expect(log).toMatch(/"msg":"diameter out\b/);
    expect(log).not.toMatch(/apass|bpass|30313233343536373839616263646566/);
    expect(log).not.toContain(createHash("md5").update(`a@${D}:${D}:apass`).digest("hex"));
    expect(resSeen).toHaveLength(1);
    for (const res of resSeen) expect(log).not.toContain(res);
    for (const secret of [/"ha1":"[0-9a-f]{32}"/i, /"xres":/i, /"ck":"[0-9a-f]/i, /"ik":"[0-9a-f]/i]) expect(log).not.toMatch(secret);
  });
});
