/**
 * The call interop tests' lab and tools: the whole lab as processes (LabSupervisor, from the built
 * dist) with calls-lab.json moved onto 127.5.<net>.x in a temp dir, and runners for SIPp and
 * baresip that collect what the tool printed and traced.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createSocket } from "node:dgram";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type LabConfig, LabSupervisor, labNodes, loadLabConfig } from "../../packages/lab/dist/index.js";
import { starters } from "../../packages/lab/dist/starters.js";

export const interopDir = fileURLToPath(new URL(".", import.meta.url));
const TEMPLATE = "calls-lab.json";

export interface CallsLab {
  readonly lab: LabSupervisor;
  readonly config: LabConfig;
  readonly dir: string;
  /** The P-CSCF, "address:port". */
  readonly pcscf: string;
  /** The lab's DNS, "address:port". */
  readonly dns: string;
  /** 127.5.<net>.<last> */
  host(last: number): string;
  stop(): Promise<void>;
}

/** The lab can start from this build (dist exists, every role has a starter). */
export function labBuilt(): boolean {
  try {
    return labNodes(loadLabConfig(resolve(interopDir, TEMPLATE))).every((n) => starters[n.role] !== undefined);
  } catch {
    return false;
  }
}

export async function startCallsLab(net: number, logLevel = "warn"): Promise<CallsLab> {
  const dir = mkdtempSync(join(tmpdir(), "ims-calls-lab-"));
  const text = readFileSync(resolve(interopDir, TEMPLATE), "utf8").replace(/127\.5\.12\./g, `127.5.${net}.`);
  const json = JSON.parse(text) as { hss: { database: string; subscribers: string } };
  json.hss.database = join(dir, "hss.sqlite");
  json.hss.subscribers = resolve(interopDir, json.hss.subscribers);
  const configPath = join(dir, "lab.json");
  writeFileSync(configPath, JSON.stringify(json, null, 2));
  const config = loadLabConfig(configPath);
  const lab = new LabSupervisor({ configPath, config, logLevel, startTimeout: 15_000 });
  await lab.start();
  const p = config.pcscf[0]!;
  return {
    lab,
    config,
    dir,
    pcscf: `${p.address}:${p.port}`,
    dns: `${config.dns.address}:${config.dns.port}`,
    host: (last) => `127.5.${net}.${last}`,
    stop: () => lab.stop(),
  };
}

export interface ToolOutcome {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Extra files the tool wrote (SIPp: errors, messages). */
  readonly files: Record<string, string>;
}

export interface SippCall {
  readonly remote: string;
  readonly scenario: string;
  readonly users: string;
  readonly address: string;
  readonly port: number;
  readonly calls?: number;
  readonly args?: readonly string[];
}

/** Runs SIPp to completion (or `kill()`); exit code 0 = every call passed. */
export function sipp(run: SippCall): RunningTool {
  const dir = mkdtempSync(join(tmpdir(), "ims-sipp-calls-"));
  const args = [
    run.remote,
    "-sf", resolve(interopDir, run.scenario),
    "-inf", resolve(interopDir, run.users),
    "-i", run.address,
    "-p", String(run.port),
    "-m", String(run.calls ?? 1),
    "-timeout", "20",
    "-timeout_error",
    "-nostdin",
    "-trace_err", "-error_file", join(dir, "errors.log"),
    "-trace_msg", "-message_file", join(dir, "messages.log"),
    ...(run.args ?? []),
  ];
  return collect(spawn("sipp", args, { cwd: dir, stdio: ["ignore", "pipe", "pipe"] }), dir, ["errors.log", "messages.log"]);
}

export interface RunningTool {
  readonly done: Promise<ToolOutcome>;
  readonly child: ChildProcess;
  /** What it printed so far. */
  output(): string;
}

function collect(child: ChildProcess, dir: string, files: readonly string[]): RunningTool {
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<ToolOutcome>((res, rej) => {
    child.on("error", rej);
    child.on("close", (code) => {
      const out: Record<string, string> = {};
      for (const f of files) out[f] = existsSync(join(dir, f)) ? readFileSync(join(dir, f), "utf8") : "";
      res({ code, stdout, stderr, files: out });
    });
  });
  return { done, child, output: () => stdout };
}

/** The SIP messages SIPp received, in order (from -trace_msg). */
export function sippReceived(o: ToolOutcome): string[] {
  return (o.files["messages.log"] ?? "")
    .split(/^-{10,}.*$/m)
    .filter((b) => /message received \[\d+\] bytes :/.test(b))
    .map((b) => b.replace(/^[\s\S]*?bytes :\s*\n/, "").trim());
}

export function explain(o: ToolOutcome): string {
  return `exit ${String(o.code)}\n${o.stderr}\n${o.stdout.slice(-3000)}\n${Object.entries(o.files)
    .map(([k, v]) => `--- ${k} ---\n${v.slice(-8000)}`)
    .join("\n")}`;
}

export interface BaresipUe {
  readonly user: string;
  readonly password: string;
  readonly address: string;
  readonly port: number;
  readonly domain: string;
  readonly outbound: string;
  readonly autoAnswer?: boolean;
  /** The lab's DNS ("address:port"): in-dialog requests go to the Record-Route, which names pcscf1.<domain>. */
  readonly dnsServer?: string;
}

/**
 * A baresip config dir (TOOLS.md): an account through the P-CSCF, MD5, PCMA, and the modules a
 * headless call needs (audio from a sine source, none played), and the UDP console on port+10 so a
 * test can type a command once the account is registered (-e runs before the REGISTER is answered).
 */
export function baresipDir(ue: BaresipUe): string {
  const dir = mkdtempSync(join(tmpdir(), `ims-baresip-${ue.user}-`));
  const aor = `sip:${ue.user}@${ue.domain}`;
  const account =
    `<${aor}>;outbound="sip:${ue.outbound}";regint=300;auth_user=${ue.user}@${ue.domain};auth_pass=${ue.password};audio_codecs=PCMA` +
    (ue.autoAnswer === true ? ";answermode=auto" : "");
  writeFileSync(join(dir, "accounts"), `${account}\n`);
  writeFileSync(
    join(dir, "config"),
    [
      `sip_listen ${ue.address}:${ue.port}`,
      "sip_trans_def udp",
      "audio_player aufile,/dev/null",
      "audio_source ausine,440",
      "audio_alert aufile,/dev/null",
      "ausrc_srate 48000",
      "auplay_srate 48000",
      "ausrc_channels 2",
      "auplay_channels 2",
      "module_path /usr/lib/baresip/modules",
      "module g711.so",
      "module ausine.so",
      "module aufile.so",
      "module_app account.so",
      "module_app menu.so",
      "module cons.so",
      `cons_listen ${ue.address}:${ue.port + 10}`,
      "call_max_calls 4",
      ...(ue.dnsServer === undefined ? [] : [`dns_server ${ue.dnsServer}`]),
      "",
    ].join("\n"),
  );
  return dir;
}

/** Types a menu command into a running baresip through its UDP console (cons module). */
export function baresipCommand(address: string, consolePort: number, command: string): Promise<void> {
  return new Promise((res, rej) => {
    const s = createSocket("udp4");
    s.send(`${command}\n`, consolePort, address, (e) => {
      s.close();
      if (e) rej(e);
      else res();
    });
  });
}

/** Runs baresip for `seconds` (with a command given by -e, if any), its address pinned with -n. */
export function baresip(dir: string, address: string, seconds: number, command?: string): RunningTool {
  const args = ["-f", dir, "-n", address, "-t", String(seconds), ...(command === undefined ? [] : ["-e", command])];
  return collect(spawn("baresip", args, { cwd: dir, stdio: ["ignore", "pipe", "pipe"] }), dir, []);
}
