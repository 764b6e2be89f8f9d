/**
 * The relay as a process piece: the ng control socket, the media plane and the call table wired
 * together, with a periodic sweep that times out dead calls and old cached replies.
 */
import { createSocket, type Socket } from "node:dgram";
import { ImsError, systemClock, type Clock, type Logger, type PacketTap, type TimerHandle } from "@ims/runtime";
import { CallTable } from "../call/call-table.js";
import { PortAllocator } from "../media/port-allocator.js";
import { NgHandler } from "../ng/ng-handler.js";
import { UdpMediaPlane } from "./udp-media-plane.js";
import { ThreadedMediaPlane } from "./threaded-media-plane.js";

export interface RtpRelayOptions {
  /** The relay's address: control and media sockets bind here and SDP points here. */
  readonly address: string;
  readonly controlPort: number;
  readonly portMin: number;
  readonly portMax: number;
  /** A call with no media and no signalling for this long is deleted (rtpengine's --timeout, 60 s). */
  readonly timeoutMs?: number;
  readonly logger?: Logger;
  readonly tap?: PacketTap;
  readonly clock?: Clock;
  /**
   * Forward media in this many worker threads (0, the default: in the control thread). Needs the
   * built dist/ and the system clock; a `tap` keeps media in the control thread (it must see every packet).
   */
  readonly mediaThreads?: number;
}

export interface RtpRelayStats {
  readonly calls: number;
  readonly portPairsInUse: number;
  readonly portPairsFree: number;
  readonly commands: number;
  readonly commandErrors: number;
  readonly packetsReceived: number;
  readonly packetsForwarded: number;
  readonly packetsDropped: number;
  readonly callsTimedOut: number;
}

export interface RtpRelayLegState {
  readonly side: "A" | "B";
  readonly index: number;
  readonly rtpPort: number;
  readonly rtcpPort: number;
  readonly peer: string | undefined;
  readonly latched: boolean;
  readonly packets: number;
  readonly lost: number;
  readonly jitterMs: number;
}

export interface RtpRelayCallState {
  readonly callId: string;
  readonly fromTag: string;
  readonly toTag: string | undefined;
  readonly legs: readonly RtpRelayLegState[];
}

export interface RtpRelay {
  readonly address: string;
  readonly controlPort: number;
  stop(): Promise<void>;
  state(): { readonly calls: readonly RtpRelayCallState[] };
  stats(): RtpRelayStats;
}

export async function startRtpRelay(opts: RtpRelayOptions): Promise<RtpRelay> {
  const clock = opts.clock ?? systemClock;
  const timeoutMs = opts.timeoutMs ?? 60_000;
  if (!(timeoutMs > 0)) throw new ImsError("config", `timeoutMs must be positive, got ${timeoutMs}`);
  const log = opts.logger;
  const allocator = new PortAllocator(opts.portMin, opts.portMax);
  const threads = opts.tap === undefined ? (opts.mediaThreads ?? 0) : 0;
  const media = threads > 0 ? new ThreadedMediaPlane(opts.address, threads, clock, log) : new UdpMediaPlane(opts.address, clock, opts.tap, log);
  const calls = new CallTable({ address: opts.address, allocator, media, clock, timeoutMs });
  const ng = new NgHandler(log === undefined ? { calls, clock } : { calls, clock, logger: log });

  const control = createSocket("udp4");
  await new Promise<void>((resolve, reject) => {
    control.once("error", (e) => reject(new ImsError("bind", `rtp-relay control ${opts.address}:${opts.controlPort}: ${e.message}`, { cause: e })));
    control.bind(opts.controlPort, opts.address, () => resolve());
  });
  control.on("error", (e) => log?.warn({ err: e.message }, "ng control socket error"));
  const local = { address: opts.address, port: opts.controlPort };
  control.on("message", (msg, rinfo) => {
    const peer = { address: rinfo.address, port: rinfo.port };
    opts.tap?.({ transport: "udp", direction: "in", src: peer, dst: local, data: msg });
    void ng.handle(msg).then((reply) => {
      if (reply === undefined) return;
      opts.tap?.({ transport: "udp", direction: "out", src: local, dst: peer, data: reply });
      sendQuietly(control, reply, peer.port, peer.address);
    }, (e: unknown) => log?.error({ err: String(e) }, "ng command failed"));
  });

  let timedOut = 0;
  let timer: TimerHandle | undefined;
  const sweepEvery = Math.min(1000, Math.max(10, Math.floor(timeoutMs / 4)));
  const sweep = (): void => {
    const dead = calls.sweep();
    timedOut += dead.length;
    if (dead.length > 0) log?.info({ calls: dead }, "rtp-relay: calls timed out");
    ng.sweepCache();
    timer = clock.setTimer(sweepEvery, sweep);
  };
  timer = clock.setTimer(sweepEvery, sweep);
  log?.info({ address: opts.address, controlPort: opts.controlPort, ports: `${opts.portMin}-${opts.portMax}` }, "rtp-relay started");

  return {
    address: opts.address,
    controlPort: opts.controlPort,
    async stop() {
      timer?.cancel();
      for (const id of calls.list()) calls.delete(id);
      if (media instanceof ThreadedMediaPlane) await media.stop();
      else media.closeAll();
      await new Promise<void>((resolve) => control.close(() => resolve()));
    },
    state() {
      return {
        calls: calls.list().map((id) => {
          const c = calls.get(id)!;
          return {
            callId: id,
            fromTag: c.fromTag,
            toTag: c.toTag,
            legs: c.allLegs().map((l) => {
              const snap = l.snapshot();
              const s = snap.rtp;
              const d = snap.rtpDestination;
              return {
                side: l.side, index: l.index, rtpPort: l.ports.rtp, rtcpPort: l.ports.rtcp,
                peer: d === undefined ? undefined : `${d.address}:${d.port}`, latched: snap.rtpLatched,
                packets: s.packets, lost: s.lost, jitterMs: s.jitterMs,
              };
            }),
          };
        }),
      };
    },
    stats() {
      return {
        calls: calls.size,
        portPairsInUse: allocator.used,
        portPairsFree: allocator.capacity - allocator.used,
        commands: ng.commands,
        commandErrors: ng.errors,
        packetsReceived: media.counters.received,
        packetsForwarded: media.counters.forwarded,
        packetsDropped: media.counters.dropped,
        callsTimedOut: timedOut,
      };
    },
  };
}

function sendQuietly(socket: Socket, data: Buffer, port: number, address: string): void {
  try {
    socket.send(data, port, address);
  } catch {
    // The socket closed while a command was running (stop()): nothing to answer on.
  }
}
