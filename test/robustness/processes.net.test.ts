/**
 * The same garbage against the lab as `npm run lab` runs it, one process per node, where a crash is
 * a dead process: malformed and random SIP to every CSCF, Diameter and HTTP garbage to the HSS and
 * random datagrams to the DNS. Afterwards every process is alive, none was reported dead, their
 * memory stayed bounded, and a UE registers.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { LabSupervisor, type NodeSpec } from "@ims/lab";
import { afterAll, describe, expect, it } from "vitest";
import { testLabConfig } from "../support/in-process-lab.js";
import { ScriptedUe } from "../support/scripted-ue.js";
import { type Target, TcpProbe, UdpProbe, prng, randomBytes, sleep } from "./raw.js";
import { MALFORMED, badRegisters } from "./sip-messages.js";

const NET = 66;
let lab: LabSupervisor | undefined;
afterAll(async () => lab?.stop());

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
/** Resident memory of a process in MB (Linux). */
const rssMb = (pid: number): number => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? "0") / 1024;

describe("garbage to the lab as processes", () => {
  it("no node process dies or bloats, and a UE registers afterwards", async () => {
    const config = testLabConfig(NET);
    const { baseDir, ...json } = config;
    const path = join(baseDir, "lab.json");
    writeFileSync(path, JSON.stringify(json));
    const died: NodeSpec[] = [];
    lab = new LabSupervisor({ configPath: path, config, onNodeDied: (spec) => died.push(spec) });
    const nodes = await lab.start();
    const pids = nodes.map((n) => n.pid!);
    expect(pids.every(alive)).toBe(true);

    const p = config.pcscf[0]!;
    const register = async (n: number): Promise<number> => {
      const ue = await ScriptedUe.start({ address: `127.5.${NET}.${110 + n}`, port: 5566, domain: config.domain, user: "a", password: "apass", proxy: p });
      try {
        return (await ue.register()).final.status;
      } finally {
        await ue.stop();
      }
    };
    expect(await register(0)).toBe(200);
    const rssBefore = pids.map(rssMb);

    const cscfs: Target[] = [
      { address: p.address, port: p.port },
      { address: config.icscf.address, port: config.icscf.port },
      { address: config.scscf[0]!.address, port: config.scscf[0]!.port },
    ];
    const udp = await UdpProbe.open(`127.5.${NET}.200`);
    const next = prng(66);
    let branch = 0;
    for (const t of cscfs) {
      for (const c of MALFORMED) {
        const v = { transport: "UDP" as const, local: udp.local, domain: config.domain, branch: `pp${++branch}` };
        await udp.send(t, c.bytes(v));
        const tcp = await TcpProbe.open(t, `127.5.${NET}.201`);
        await tcp.write(c.bytes({ ...v, transport: "TCP", local: { address: `127.5.${NET}.201`, port: 5060 } }));
        tcp.close();
      }
      for (const c of badRegisters({ transport: "UDP", local: udp.local, domain: config.domain, branch: `pr${++branch}` }, `a@${config.domain}`)) await udp.send(t, c.bytes);
      for (let i = 0; i < 1000; i++) {
        await udp.send(t, randomBytes(next, Math.floor(next() * 1400)));
        if (i % 50 === 49) await sleep(2);
      }
      const flood = await TcpProbe.open(t, `127.5.${NET}.202`);
      await flood.write("OPTIONS sip:x SIP/2.0\r\n");
      for (let i = 0; i < 16 && !flood.closed; i++) await flood.write("z".repeat(64 * 1024));
      expect(await flood.until((f) => f.closed, 3000)).toBe(true);
    }
    const hss: Target = { address: config.hss.address, port: config.hss.diameterPort };
    for (let i = 0; i < 5; i++) {
      const d = await TcpProbe.open(hss, `127.5.${NET}.203`);
      await d.write(randomBytes(next, 200 + Math.floor(next() * 2000)));
      await d.until((x) => x.closed, 1000);
      d.close();
    }
    const big = await TcpProbe.open(hss, `127.5.${NET}.204`);
    await big.write(Buffer.from([1, 0xff, 0xff, 0xfc, 0x80, 0, 1, 0x2f]));
    expect(await big.until((x) => x.closed, 3000)).toBe(true);
    const api = `http://${config.hss.address}:${config.hss.httpPort}/subscribers`;
    const bearer = { authorization: `Bearer ${config.hss.token}`, "content-type": "application/json" };
    expect((await fetch(api, { method: "POST", headers: bearer, body: "{not json" })).status).toBe(400);
    expect((await fetch(api, { method: "POST", headers: bearer, body: JSON.stringify({ impi: "r@x", impus: ["sip:r@x"], k: "zz" }) })).status).toBe(422);
    expect((await fetch(api, { method: "POST", body: "{}" })).status).toBe(401);
    expect((await fetch(api, { method: "POST", headers: bearer, body: "x".repeat(1024 * 1024) })).status).toBe(413);
    const dns: Target = { address: config.dns.address, port: config.dns.port };
    for (let i = 0; i < 1000; i++) await udp.send(dns, randomBytes(next, Math.floor(next() * 512)));
    await udp.close();
    await sleep(300);

    expect(died.map((s) => s.name)).toEqual([]);
    expect(pids.filter((pid) => !alive(pid))).toEqual([]);
    const growth = pids.map((pid, i) => rssMb(pid) - rssBefore[i]!);
    expect(growth.every((g) => g < 100), `RSS growth MB: ${growth.map((g) => g.toFixed(1)).join(", ")}`).toBe(true);
    expect(await register(1)).toBe(200);
  }, 40_000);
});
