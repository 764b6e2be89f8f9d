/**
 * Interop with SIPp's built-in scenarios over loopback UDP: SIPp's UAC calls our UAS (INVITE, 180,
 * 200, ACK, BYE), then calls SIPp's UAS through our proxy. Skipped when sipp is absent (fails in CI).
 */
import { spawn } from "node:child_process";
import { requireTool } from "@ims/runtime";
import { afterEach, describe, expect, it } from "vitest";
import { SipStack } from "../proxy/index.js";

const stacks: SipStack[] = [];
afterEach(async () => {
  await Promise.all(stacks.splice(0).map((s) => s.close()));
});

/** A port for SIPp that two concurrent runs are unlikely to share. */
const sippPort = () => 20_000 + Math.floor(Math.random() * 20_000);

function sipp(args: string[], timeoutMs = 15_000): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const p = spawn("sipp", [...args, "-m", "1", "-nostdin", "-timeout", "10"], { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    p.stdout.on("data", (d: Buffer) => (output += d.toString()));
    p.stderr.on("data", (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => p.kill("SIGKILL"), timeoutMs);
    p.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, output: output.slice(-2000) });
    });
  });
}

describe.skipIf(!requireTool("sipp"))("SIPp interop (UDP)", () => {
  it("SIPp uac → our UAS: INVITE/180/200/ACK/BYE/200", async () => {
    const uas = await SipStack.open({ address: "127.1.10.2", port: 0, protocols: ["udp"] });
    stacks.push(uas);
    const methods: string[] = [];
    let acks = 0;
    uas.onAck(() => acks++);
    uas.onRequest((ctx) => {
      methods.push(ctx.method);
      if (ctx.method === "INVITE") {
        ctx.respond(180);
        ctx.respond(200, { headers: [["Contact", `<sip:uas@127.1.10.2:${uas.transport.local.port}>`]] });
      } else ctx.respond(200);
    });
    const r = await sipp(["-sn", "uac", "-i", "127.1.10.1", "-p", String(sippPort()), `127.1.10.2:${uas.transport.local.port}`]);
    expect(r.code, r.output).toBe(0);
    expect(methods).toEqual(["INVITE", "BYE"]);
    expect(acks).toBe(1);
  });

  it("SIPp uac → our proxy (Record-Route) → SIPp uas", async () => {
    const uasPort = sippPort();
    const uasTarget = `sip:service@127.1.10.4:${uasPort}`;
    const proxy = await SipStack.open({ address: "127.1.10.3", port: 0, protocols: ["udp"], tryingDelay: 0 });
    stacks.push(proxy);
    const forwarded: string[] = [];
    proxy.onRequest((ctx) => {
      forwarded.push(ctx.method);
      void ctx.forward({ uri: uasTarget }, { recordRoute: true });
    });
    // SIPp's built-in uac keeps no route set: its ACK and BYE name the proxy, which sends them on.
    proxy.onAck((_ack, forward) => void forward({ uri: uasTarget }));
    const uas = sipp(["-sn", "uas", "-i", "127.1.10.4", "-p", String(uasPort)]);
    await new Promise((r) => setTimeout(r, 300)); // let SIPp bind
    const uac = await sipp([
      "-sn",
      "uac",
      "-i",
      "127.1.10.5",
      "-p",
      String(sippPort()),
      `127.1.10.3:${proxy.transport.local.port}`,
    ]);
    const uasResult = await uas;
    expect(uac.code, uac.output).toBe(0);
    expect(uasResult.code, uasResult.output).toBe(0);
    expect(forwarded).toEqual(["INVITE", "BYE"]);
  });
});
