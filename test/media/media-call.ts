/**
 * A call a → b through an in-process lab whose P-CSCF anchors media in a relay (ours or rtpengine),
 * with two plain RTP endpoints at the addresses and ports the UEs put in their SDP.
 */
import { createSocket, type RemoteInfo, type Socket } from "node:dgram";
import type { LabConfig } from "@ims/lab";
import { buildRtpPacket } from "@ims/rtp-relay";
import { type SipResponse, getHeader } from "@ims/sip";
import { type InProcessLab, startInProcessLab } from "../support/in-process-lab.js";
import { CallUe, type Dialog } from "../support/call-ue.js";

export interface MediaLab {
  readonly lab: InProcessLab;
  readonly a: CallUe;
  readonly b: CallUe;
  stop(): Promise<void>;
}

/** The lab on `config` (relay settings included), with a and b registered on its P-CSCF. */
export async function startMediaLab(config: LabConfig, roles: readonly string[]): Promise<MediaLab> {
  const lab = await startInProcessLab(config, [...roles]);
  const pc = config.pcscf[0]!;
  const ues: CallUe[] = [];
  try {
    for (const [i, [user, password]] of [["a", "apass"], ["b", "bpass"]].entries()) {
      const net = config.icscf.address.split(".")[2];
      const ue = await CallUe.start({ address: `127.5.${net}.${100 + i}`, port: 5066, domain: config.domain, user: user!, password: password!, proxy: { address: pc.address, port: pc.port } });
      ues.push(ue);
      const r = await ue.register();
      if (r.final.status !== 200) throw new Error(`${user} did not register: ${r.final.status}`);
    }
  } catch (e) {
    for (const u of ues) await u.stop().catch(() => undefined);
    await lab.stop();
    throw e;
  }
  return {
    lab,
    a: ues[0]!,
    b: ues[1]!,
    stop: async () => {
      for (const u of ues) await u.stop().catch(() => undefined);
      await lab.stop();
    },
  };
}

/** c= and the first m=audio port of an SDP. */
export function mediaAddress(sdp: string): { address: string; port: number } {
  const c = /^c=IN IP4 (\S+)/m.exec(sdp);
  const m = /^m=audio (\d+)/m.exec(sdp);
  if (c === null || m === null) throw new Error(`no c=/m=audio in ${sdp}`);
  return { address: c[1]!, port: Number(m[1]) };
}

export interface Received {
  readonly data: Buffer;
  readonly from: RemoteInfo;
}

/** A UDP socket bound at a UE's SDP address and port, keeping what it receives. */
export async function rtpEndpoint(
  address: string,
  port: number,
): Promise<{ socket: Socket; received: Received[]; next(match?: (r: Received) => boolean, timeoutMs?: number): Promise<Received> }> {
  const socket = createSocket("udp4");
  const received: Received[] = [];
  let waiter: ((r: Received) => void) | undefined;
  socket.on("message", (data, from) => {
    received.push({ data, from });
    waiter?.({ data, from });
  });
  const any = (): boolean => true;
  await new Promise<void>((resolve, reject) => {
    socket.once("error", reject);
    socket.bind(port, address, () => resolve());
  });
  return {
    socket,
    received,
    next: (match = any, timeoutMs = 2_000) =>
      new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no RTP at ${address}:${port} within ${timeoutMs} ms`)), timeoutMs);
        waiter = (r) => {
          if (!match(r)) return;
          clearTimeout(t);
          waiter = undefined;
          resolve(r);
        };
      }),
  };
}

/** Sends RTP from `from` to `to` every 20 ms until `until` resolves (the relay may need a moment). */
export async function sendUntil(from: Socket, to: { address: string; port: number }, payload: Buffer, until: Promise<Received>): Promise<Received> {
  let seq = 1;
  const send = (): void => {
    seq++;
    from.send(buildRtpPacket(seq, seq * 160, { payload }), to.port, to.address);
  };
  send();
  const timer = setInterval(send, 20);
  try {
    return await until;
  } finally {
    clearInterval(timer);
  }
}

/** The call's id and the dialog of a. */
export async function placeCall(a: CallUe, b: CallUe): Promise<{ callId: string; final: SipResponse; dialog: Dialog; inviteAtB: string }> {
  const { call, final, dialog } = await a.call(b.impu);
  if (final.status !== 200 || dialog === undefined) throw new Error(`call failed: ${final.status}`);
  const callId = getHeader(call.invite, "call-id") ?? "";
  const inviteAtB = await b.waitForMethod("INVITE", callId);
  return { callId, final, dialog, inviteAtB: inviteAtB.body.toString() };
}
