/**
 * A stub DNS client over UDP with TCP fallback on TC=1 (RFC 1035 §4.2, RFC 7766 §5): random ids
 * (RFC 5452 §9.2), answers accepted only from the server queried and for the question asked,
 * retransmission and time-outs on the injected Clock. It sends from the node's own address.
 */
import { createSocket, type Socket as UdpSocket } from "node:dgram";
import { connect } from "node:net";
import { randomInt } from "node:crypto";
import { type Clock, type Endpoint, type PacketTap, type Result, type TimerHandle, ok, err } from "@ims/runtime";
import { decodeMessage } from "../wire/decode.js";
import { encodeMessage } from "../wire/encode.js";
import { type DnsMessage, RCODE, RR_CLASS, nameKey, rcodeName } from "../wire/types.js";
import type { DnsAnswer, DnsQueryError, DnsQueryErrorTag, DnsSource } from "./source.js";

export interface DnsServerConfig {
  readonly address: string;
  /** Default 53. */
  readonly port?: number;
  /** Source address of the queries (the node's own address). */
  readonly localAddress?: string;
  /** Per attempt, default 1000 ms. */
  readonly timeoutMs?: number;
  /** UDP attempts before giving up, default 2. */
  readonly attempts?: number;
  /** Reports every query and answer, for the lab's capture. */
  readonly tap?: PacketTap;
}

type Outcome = Result<DnsAnswer, DnsQueryError>;

interface Pending {
  readonly name: string;
  readonly type: number;
  readonly packet: Uint8Array;
  attemptsLeft: number;
  timer: TimerHandle;
  readonly resolve: (o: Outcome) => void;
}

export class DnsClient implements DnsSource {
  private readonly port: number;
  private readonly timeoutMs: number;
  private readonly attempts: number;
  private socket: UdpSocket | undefined;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly server: DnsServerConfig, private readonly clock: Clock) {
    this.port = server.port ?? 53;
    this.timeoutMs = server.timeoutMs ?? 1000;
    this.attempts = Math.max(1, server.attempts ?? 2);
  }

  query(name: string, type: number): Promise<Outcome> {
    return new Promise((resolve) => {
      let id = randomInt(0x10000);
      while (this.pending.has(id)) id = randomInt(0x10000);
      const packet = encodeMessage({
        header: { id, qr: false, opcode: 0, aa: false, tc: false, rd: false, ra: false, rcode: 0 },
        questions: [{ name, type, qclass: RR_CLASS.IN }],
        answers: [],
        authorities: [],
        additionals: [{ name: "", rrclass: 1232, ttl: 0, data: { type: "OPT", options: new Uint8Array(0) } }],
      });
      const p: Pending = { name, type, packet, attemptsLeft: this.attempts, timer: { cancel: () => undefined }, resolve };
      this.pending.set(id, p);
      this.transmit(id, p);
    });
  }

  close(): void {
    for (const [id, p] of this.pending) this.finish(id, p, this.failure("dns-network", p, "client closed"));
    this.socket?.close();
    this.socket = undefined;
  }

  private failure(tag: DnsQueryErrorTag, p: { name: string; type: number }, reason: string): Outcome {
    return err({ tag, reason, name: p.name, type: p.type });
  }

  private udp(): UdpSocket {
    if (this.socket !== undefined) return this.socket;
    const s = createSocket(this.server.address.includes(":") ? "udp6" : "udp4");
    s.on("message", (msg, rinfo) => {
      this.server.tap?.({ transport: "udp", direction: "in", src: { address: rinfo.address, port: rinfo.port }, dst: this.local(s), data: msg });
      if (rinfo.address !== this.server.address || rinfo.port !== this.port) return;
      this.onUdpResponse(msg);
    });
    s.on("error", () => undefined);
    s.bind({ port: 0, ...(this.server.localAddress !== undefined ? { address: this.server.localAddress } : {}) });
    s.unref();
    this.socket = s;
    return s;
  }

  private remote(): Endpoint {
    return { address: this.server.address, port: this.port };
  }

  private local(s: UdpSocket): Endpoint {
    const a = s.address();
    return { address: a.address, port: a.port };
  }

  private transmit(id: number, p: Pending): void {
    p.attemptsLeft--;
    p.timer = this.clock.setTimer(this.timeoutMs, () => {
      if (this.pending.get(id) !== p) return;
      if (p.attemptsLeft > 0) this.transmit(id, p);
      else this.finish(id, p, this.failure("dns-timeout", p, `no answer from ${this.server.address}:${this.port} after ${this.attempts} attempt(s)`));
    });
    const socket = this.udp();
    socket.send(p.packet, this.port, this.server.address, (e) => {
      if (e && this.pending.get(id) === p) this.finish(id, p, this.failure("dns-network", p, e.message));
      else if (!e) this.server.tap?.({ transport: "udp", direction: "out", src: this.local(socket), dst: this.remote(), data: p.packet });
    });
  }

  private finish(id: number, p: Pending, outcome: Outcome): void {
    p.timer.cancel();
    this.pending.delete(id);
    p.resolve(outcome);
  }

  private matches(m: DnsMessage, p: { name: string; type: number }): boolean {
    const q = m.questions[0];
    return m.header.qr && m.questions.length === 1 && q !== undefined && q.type === p.type && nameKey(q.name) === nameKey(p.name);
  }

  private onUdpResponse(msg: Buffer): void {
    const decoded = decodeMessage(msg);
    if (!decoded.ok) return; // spoofed or broken: keep waiting for the real answer
    const m = decoded.value;
    const p = this.pending.get(m.header.id);
    if (p === undefined || !this.matches(m, p)) return;
    if (m.header.tc) {
      p.timer.cancel();
      this.pending.delete(m.header.id);
      void this.tcpQuery(m.header.id, p).then(p.resolve);
      return;
    }
    this.finish(m.header.id, p, this.toOutcome(m, p));
  }

  private toOutcome(m: DnsMessage, p: { name: string; type: number }): Outcome {
    if (m.header.rcode === RCODE.NOERROR || m.header.rcode === RCODE.NXDOMAIN) {
      const additionals = m.additionals.filter((r) => r.data.type !== "OPT");
      return ok({ rcode: m.header.rcode === RCODE.NOERROR ? "NOERROR" : "NXDOMAIN", answers: m.answers, authorities: m.authorities, additionals });
    }
    return this.failure("dns-server-failure", p, `${this.server.address} answered ${rcodeName(m.header.rcode) ?? m.header.rcode}`);
  }

  private tcpQuery(id: number, p: Pending): Promise<Outcome> {
    return new Promise((resolve) => {
      let done = false;
      const socket = connect({ host: this.server.address, port: this.port, ...(this.server.localAddress !== undefined ? { localAddress: this.server.localAddress } : {}) });
      const end = (o: Outcome): void => {
        if (done) return;
        done = true;
        timer.cancel();
        socket.destroy();
        resolve(o);
      };
      const timer = this.clock.setTimer(this.timeoutMs * this.attempts, () => end(this.failure("dns-timeout", p, "no answer over TCP")));
      socket.on("error", (e) => end(this.failure("dns-network", p, e.message)));
      socket.on("close", () => end(this.failure("dns-network", p, "TCP connection closed before the answer")));
      let buf = Buffer.alloc(0);
      const frame = Buffer.allocUnsafe(2 + p.packet.length);
      frame.writeUInt16BE(p.packet.length, 0);
      frame.set(p.packet, 2);
      const tap = this.server.tap;
      const local = (): Endpoint => ({ address: socket.localAddress ?? "", port: socket.localPort ?? 0 });
      socket.on("connect", () => tap?.({ transport: "tcp", direction: "out", src: local(), dst: this.remote(), data: frame }));
      socket.on("data", (chunk: Buffer) => {
        tap?.({ transport: "tcp", direction: "in", src: this.remote(), dst: local(), data: chunk });
        buf = Buffer.concat([buf, chunk]);
        if (buf.length < 2 || buf.length < 2 + buf.readUInt16BE(0)) return;
        const decoded = decodeMessage(buf.subarray(2, 2 + buf.readUInt16BE(0)));
        if (!decoded.ok || decoded.value.header.id !== id || !this.matches(decoded.value, p)) {
          end(this.failure("dns-server-failure", p, "bad answer over TCP"));
          return;
        }
        end(this.toOutcome(decoded.value, p));
      });
      socket.end(frame);
    });
  }
}
