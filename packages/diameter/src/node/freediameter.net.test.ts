import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type TappedPacket, requireTool } from "@ims/runtime";
import { type DiameterMessage, CMD_FLAG, DiameterFramer, decodeMessage, getValue } from "../codec/index.js";
import { DiameterNode } from "./node.js";

/**
 * Interop with Debian's freeDiameterd 1.2.1 (base peer only): it connects to our node, CER/CEA brings
 * the peer to open on both sides, and its DWR (TwTimer 6 s) gets our DWA.
 */
const OUR_IP = "127.2.3.1";
const OUR_PORT = 3868;
const FD_PORT = 5875; // freeDiameterd binds 0.0.0.0 on its own Port whatever ListenOn says
const OURS = "ims.test";
const FD = "fd.test";

function messages(packets: readonly TappedPacket[], direction: "in" | "out"): DiameterMessage[] {
  const framer = new DiameterFramer();
  const out: DiameterMessage[] = [];
  for (const p of packets) {
    if (p.direction !== direction) continue;
    const r = framer.push(p.data);
    if (!r.ok) continue;
    for (const f of r.value) {
      const m = decodeMessage(f);
      if (m.ok) out.push(m.value);
    }
  }
  return out;
}

async function until(cond: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.skipIf(!requireTool("freeDiameterd"))("freeDiameterd interop", () => {
  const dir = mkdtempSync(join(tmpdir(), "fd-interop-"));
  let fd: ChildProcess | undefined;
  let node: DiameterNode | undefined;
  let log = "";

  afterAll(async () => {
    await node?.stop();
    if (fd?.pid !== undefined && fd.exitCode === null) fd.kill("SIGTERM");
    rmSync(dir, { recursive: true, force: true });
  });

  it("freeDiameterd connects, both sides reach the open state with CER/CEA, and its DWR is answered", async () => {
    const cert = spawnSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", `/CN=${FD}`, "-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem")], { stdio: "ignore" });
    expect(cert.status).toBe(0);
    writeFileSync(
      join(dir, "fd.conf"),
      [
        `Identity = "${FD}";`,
        `Realm = "test";`,
        `Port = ${FD_PORT};`,
        `SecPort = ${FD_PORT + 1};`,
        "No_SCTP;",
        "No_IPv6;",
        "TwTimer = 6;",
        `TLS_Cred = "${join(dir, "cert.pem")}", "${join(dir, "key.pem")}";`,
        `TLS_CA = "${join(dir, "cert.pem")}";`,
        `ConnectPeer = "${OURS}" { ConnectTo = "${OUR_IP}"; Port = ${OUR_PORT}; No_TLS; };`,
        "",
      ].join("\n"),
    );
    const packets: TappedPacket[] = [];
    node = await DiameterNode.start({
      originHost: OURS,
      originRealm: "test",
      bindAddress: OUR_IP,
      listenPort: OUR_PORT,
      peers: [{ host: FD, address: "127.0.0.1", connect: false }],
      tap: (p) => packets.push(p),
    });
    fd = spawn("freeDiameterd", ["-c", join(dir, "fd.conf"), "-dd"], { stdio: ["ignore", "pipe", "pipe"] });
    fd.stdout?.on("data", (d: Buffer) => (log += d.toString()));
    fd.stderr?.on("data", (d: Buffer) => (log += d.toString()));

    expect(await node.waitForPeerOpen(FD, 15_000)).toBe(true);
    const status = node.peerStatus(FD);
    expect(status?.state).toBe("R-Open");
    expect(status?.capabilities).toMatchObject({ originHost: FD, productName: "freeDiameter", relay: true });

    const isDwr = (m: DiameterMessage): boolean => m.commandCode === 280 && (m.flags & CMD_FLAG.R) !== 0;
    const isDwa = (m: DiameterMessage): boolean => m.commandCode === 280 && (m.flags & CMD_FLAG.R) === 0;
    // The peer is open once our CEA is queued; the tap sees it when the connection flushes.
    await until(() => messages(packets, "out").some((m) => m.commandCode === 257), 1_000);
    const cea = messages(packets, "out").find((m) => m.commandCode === 257);
    expect(cea === undefined ? undefined : getValue(cea, "Result-Code")).toBe(2001);
    await until(() => /STATE_OPEN/.test(log), 5_000);
    expect(log).toMatch(/-> 'STATE_OPEN'\s+'ims\.test'/);

    // Our Tw is 30 s, so freeDiameterd's watchdog (TwTimer 6 s) fires first: its DWR gets our DWA.
    const answeredDwr = (): DiameterMessage | undefined => {
      const answered = new Set(messages(packets, "out").filter(isDwa).map((m) => m.hopByHop));
      return messages(packets, "in").find((m) => isDwr(m) && answered.has(m.hopByHop));
    };
    await until(() => answeredDwr() !== undefined, 15_000);
    expect(getValue(answeredDwr() as DiameterMessage, "Origin-Host")).toBe(FD);
    const dwa = messages(packets, "out").find(isDwa) as DiameterMessage;
    expect([getValue(dwa, "Result-Code"), getValue(dwa, "Origin-Host")]).toEqual([2001, OURS]);
    expect(node.peerStatus(FD)).toMatchObject({ state: "R-Open", watchdog: "OKAY" });
    expect(fd.exitCode).toBe(null);
  }, 40_000);
});
