/**
 * The NgClient against the real thing: Debian's rtpengine in userspace mode (no kernel module, no
 * iptables), started on its own address and port range and killed afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import { createSocket, type RemoteInfo, type Socket } from "node:dgram";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { requireTool } from "@ims/runtime";
import { NgClient } from "./ng-client.js";
import { buildRtpPacket } from "../media/rtp-packet.js";

const RTPENGINE = "127.5.7.20";
const NG_PORT = 2223;
const A = "127.5.7.21";
const B = "127.5.7.22";
const sdpOf = (addr: string, port: number) =>
  `v=0\r\no=- 1 1 IN IP4 ${addr}\r\ns=Café\r\nc=IN IP4 ${addr}\r\nt=0 0\r\nm=audio ${port} RTP/AVP 8\r\na=rtpmap:8 PCMA/8000\r\n`;
const mPort = (sdp: string) => Number(/m=audio (\d+)/.exec(sdp)![1]);

describe.skipIf(!requireTool("rtpengine"))("NgClient drives a real rtpengine (userspace)", () => {
  let daemon: ChildProcess;
  let client: NgClient;
  const dir = mkdtempSync(join(tmpdir(), "rtpengine-test-"));
  const sockets: Socket[] = [];

  beforeAll(async () => {
    daemon = spawn("rtpengine", [
      `--interface=${RTPENGINE}`, `--listen-ng=${RTPENGINE}:${NG_PORT}`, "--table=-1", "--foreground", "--log-stderr",
      "--port-min=32000", "--port-max=32099", "--delete-delay=0", `--pidfile=${join(dir, "rtpengine.pid")}`,
    ], { stdio: ["ignore", "ignore", "pipe"] });
    let log = "";
    daemon.stderr?.on("data", (d: Buffer) => (log += d.toString()));
    client = await NgClient.open({ address: RTPENGINE, port: NG_PORT, localAddress: "127.5.7.23", retryMs: 200, retries: 1 });
    for (let i = 0; ; i++) {
      if ((await client.ping()).ok) break;
      if (i > 25 || daemon.exitCode !== null) throw new Error(`rtpengine did not come up: ${log.slice(-500)}`);
    }
  });

  afterAll(() => {
    client?.close();
    for (const s of sockets) s.close();
    if (daemon?.pid !== undefined && daemon.exitCode === null) daemon.kill("SIGTERM");
    rmSync(dir, { recursive: true, force: true });
  });

  it("ping, offer/answer rewrite SDP to rtpengine's address, media flows, delete removes the call", async () => {
    const ping = await client.ping();
    expect(ping.ok && ping.value["result"]).toBe("pong");
    const ids = { callId: "rtpengine-interop-1", fromTag: "ta" };
    const offer = await client.offer(ids, sdpOf(A, 41000));
    if (!offer.ok) throw new Error(offer.error.reason);
    expect(offer.value.sdp).toContain(`c=IN IP4 ${RTPENGINE}\r\n`);
    expect(offer.value.sdp).toContain("s=Café\r\n");
    const portB = mPort(offer.value.sdp);
    expect(portB).toBeGreaterThanOrEqual(32000);
    expect(portB).toBeLessThanOrEqual(32099);
    const answer = await client.answer({ ...ids, toTag: "tb" }, sdpOf(B, 41100));
    if (!answer.ok) throw new Error(answer.error.reason);
    expect(answer.value.sdp).toContain(`c=IN IP4 ${RTPENGINE}\r\n`);
    const portA = mPort(answer.value.sdp);
    expect(portA).not.toBe(portB);

    const rx: { msg: Buffer; from: RemoteInfo }[] = [];
    const [a, b] = [createSocket("udp4"), createSocket("udp4")];
    sockets.push(a, b);
    b.on("message", (msg, from) => rx.push({ msg, from }));
    await Promise.all([new Promise<void>((r) => a.bind(41000, A, () => r())), new Promise<void>((r) => b.bind(41100, B, () => r()))]);
    const pkt = buildRtpPacket(1, 160, { payload: Buffer.alloc(160, 7) });
    for (let i = 0; i < 20 && rx.length === 0; i++) {
      a.send(pkt, portA, RTPENGINE);
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(rx.length).toBeGreaterThan(0);
    expect(rx[0]!.msg.equals(pkt)).toBe(true);
    expect(`${rx[0]!.from.address}:${rx[0]!.from.port}`).toBe(`${RTPENGINE}:${portB}`);

    const q = await client.query({ callId: ids.callId });
    expect(q.ok && q.value["result"]).toBe("ok");
    const del = await client.delete(ids);
    expect(del.ok).toBe(true);
    const gone = await client.query({ callId: ids.callId });
    expect(!gone.ok && gone.error.tag).toBe("ng-error");
  });

  it("maps rtpengine's error replies to ng-error", async () => {
    const r = await client.answer({ callId: "never-offered", fromTag: "x", toTag: "y" }, sdpOf(B, 41100));
    expect(!r.ok && r.error.tag).toBe("ng-error");
    expect(!r.ok && r.error.reason.length).toBeGreaterThan(0);
  });
});
