/**
 * The real transport of a node: one UDP socket and one TCP listener/pool on the node's own
 * address and port (only this directory opens sockets). Implements the `SipTransport` seam.
 *
 * - Inbound: §18.2.1 (received/rport), malformed requests answered with their parse error's status.
 * - Outbound: to a `Destination`; a response's destination comes from `responseDestination`.
 * - §18.1.1 size rule (a request larger than MTU − 200 bytes goes over TCP instead of UDP, top Via
 *   rewritten): configurable, off by default since IMS clients on loopback do not expect it.
 */
import { type Clock, type Endpoint, type Logger, type PacketTap, silentLogger, systemClock } from "@ims/runtime";
import { type ParseLimits, type SipMessage, serializeMessage } from "../message/index.js";
import { answerStreamError, processInbound } from "./inbound.js";
import { TcpPool } from "./tcp-pool.js";
import { serializeVia } from "../headers/index.js";
import { getTopVia, replaceTopVia } from "./top-via.js";
import type { Destination, Inbound, SipTransport, TransportProtocol } from "./types.js";
import { UdpSocket } from "./udp-socket.js";

export interface NetTransportOptions {
  readonly address: string;
  /** 0 picks a free port (the same one for UDP and TCP is then not guaranteed). */
  readonly port: number;
  readonly protocols?: readonly TransportProtocol[];
  readonly clock?: Clock;
  readonly logger?: Logger;
  readonly tap?: PacketTap;
  readonly limits?: Partial<ParseLimits>;
  readonly tcpIdleTimeoutMs?: number;
  /** Accepted TCP connections from one address at most (default 256). */
  readonly tcpMaxConnectionsPerAddress?: number;
  /** §18.1.1: switch large requests from UDP to TCP. Off by default. */
  readonly udpSizeRule?: boolean;
  /** Path MTU for the size rule; default 1500 (requests above 1300 bytes switch). */
  readonly mtu?: number;
}

const peerOf = (d: Destination) => `${d.address}:${d.port}`;
const startLine = (m: SipMessage) => (m.kind === "request" ? `${m.method} ${m.uri}` : `${m.status} ${m.reason}`);

export class NetTransport implements SipTransport {
  private handler: (inbound: Inbound) => void = () => undefined;
  /** One debug line per message in/out; decided once so a quiet node pays nothing per message. */
  private readonly debug: boolean;

  private constructor(
    readonly local: Endpoint,
    private readonly udp: UdpSocket | undefined,
    private readonly tcp: TcpPool | undefined,
    private readonly options: NetTransportOptions,
    private readonly log: Logger,
  ) {
    this.debug = log.isLevelEnabled("debug");
    udp?.onPacket((data, remote) => this.receive(data, remote));
    tcp?.onMessage((data, remote) => this.receive(data, { transport: "tcp", address: remote.address, port: remote.port }));
    tcp?.onStreamError((e, remote, data) => {
      this.log.debug({ peer: `${remote.address}:${remote.port}`, reason: e.reason }, "sip tcp stream closed");
      const answer = answerStreamError(e, data, options.limits);
      return answer === undefined ? undefined : serializeMessage(answer);
    });
  }

  /** Binds UDP and/or TCP on `address:port`. Throws ImsError("bind-failed") when it cannot. */
  static async open(options: NetTransportOptions): Promise<NetTransport> {
    const protocols = options.protocols ?? ["udp", "tcp"];
    const local = { address: options.address, port: options.port };
    const udp = protocols.includes("udp") ? await UdpSocket.bind(local, options.tap) : undefined;
    const port = udp?.local.port ?? options.port;
    let tcp: TcpPool | undefined;
    try {
      tcp = protocols.includes("tcp")
        ? await TcpPool.listen({
            local: { address: options.address, port },
            clock: options.clock ?? systemClock,
            ...(options.tap === undefined ? {} : { tap: options.tap }),
            ...(options.limits === undefined ? {} : { limits: options.limits }),
            ...(options.tcpIdleTimeoutMs === undefined ? {} : { idleTimeoutMs: options.tcpIdleTimeoutMs }),
            ...(options.tcpMaxConnectionsPerAddress === undefined ? {} : { maxConnectionsPerAddress: options.tcpMaxConnectionsPerAddress }),
          })
        : undefined;
    } catch (e) {
      await udp?.close();
      throw e;
    }
    const finalPort = udp?.local.port ?? tcp?.local.port ?? port;
    return new NetTransport(
      { address: options.address, port: finalPort },
      udp,
      tcp,
      options,
      options.logger ?? silentLogger(),
    );
  }

  get protocols(): readonly TransportProtocol[] {
    const p: TransportProtocol[] = [];
    if (this.udp) p.push("udp");
    if (this.tcp) p.push("tcp");
    return p;
  }

  /** Open TCP connections. */
  get tcpConnections(): number {
    return this.tcp?.size ?? 0;
  }

  onMessage(handler: (inbound: Inbound) => void): void {
    this.handler = handler;
  }

  /** Sends (a failure rejects the Promise; nothing throws). Not async: one Promise per send, the socket's. */
  send(message: SipMessage, dest: Destination, bytes?: Buffer): Promise<void> {
    try {
      return this.sendNow(message, dest, bytes);
    } catch (e) {
      return Promise.reject(e);
    }
  }

  private sendNow(message: SipMessage, dest: Destination, bytes: Buffer | undefined): Promise<void> {
    let transport = dest.transport;
    let data = bytes ?? serializeMessage(message);
    if (
      this.options.udpSizeRule === true &&
      transport === "udp" &&
      message.kind === "request" &&
      this.tcp !== undefined &&
      data.length > (this.options.mtu ?? 1500) - 200
    ) {
      const via = getTopVia(message);
      if (via !== undefined) replaceTopVia(message, serializeVia({ ...via, transport: "TCP" }));
      transport = "tcp";
      data = serializeMessage(message);
    }
    if (this.debug) this.log.debug({ dir: "out", transport, peer: `${dest.address}:${dest.port}`, line: startLine(message) }, "sip out");
    if (transport === "udp") {
      if (this.udp === undefined) throw new Error("UDP not enabled on this transport");
      return this.udp.send(data, dest);
    }
    if (this.tcp === undefined) throw new Error("TCP not enabled on this transport");
    return this.tcp.send(data, { address: dest.address, port: dest.port });
  }

  private receive(data: Buffer, source: Destination): void {
    const outcome = processInbound(data, source, this.local, this.options.limits);
    switch (outcome.kind) {
      case "request":
      case "response":
        if (this.debug) this.log.debug({ dir: "in", transport: source.transport, peer: peerOf(source), line: startLine(outcome.message) }, "sip in");
        this.handler(outcome);
        return;
      case "reply":
        this.log.debug({ dir: "in", transport: source.transport, peer: peerOf(source), reason: outcome.reason }, "sip malformed");
        this.send(outcome.response, source).catch(() => undefined);
        return;
      case "drop":
        this.log.debug({ dir: "in", transport: source.transport, peer: peerOf(source), reason: outcome.reason }, "sip dropped");
        return;
    }
  }

  async close(): Promise<void> {
    await Promise.all([this.udp?.close(), this.tcp?.close()]);
  }
}
