/**
 * Secrets never reach a log line (DESIGN.md convention 8): the whole lab runs with a pino logger at
 * trace level (a superset of LOG_LEVEL=debug) writing to a captured stream while users register
 * with SIP Digest, with AKA, with an AKA resync and with a wrong password; no password, K, OP/OPc,
 * HA1, RES/XRES, CK or IK (hex in either case, or base64) and no API token appears in any line.
 */
import { createHash } from "node:crypto";
import { PassThrough } from "node:stream";
import { MemoryUsimSqnStore, computeOpc, f2345, keyFromSecret } from "@ims/aka";
import { createLogger } from "@ims/runtime";
import { splitAkaNonce } from "@ims/sip";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type InProcessLab, startInProcessLab, testLabConfig } from "../support/in-process-lab.js";
import { ScriptedUe, type UeOptions } from "../support/scripted-ue.js";

const NET = 65;
const D = "domain.imsprovider.org";
let lab: InProcessLab;
let logs = "";
let ueAddress = 111;

beforeAll(async () => {
  const out = new PassThrough();
  out.on("data", (d: Buffer) => (logs += d.toString("utf8")));
  lab = await startInProcessLab(testLabConfig(NET), undefined, { logger: createLogger({ level: "trace", destination: out }), recordWire: false });
});
afterAll(async () => lab?.stop());

async function ue(user: string, password: string, extra: Partial<UeOptions> = {}): Promise<ScriptedUe> {
  const p = lab.config.pcscf[0]!;
  return ScriptedUe.start({ address: `127.5.${NET}.${ueAddress++}`, port: 5566, domain: lab.config.domain, user, password, proxy: p, ...extra });
}

const hex = (b: Buffer): string[] => [b.toString("hex"), b.toString("base64")];
const md5 = (s: string): string => createHash("md5").update(s).digest("hex");

/** RES (= XRES), CK and IK of an AKA challenge, as the HSS computed them. */
function akaSecrets(nonce: string | undefined, k: string, opc: Buffer): string[] {
  const parts = splitAkaNonce(nonce ?? "");
  if (!parts.ok) throw new Error(parts.error.reason);
  const out = f2345(k, opc, parts.value.rand);
  if (!out.ok) throw new Error("f2345");
  return [...hex(out.value.res), ...hex(out.value.ck), ...hex(out.value.ik)];
}

function opcOf(k: string, op: string): Buffer {
  const r = computeOpc(k, op);
  if (!r.ok) throw new Error("opc");
  return r.value;
}

describe("no secret in any log line of the running lab", () => {
  it("Digest, AKA, AKA resync and a wrong password at trace level", async () => {
    const secrets: string[] = ["apass", "bpass", "cpass", "not-the-bpass", lab.config.hss.token];
    const kA = keyFromSecret("apass").toString("hex");
    const zeros = "00".repeat(16);
    secrets.push(kA, keyFromSecret("bpass").toString("hex"), ...hex(opcOf(kA, zeros)));
    for (const [user, pass] of [["a", "apass"], ["b", "bpass"], ["c", "cpass"]] as const) {
      secrets.push(md5(`${user}@${D}:${D}:${pass}`));
    }

    const a = await ue("a", "apass");
    const digest = await a.register();
    const aka = await a.register({ algorithm: "AKAv1-MD5" });
    await a.register({ expires: 0 });
    await a.stop();
    expect(digest.final.status).toBe(200);
    expect(aka.final.status).toBe(200);
    for (const c of aka.challenges) secrets.push(...akaSecrets(c.nonce, kA, opcOf(kA, zeros)));

    const kC = "30313233343536373839616263646566";
    const opC = "4142434445464748494a4b4c4d4e4f50";
    secrets.push(kC, opC, ...hex(opcOf(kC, opC)));
    const c = await ue("c", "cpass", { aka: { k: kC, operator: { op: opC }, sqnStore: new MemoryUsimSqnStore(undefined, 0x0000_4000_0000) } });
    const resync = await c.register({ firstAuthorization: "none" });
    await c.stop();
    expect(resync.finals.map((r) => r.status)).toEqual([401, 401, 200]);
    for (const ch of resync.challenges) secrets.push(...akaSecrets(ch.nonce, kC, opcOf(kC, opC)));

    const b = await ue("b", "bpass");
    expect((await b.register({ password: "not-the-bpass" })).final.status).toBe(403);
    await b.stop();

    // The logs are there to be searched: every node wrote per-message lines.
    const lines = logs.split("\n").filter((l) => l.length > 0);
    expect(lines.length).toBeGreaterThan(50);
    for (const node of ["pcscf1", "icscf", "scscf1", "hss"]) expect(logs, node).toContain(`"node":"${node}"`);
    expect(logs).toContain("REGISTER");

    expect(secrets.length).toBeGreaterThan(25);
    const lower = logs.toLowerCase();
    const leaked = secrets.filter((s) => logs.includes(s) || (/^[0-9a-f]+$/.test(s) && lower.includes(s)));
    const where = leaked.map((s) => `${s}: ${lines.find((l) => l.toLowerCase().includes(s.toLowerCase()))?.slice(0, 300)}`);
    expect(where).toEqual([]);
  });
});
