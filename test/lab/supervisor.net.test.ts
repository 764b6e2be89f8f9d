/**
 * `npm run lab` as a user meets it: every node its own process, readiness before the table, a dead
 * node reported by name and the lab stopped, Ctrl-C (stop) leaving no process behind, and a capture
 * that tshark reads.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { LabSupervisor, type NodeSpec } from "@ims/lab";
import { requireTool } from "@ims/runtime";
import { afterEach, describe, expect, it } from "vitest";
import { testLabConfig } from "../support/in-process-lab.js";
import { ScriptedUe } from "../support/scripted-ue.js";
import { CallUe } from "../support/call-ue.js";
import { mediaAddress, placeCall, rtpEndpoint, sendUntil } from "../media/media-call.js";

function writeConfig(net: number): { path: string; dir: string; config: ReturnType<typeof testLabConfig> } {
  const config = testLabConfig(net, { media: "shipped" });
  const { baseDir, ...json } = config;
  const path = join(baseDir, "lab.json");
  writeFileSync(path, JSON.stringify(json));
  return { path, dir: baseDir, config };
}

const alive = (pid: number | undefined): boolean => {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

let lab: LabSupervisor | undefined;
afterEach(async () => {
  await lab?.stop();
  lab = undefined;
});

describe("lab supervisor", () => {
  it("starts every node as a process, registers a UE through it, and stops them all", async () => {
    const { path, dir, config } = writeConfig(50);
    const capture = join(dir, "lab.pcap");
    lab = new LabSupervisor({ configPath: path, config, capture });
    const nodes = await lab.start();
    expect(nodes.map((n) => `${n.spec.name}:${n.state}`)).toEqual(["ns:ready", "hss:ready", "rtp:ready", "scscf1:ready", "icscf:ready", "pcscf1:ready"]);
    const pids = nodes.map((n) => n.pid);
    expect(new Set(pids).size).toBe(6);
    // every node runs with the lab's V8 heap settings (room for the old generation from the start)
    for (const pid of pids) expect(readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0")).toContain("--initial-old-space-size=64");

    const p = config.pcscf[0]!;
    const ue = await ScriptedUe.start({ address: "127.5.50.111", port: 5566, domain: config.domain, user: "a", password: "apass", proxy: p });
    const out = await ue.register();
    await ue.stop();
    expect(out.final.status).toBe(200);

    await lab.stop();
    lab = undefined;
    expect(pids.filter(alive)).toEqual([]);
    expect(existsSync(capture)).toBe(true);

    if (requireTool("tshark")) {
      const fields = spawnSync("tshark", ["-r", capture, "-Y", "sip.Method == REGISTER || diameter", "-T", "fields", "-e", "ip.src", "-e", "ip.dst", "-e", "sip.Method", "-e", "diameter.cmd.code"], {
        encoding: "utf8",
      }).stdout;
      const a = (n: string) => n; // addresses as in the config
      expect(fields).toContain(`${a("127.5.50.111")}\t${p.address}\tREGISTER`);
      expect(fields).toContain(`${p.address}\t${config.icscf.address}\tREGISTER`);
      expect(fields).toContain(`${config.icscf.address}\t${config.scscf[0]!.address}\tREGISTER`);
      expect(fields).toMatch(new RegExp(`${config.scscf[0]!.address.replaceAll(".", "\\.")}\\t${config.hss.address.replaceAll(".", "\\.")}\\t\\t303`));
      const bad = spawnSync("tshark", ["-r", capture, "-Y", "_ws.malformed || _ws.expert.severity == error"], { encoding: "utf8" }).stdout;
      expect(bad.trim()).toBe("");
    }
  });

  it("anchors a call's media in the relay process as shipped, and leaves it out when media is switched off", async () => {
    for (const media of [true, false]) {
      const w = writeConfig(media ? 53 : 54);
      const config = { ...w.config, rtp: { ...w.config.rtp, enabled: media } };
      const capture = join(w.dir, "media.pcap");
      lab = new LabSupervisor({ configPath: w.path, config, capture });
      const nodes = await lab.start();
      expect(nodes.some((n) => n.spec.role === "rtp")).toBe(media);
      const net = config.icscf.address.split(".")[2];
      const p = config.pcscf[0]!;
      const ues: CallUe[] = [];
      try {
        for (const [i, user] of ["a", "b"].entries()) {
          const ue = await CallUe.start({ address: `127.5.${net}.${100 + i}`, port: 5066, domain: config.domain, user, password: `${user}pass`, proxy: p });
          ues.push(ue);
          expect((await ue.register()).final.status).toBe(200);
        }
        const [a, b] = ues as [CallUe, CallUe];
        const ra = await rtpEndpoint(a.ue.options.address, 40000);
        const rb = await rtpEndpoint(b.ue.options.address, 40002);
        try {
          const { final } = await placeCall(a, b);
          const towardsB = mediaAddress(final.body.toString());
          expect(towardsB.address).toBe(media ? config.rtp.address : b.ue.options.address);
          const payload = Buffer.from("lab media ".repeat(16));
          const atB = await sendUntil(ra.socket, towardsB, payload, rb.next());
          expect(atB.from.address).toBe(media ? config.rtp.address : a.ue.options.address);
          expect(atB.data.subarray(12)).toEqual(payload);
        } finally {
          ra.socket.close();
          rb.socket.close();
        }
      } finally {
        for (const u of ues) await u.stop().catch(() => undefined);
        await lab.stop();
        lab = undefined;
      }
      if (media && requireTool("tshark")) {
        // The capture shows RTP crossing the core: a → relay, relay → b (decoded as RTP).
        const rtp = spawnSync("tshark", ["-r", capture, "-o", "rtp.heuristic_rtp:TRUE", "-Y", "rtp", "-T", "fields", "-e", "ip.src", "-e", "ip.dst", "-e", "udp.dstport"], { encoding: "utf8" }).stdout;
        expect(rtp).toMatch(new RegExp(`127\\.5\\.53\\.100\t${config.rtp.address.replaceAll(".", "\\.")}\t\\d+`));
        expect(rtp).toContain(`${config.rtp.address}\t127.5.53.101\t40002`);
      }
    }
  });

  it("reports a node that dies and names it", async () => {
    const { path, config } = writeConfig(51);
    const died: NodeSpec[] = [];
    lab = new LabSupervisor({ configPath: path, config, onNodeDied: (spec) => died.push(spec) });
    const nodes = await lab.start();
    const hss = nodes.find((n) => n.spec.role === "hss");
    process.kill(hss!.pid!, "SIGKILL");
    for (let i = 0; i < 50 && died.length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(died.map((s) => s.name)).toEqual(["hss"]);
  });

  it("fails to start with a message naming the node when its address is taken", async () => {
    const first = writeConfig(52);
    const second = writeConfig(52);
    const a = new LabSupervisor({ configPath: first.path, config: first.config });
    await a.start();
    try {
      lab = new LabSupervisor({ configPath: second.path, config: second.config, startTimeout: 10_000 });
      await expect(lab.start()).rejects.toThrow(/ns \(dns\) failed to start: .*127\.5\.52\.66/);
    } finally {
      await a.stop();
    }
  });
});
