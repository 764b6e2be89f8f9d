/**
 * Reads the packets a lab tapped back into messages, per hop, so flow tests assert on what went
 * over the wire: SIP from UDP datagrams and TCP streams, Diameter from TCP streams (reassembled per
 * connection direction).
 */
import { DiameterFramer, type DiameterMessage, decodeMessage } from "@ims/diameter";
import type { TappedPacket } from "@ims/runtime";
import { type SipMessage, frameMessage, parseMessage } from "@ims/sip";

export interface Hop<M> {
  readonly from: string;
  readonly to: string;
  readonly message: M;
}

const endpoint = (e: { address: string; port: number }): string => `${e.address}:${e.port}`;

export function sipHops(wire: readonly TappedPacket[]): Hop<SipMessage>[] {
  const out: Hop<SipMessage>[] = [];
  const streams = new Map<string, Buffer>();
  for (const p of wire) {
    const from = endpoint(p.src);
    const to = endpoint(p.dst);
    if (p.transport === "udp") {
      const r = parseMessage(Buffer.from(p.data));
      if (r.ok) out.push({ from, to, message: r.value });
      continue;
    }
    const key = `${from}>${to}`;
    let buf = Buffer.concat([streams.get(key) ?? Buffer.alloc(0), p.data]);
    for (;;) {
      const f = frameMessage(buf);
      if (f.kind === "keepalive") {
        buf = buf.subarray(f.length);
        continue;
      }
      if (f.kind !== "complete") break;
      const r = parseMessage(buf.subarray(0, f.length));
      if (r.ok) out.push({ from, to, message: r.value });
      buf = buf.subarray(f.length);
    }
    streams.set(key, buf);
  }
  return out;
}

export function diameterHops(wire: readonly TappedPacket[], port: number): Hop<DiameterMessage>[] {
  const out: Hop<DiameterMessage>[] = [];
  const framers = new Map<string, DiameterFramer>();
  for (const p of wire) {
    if (p.transport !== "tcp" || (p.src.port !== port && p.dst.port !== port)) continue;
    const from = endpoint(p.src);
    const to = endpoint(p.dst);
    const key = `${from}>${to}`;
    let framer = framers.get(key);
    if (framer === undefined) framers.set(key, (framer = new DiameterFramer(1 << 20)));
    const frames = framer.push(Buffer.from(p.data));
    if (!frames.ok) continue;
    for (const bytes of frames.value) {
      const m = decodeMessage(bytes);
      if (m.ok) out.push({ from, to, message: m.value });
    }
  }
  return out;
}
