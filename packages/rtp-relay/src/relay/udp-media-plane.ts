/**
 * The media sockets: an RTP and an RTCP socket per leg, bound to the relay's address. A datagram
 * received on a leg is accounted, latched and sent unchanged out of the other leg's socket.
 * This file and start-rtp-relay.ts are the only places that touch node:dgram on the relay side.
 */
import { createSocket, type RemoteInfo, type Socket } from "node:dgram";
import { lookup as dnsLookup, type LookupOneOptions } from "node:dns";
import { isIPv4 } from "node:net";
import type { Clock, Logger, PacketTap } from "@ims/runtime";
import type { MediaPorts } from "../call/call-table.js";
import { routePacket, type Leg, type PacketKind } from "../call/leg.js";

interface LegSockets {
  readonly rtp: Socket;
  readonly rtcp: Socket;
}

export interface MediaCounters {
  received: number;
  forwarded: number;
  dropped: number;
  sendErrors: number;
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string, family: number) => void;

/**
 * dgram resolves the destination of every send() through dns.lookup, which for an IP literal
 * answers on the next tick: a closure and a tick per forwarded packet. Our destinations are IP
 * literals (latched sources, SDP addresses), so answer those at once; anything else still resolves.
 */
function literalLookup(hostname: string, options: LookupOneOptions, callback: LookupCallback): void {
  if (isIPv4(hostname)) callback(null, hostname, 4);
  // dgram passes the family as a bare number, not the options object its type says.
  else dnsLookup(hostname, typeof options === "number" ? { family: options } : options, callback);
}

function bind(address: string, port: number): Promise<Socket | undefined> {
  return new Promise((resolve) => {
    const s = createSocket({ type: "udp4", recvBufferSize: 1 << 20, sendBufferSize: 1 << 20, lookup: literalLookup });
    const onError = (): void => {
      s.close();
      resolve(undefined);
    };
    s.once("error", onError);
    s.bind(port, address, () => {
      s.off("error", onError);
      resolve(s);
    });
  });
}

export class UdpMediaPlane implements MediaPorts {
  private readonly sockets = new Map<Leg, LegSockets>();
  readonly counters: MediaCounters = { received: 0, forwarded: 0, dropped: 0, sendErrors: 0 };

  constructor(
    private readonly address: string,
    private readonly clock: Clock,
    private readonly tap: PacketTap | undefined,
    private readonly logger: Logger | undefined,
  ) {}

  get openSockets(): number {
    return this.sockets.size * 2;
  }

  async open(leg: Leg): Promise<boolean> {
    const rtp = await bind(this.address, leg.ports.rtp);
    if (rtp === undefined) return false;
    const rtcp = await bind(this.address, leg.ports.rtcp);
    if (rtcp === undefined) {
      rtp.close();
      return false;
    }
    this.sockets.set(leg, { rtp, rtcp });
    this.listen(leg, rtp, "rtp");
    this.listen(leg, rtcp, "rtcp");
    return true;
  }

  close(leg: Leg): void {
    const s = this.sockets.get(leg);
    if (s === undefined) return;
    this.sockets.delete(leg);
    s.rtp.close();
    s.rtcp.close();
  }

  closeAll(): void {
    for (const leg of [...this.sockets.keys()]) this.close(leg);
  }

  private listen(leg: Leg, socket: Socket, kind: PacketKind): void {
    const localPort = kind === "rtp" ? leg.ports.rtp : leg.ports.rtcp;
    socket.on("error", (e) => {
      // A send error (no callback is passed, to keep the per-packet path free of closures) lands here.
      this.counters.sendErrors++;
      this.logger?.debug({ err: e.message, port: localPort }, "media socket error");
    });
    socket.on("message", (msg: Buffer, rinfo: RemoteInfo) => {
      this.counters.received++;
      const tap = this.tap;
      if (tap !== undefined) {
        tap({ transport: "udp", direction: "in", src: { address: rinfo.address, port: rinfo.port }, dst: { address: this.address, port: localPort }, data: msg });
      }
      const route = routePacket(leg, kind, msg, rinfo.address, rinfo.port, this.clock.now());
      const out = route === undefined ? undefined : this.sockets.get(route.via);
      if (route === undefined || out === undefined) {
        this.counters.dropped++;
        return;
      }
      const via = kind === "rtp" ? out.rtp : out.rtcp;
      via.send(msg, route.to.port, route.to.address);
      this.counters.forwarded++;
      if (tap !== undefined) {
        const srcPort = kind === "rtp" ? route.via.ports.rtp : route.via.ports.rtcp;
        tap({ transport: "udp", direction: "out", src: { address: this.address, port: srcPort }, dst: route.to, data: msg });
      }
    });
  }
}
