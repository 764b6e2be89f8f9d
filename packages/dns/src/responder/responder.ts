/**
 * The DNS responder's sockets: UDP and TCP (RFC 1035 §4.2, RFC 7766 length-prefixed framing, several
 * queries per connection) on one address and port, around the pure `answerQuery`. Our own
 * node:dgram/node:net sockets rather than dns2's server: dns2 drops a query it cannot parse (so no
 * FORMERR can be sent), has no NAPTR codec, and its bit-by-bit codec caps the rate far below ours.
 */
import { createSocket, type Socket as UdpSocket } from "node:dgram";
import { createServer, type Server, type Socket } from "node:net";
import { type Logger, type PacketTap, silentLogger } from "@ims/runtime";
import { type Zone, ZoneSet } from "../zone/zone.js";
import { AnswerCache } from "./answer-cache.js";
import { explainBindError } from "./bind-error.js";

export interface ResponderOptions {
  readonly zones: ZoneSet | Zone | readonly Zone[];
  readonly address: string;
  readonly port: number;
  readonly logger?: Logger;
  /** Close an idle TCP connection after this many ms (RFC 7766 §6.2.3). Default 10 s. */
  readonly tcpIdleMs?: number;
  /** Reports every datagram and stream chunk in and out, for the lab's capture. */
  readonly tap?: PacketTap;
}

export interface DnsResponder {
  readonly address: string;
  readonly port: number;
  stop(): Promise<void>;
}

function toZoneSet(z: ResponderOptions["zones"]): ZoneSet {
  if (z instanceof ZoneSet) return z;
  return new ZoneSet(Array.isArray(z) ? (z as readonly Zone[]) : [z as Zone]);
}

function bindUdp(socket: UdpSocket, address: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (e: Error): void => reject(explainBindError(e, address, port, "udp"));
    socket.once("error", onError);
    socket.bind({ address, port, exclusive: true }, () => {
      socket.off("error", onError);
      resolve();
    });
  });
}

function listenTcp(server: Server, address: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (e: Error): void => reject(explainBindError(e, address, port, "tcp"));
    server.once("error", onError);
    server.listen({ host: address, port, exclusive: true }, () => {
      server.off("error", onError);
      resolve();
    });
  });
}

/** Starts answering on `address:port` (UDP and TCP). Rejects with an ImsError("dns-bind") that explains a failed bind. */
export async function startResponder(options: ResponderOptions): Promise<DnsResponder> {
  const zones = toZoneSet(options.zones);
  const answers = new AnswerCache(zones);
  const log = options.logger ?? silentLogger();
  const idleMs = options.tcpIdleMs ?? 10_000;
  const debug = log.isLevelEnabled("debug");
  const udp = createSocket({ type: options.address.includes(":") ? "udp6" : "udp4" });
  const connections = new Set<Socket>();

  const tap = options.tap;
  udp.on("message", (msg, rinfo) => {
    const remote = tap && { address: rinfo.address, port: rinfo.port };
    const local = tap && { address: options.address, port };
    if (tap && remote && local) tap({ transport: "udp", direction: "in", src: remote, dst: local, data: msg });
    const out = answers.answer(msg, "udp");
    if (debug) log.debug({ proto: "udp", from: `${rinfo.address}:${rinfo.port}`, bytes: msg.length, rcode: out?.rcode }, "dns query");
    if (out === undefined) return;
    udp.send(out.response, rinfo.port, rinfo.address);
    if (tap && remote && local) tap({ transport: "udp", direction: "out", src: local, dst: remote, data: out.response });
  });
  try {
    await bindUdp(udp, options.address, options.port);
  } catch (e) {
    udp.close();
    throw e;
  }
  udp.on("error", (e) => log.warn({ err: e.message }, "dns udp socket error"));
  const port = udp.address().port;

  const tcp = createServer((socket) => serveTcp(socket, answers, { idleMs, log, debug, connections, tap }));
  try {
    await listenTcp(tcp, options.address, port);
  } catch (e) {
    udp.close();
    throw e;
  }
  tcp.on("error", (e) => log.warn({ err: e.message }, "dns tcp server error"));
  log.info({ address: options.address, port, zones: zones.list().map((z) => z.origin) }, "dns responder listening");

  let stopped: Promise<void> | undefined;
  return {
    address: options.address,
    port,
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        for (const c of connections) c.destroy();
        let open = 2;
        const done = (): void => {
          if (--open === 0) resolve();
        };
        udp.close(done);
        tcp.close(() => done());
      });
      return stopped;
    },
  };
}

interface TcpContext {
  readonly idleMs: number;
  readonly log: Logger;
  readonly debug: boolean;
  readonly connections: Set<Socket>;
  readonly tap: PacketTap | undefined;
}

function serveTcp(socket: Socket, answers: AnswerCache, ctx: TcpContext): void {
  const { idleMs, log, debug, connections, tap } = ctx;
  const remote = { address: socket.remoteAddress ?? "", port: socket.remotePort ?? 0 };
  const local = { address: socket.localAddress ?? "", port: socket.localPort ?? 0 };
  connections.add(socket);
  socket.setTimeout(idleMs, () => socket.destroy());
  socket.on("close", () => connections.delete(socket));
  socket.on("error", () => socket.destroy());
  let buffered: Buffer = Buffer.alloc(0);
  socket.on("data", (chunk: Buffer) => {
    tap?.({ transport: "tcp", direction: "in", src: remote, dst: local, data: chunk });
    buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
    while (buffered.length >= 2) {
      const len = buffered.readUInt16BE(0);
      if (buffered.length < 2 + len) break;
      const msg = buffered.subarray(2, 2 + len);
      buffered = buffered.subarray(2 + len);
      const out = answers.answer(msg, "tcp");
      if (debug) log.debug({ proto: "tcp", from: `${socket.remoteAddress}:${socket.remotePort}`, bytes: len, rcode: out?.rcode }, "dns query");
      if (out === undefined) {
        // Not even a header: the stream cannot be trusted any further.
        socket.destroy();
        return;
      }
      const frame = Buffer.allocUnsafe(2 + out.response.length);
      frame.writeUInt16BE(out.response.length, 0);
      frame.set(out.response, 2);
      socket.write(frame);
      tap?.({ transport: "tcp", direction: "out", src: local, dst: remote, data: frame });
    }
  });
}
