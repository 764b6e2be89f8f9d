/**
 * Runs SIPp for the interop tests: the scenarios and injection files of this directory, a temp
 * directory for SIPp's trace files, and the outcome (exit code 0 = every call passed).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { computeOpc, f2345 } from "@ims/aka";

export const interopDir = fileURLToPath(new URL(".", import.meta.url));

export interface SippRun {
  /** Target, e.g. 127.5.2.33:5060. */
  readonly remote: string;
  /** Scenario file name in test/interop. */
  readonly scenario: string;
  /** Injection file: a name in test/interop or an absolute path. */
  readonly users: string;
  readonly localAddress: string;
  readonly localPort: number;
  /** Number of calls (registrations); default 1. */
  readonly calls?: number;
  readonly extraArgs?: readonly string[];
}

export interface SippOutcome {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** SIPp's error trace (-trace_err), for the assertion message. */
  readonly errors: string;
  /** Every message SIPp sent and received (-trace_msg). */
  readonly messages: string;
}

export function runSipp(run: SippRun): Promise<SippOutcome> {
  const dir = mkdtempSync(join(tmpdir(), "ims-sipp-"));
  const args = [
    run.remote,
    "-sf", resolve(interopDir, run.scenario),
    "-inf", resolve(interopDir, run.users),
    "-i", run.localAddress,
    "-p", String(run.localPort),
    "-m", String(run.calls ?? 1),
    "-timeout", "15",
    "-timeout_error",
    "-nostdin",
    "-trace_err", "-error_file", join(dir, "errors.log"),
    "-trace_msg", "-message_file", join(dir, "messages.log"),
    ...(run.extraArgs ?? []),
  ];
  return new Promise((resolve, reject) => {
    const child = spawn("sipp", args, { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      resolve({ code, stdout, stderr, errors: readIfThere(dir, "errors.log"), messages: readIfThere(dir, "messages.log") });
    });
  });
}

/**
 * The injection file for Digest-AKAv1-MD5 as SIPp 3.6.1 needs it: aka_K, aka_OP and aka_AMF are
 * used as raw bytes (a "0x…" value is NOT decoded: "0x8000" is taken as the AMF bytes 30 78), so
 * the AMF 80 00 is the single byte 0x80, whose string terminator supplies the 00. Written at run
 * time because that byte is not UTF-8. K and OP must be 16 printable characters.
 */
export function akaUsersCsv(dir: string, users: readonly { user: string; impi: string; domain: string; k: string; op: string; amf: "8000" }[]): string {
  const lines = users.map((u) =>
    Buffer.concat([Buffer.from(`${u.user};${u.impi};${u.domain};${u.k};${u.op};`, "latin1"), Buffer.from([0x80]), Buffer.from("\n")]),
  );
  const path = join(dir, "users-aka.csv");
  writeFileSync(path, Buffer.concat([Buffer.from("SEQUENTIAL\n"), ...lines]));
  return path;
}

function readIfThere(dir: string, name: string): string {
  return readdirSync(dir).includes(name) ? readFileSync(join(dir, name), "utf8") : "";
}

/** The SIP messages SIPp received, in order, from its -trace_msg log. */
export function receivedMessages(o: SippOutcome): string[] {
  return o.messages
    .split(/^-{10,}.*$/m)
    .filter((block) => /message received \[\d+\] bytes :/.test(block))
    .map((block) => block.replace(/^[\s\S]*?bytes :\s*\n/, "").trim());
}

/** A SIPp outcome as one readable block for a failed assertion. */
export function explain(o: SippOutcome): string {
  return `sipp exit ${String(o.code)}\n${o.stderr}\n--- errors ---\n${o.errors}\n--- messages ---\n${o.messages}`;
}

/**
 * SIPp 3.6.1 hashes the AKA RES as a C string: a RES holding a 0x00 byte (1 challenge in 32) is cut
 * there and its answer fails with 403. True when that is why this run failed: the RES of every AKA
 * challenge SIPp received is recomputed from its RAND with the subscriber's K and OP (raw characters).
 */
export function akaResHasNul(o: SippOutcome, k: string, op: string): boolean {
  const key = Buffer.from(k, "latin1");
  const opc = computeOpc(key, Buffer.from(op, "latin1"));
  if (!opc.ok) return false;
  return receivedMessages(o).some((m) => {
    const nonce = /algorithm=AKAv1-MD5/i.test(m) ? /nonce="([^"]+)"/.exec(m)?.[1] : undefined;
    if (nonce === undefined) return false;
    const r = f2345(key, opc.value, Buffer.from(nonce, "base64").subarray(0, 16));
    return r.ok && r.value.res.includes(0);
  });
}

/** K and OP of subscriber c (config/subscribers.json) as SIPp takes them: raw characters. */
export const SIPP_AKA_KEYS = { k: "0123456789abcdef", op: "ABCDEFGHIJKLMNOP" } as const;

/** runSipp for an AKA scenario, run again (up to 3 times) only when SIPp's RES-with-0x00 bug made it fail. */
export async function runSippAka(run: SippRun, keys: { k: string; op: string }): Promise<SippOutcome> {
  let o = await runSipp(run);
  for (let i = 0; i < 2 && o.code !== 0 && akaResHasNul(o, keys.k, keys.op); i++) o = await runSipp(run);
  return o;
}
