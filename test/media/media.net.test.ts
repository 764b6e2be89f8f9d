/**
 * Media anchoring end to end (DESIGN.md "Call": with the relay on, the P-CSCF rewrites SDP so
 * RTP/RTCP flows through it): a → b through the in-process lab, both UEs on the one P-CSCF, so the
 * call is two relay sessions (originating and terminating pass). Each UE's SDP names the relay, RTP
 * from plain sockets crosses it both ways unchanged, and BYE deletes both sessions. Then the same
 * with Debian's rtpengine (userspace) as the relay.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { LabConfig } from "@ims/lab";
import { NgClient } from "@ims/rtp-relay";
import { requireTool } from "@ims/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sdp } from "../support/call-ue.js";
import { testLabConfig } from "../support/in-process-lab.js";
import { type MediaLab, type Received, mediaAddress, placeCall, rtpEndpoint, sendUntil, startMediaLab } from "./media-call.js";

const CORE = ["dns", "hss", "scscf", "icscf", "pcscf"];

function withRelay(net: number, rtp: Partial<LabConfig["rtp"]>): LabConfig {
  const c = testLabConfig(net);
  return { ...c, rtp: { ...c.rtp, enabled: true, ...rtp } };
}

/** The scenario both relays must pass. */
function mediaScenario(get: () => { m: MediaLab; ng: NgClient; relay: string }): void {
  it("each UE's SDP points at the relay, RTP crosses it both ways unchanged, a re-INVITE keeps it anchored, BYE deletes the sessions", async () => {
    const { m, ng, relay } = get();
    const aMedia = { address: m.a.ue.options.address, port: 40000 };
    const bMedia = { address: m.b.ue.options.address, port: 40002 };
    const ra = await rtpEndpoint(aMedia.address, aMedia.port);
    const rb = await rtpEndpoint(bMedia.address, bMedia.port);
    try {
      const { callId, final, dialog, inviteAtB } = await placeCall(m.a, m.b);
      const towardsB = mediaAddress(final.body.toString()); // where a sends
      const towardsA = mediaAddress(inviteAtB); // where b sends
      expect(towardsB.address).toBe(relay);
      expect(towardsA.address).toBe(relay);
      // No c= line (session or media level) still names the other UE (o= is informative only).
      expect(final.body.toString()).not.toContain(`c=IN IP4 ${bMedia.address}`);
      expect(inviteAtB).not.toContain(`c=IN IP4 ${aMedia.address}`);

      const fromA = Buffer.from("payload a→b, unchanged ".repeat(6));
      const atB = await sendUntil(ra.socket, towardsB, fromA, rb.next());
      expect(atB.from.address).toBe(relay);
      expect(atB.data.subarray(12)).toEqual(fromA);
      const fromB = Buffer.from("payload b→a ".repeat(10));
      const atA = await sendUntil(rb.socket, towardsA, fromB, ra.next());
      expect(atA.from.address).toBe(relay);
      expect(atA.from.port).toBe(towardsB.port); // symmetric: the port a sends to is the one it hears from
      expect(atA.data.subarray(12)).toEqual(fromB);

      // RTCP on the next port (or a=rtcp, RFC 3605) crosses the relay too.
      const rtcpB = await rtpEndpoint(bMedia.address, bMedia.port + 1);
      const rtcpA = await rtpEndpoint(aMedia.address, aMedia.port + 1);
      try {
        const rtcpPort = Number(/^a=rtcp:(\d+)/m.exec(final.body.toString())?.[1] ?? towardsB.port + 1);
        const report = Buffer.from([0x80, 0xc8, 0x00, 0x06, ...Array<number>(24).fill(7)]); // an RTCP SR
        const gotRtcp = await new Promise<Received>((resolve, reject) => {
          const next = rtcpB.next(undefined, 2_000);
          const timer = setInterval(() => rtcpA.socket.send(report, rtcpPort, relay), 20);
          rtcpA.socket.send(report, rtcpPort, relay);
          next.then(resolve, reject).finally(() => clearInterval(timer));
        });
        expect(gotRtcp.from.address).toBe(relay);
        expect(gotRtcp.data).toEqual(report);
      } finally {
        rtcpA.socket.close();
        rtcpB.socket.close();
      }

      // A re-INVITE (a's new SDP version) updates the sessions: b's answer still reaches a via the relay.
      const re = m.a.inDialog(dialog, "INVITE", { body: sdp(aMedia.address, aMedia.port, 2) });
      const reFinal = await re.final;
      expect(reFinal.status).toBe(200);
      expect(mediaAddress(reFinal.body.toString()).address).toBe(relay);
      await m.a.ackInDialog(dialog, re.request);
      const fromA2 = Buffer.from("after the re-INVITE ".repeat(8));
      const again = await sendUntil(ra.socket, mediaAddress(reFinal.body.toString()), fromA2, rb.next((r) => r.data.subarray(12).equals(fromA2)));
      expect(again.from.address).toBe(relay);

      for (const id of [callId, `${callId}-term`]) expect((await ng.query({ callId: id })).ok, `session ${id} before BYE`).toBe(true);
      expect((await m.a.inDialog(dialog, "BYE").final).status).toBe(200);
      for (const id of [callId, `${callId}-term`]) {
        let gone = false;
        for (let i = 0; i < 20 && !gone; i++) {
          gone = !(await ng.query({ callId: id })).ok;
          if (!gone) await new Promise((r) => setTimeout(r, 50));
        }
        expect(gone, `session ${id} deleted after BYE`).toBe(true);
      }
    } finally {
      ra.socket.close();
      rb.socket.close();
    }
  });
}

describe("media through our relay (rtp-relay over ng)", () => {
  let m: MediaLab;
  let ng: NgClient;
  const config = withRelay(70, {});
  beforeAll(async () => {
    m = await startMediaLab(config, [...CORE, "rtp"]);
    ng = await NgClient.open({ address: config.rtp.address, port: config.rtp.controlPort, localAddress: "127.5.70.9" });
  });
  afterAll(async () => {
    ng?.close();
    await m?.stop();
  });
  mediaScenario(() => ({ m, ng, relay: config.rtp.address }));
});

describe.skipIf(!requireTool("rtpengine"))("media through Debian's rtpengine (userspace)", () => {
  const RTPENGINE = "127.5.72.88";
  let m: MediaLab;
  let ng: NgClient;
  let daemon: ChildProcess;
  const dir = mkdtempSync(join(tmpdir(), "rtpengine-media-"));
  const config = withRelay(72, { address: RTPENGINE, controlPort: 2223, portMin: 33000, portMax: 33099 });
  beforeAll(async () => {
    daemon = spawn(
      "rtpengine",
      [`--interface=${RTPENGINE}`, `--listen-ng=${RTPENGINE}:2223`, "--table=-1", "--foreground", "--log-stderr",
        "--port-min=33000", "--port-max=33099", "--delete-delay=0", `--pidfile=${join(dir, "rtpengine.pid")}`],
      { stdio: ["ignore", "ignore", "pipe"] },
    );
    let log = "";
    daemon.stderr?.on("data", (d: Buffer) => (log += d.toString()));
    ng = await NgClient.open({ address: RTPENGINE, port: 2223, localAddress: "127.5.72.9", retryMs: 200, retries: 1 });
    for (let i = 0; !(await ng.ping()).ok; i++) {
      if (i > 25 || daemon.exitCode !== null) throw new Error(`rtpengine did not come up: ${log.slice(-500)}`);
    }
    m = await startMediaLab(config, CORE); // the P-CSCF's MediaAnchor points at rtpengine (config.rtp)
  });
  afterAll(async () => {
    ng?.close();
    await m?.stop();
    if (daemon?.pid !== undefined && daemon.exitCode === null) daemon.kill("SIGTERM");
    rmSync(dir, { recursive: true, force: true });
  });
  mediaScenario(() => ({ m, ng, relay: RTPENGINE }));
});
