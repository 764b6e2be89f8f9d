import type { Endpoint, TappedPacket } from "./packet-tap.js";

/**
 * Encodes tapped packets as a classic libpcap file (LINKTYPE_RAW: each record is an IPv4 packet), so
 * Wireshark and tshark open it. TCP flows get a synthetic three-way handshake on first use and real
 * sequence/acknowledgement numbers, so stream reassembly (Diameter, SIP over TCP) works. Pure: it
 * returns bytes; the caller writes them where it likes. IPv4 only (the lab is 127.0.0.X).
 */
const LINKTYPE_RAW = 101;
const MAX_SEGMENT = 65_495; // IPv4 total length limit minus headers

interface TcpFlow {
  /** Next sequence number of each side, keyed by "addr:port". */
  readonly next: Map<string, number>;
}

export class PcapWriter {
  private readonly flows = new Map<string, TcpFlow>();
  private ipId = 1;

  /** The 24-byte file header; write it once, first. */
  header(): Buffer {
    const b = Buffer.alloc(24);
    b.writeUInt32LE(0xa1b2c3d4, 0);
    b.writeUInt16LE(2, 4);
    b.writeUInt16LE(4, 6);
    b.writeInt32LE(0, 8);
    b.writeUInt32LE(0, 12);
    b.writeUInt32LE(262_144, 16);
    b.writeUInt32LE(LINKTYPE_RAW, 20);
    return b;
  }

  /** The records for one tapped packet (several for a new TCP flow or a large chunk). */
  records(packet: TappedPacket): Buffer[] {
    const time = packet.time ?? Date.now();
    if (packet.transport === "udp") {
      return [this.record(time, this.ipv4(17, packet.src, packet.dst, udpSegment(packet.src, packet.dst, packet.data)))];
    }
    const out: Buffer[] = [];
    const flow = this.flow(packet.src, packet.dst, time, out);
    const srcKey = key(packet.src);
    const dstKey = key(packet.dst);
    for (let off = 0; off < packet.data.length || (off === 0 && packet.data.length === 0); off += MAX_SEGMENT) {
      const chunk = packet.data.subarray(off, off + MAX_SEGMENT);
      const seq = flow.next.get(srcKey) ?? 0;
      const ack = flow.next.get(dstKey) ?? 0;
      out.push(this.record(time, this.ipv4(6, packet.src, packet.dst, tcpSegment(packet.src, packet.dst, seq, ack, 0x18, chunk))));
      flow.next.set(srcKey, (seq + chunk.length) >>> 0);
      if (packet.data.length === 0) break;
    }
    return out;
  }

  private flow(src: Endpoint, dst: Endpoint, time: number, out: Buffer[]): TcpFlow {
    const id = [key(src), key(dst)].sort().join("|");
    let flow = this.flows.get(id);
    if (flow !== undefined) return flow;
    // The side sending first is taken as the client: SYN, SYN-ACK, ACK.
    const isn = 1000;
    const empty = new Uint8Array(0);
    flow = { next: new Map([[key(src), isn + 1], [key(dst), isn + 1]]) };
    out.push(this.record(time, this.ipv4(6, src, dst, tcpSegment(src, dst, isn, 0, 0x02, empty))));
    out.push(this.record(time, this.ipv4(6, dst, src, tcpSegment(dst, src, isn, isn + 1, 0x12, empty))));
    out.push(this.record(time, this.ipv4(6, src, dst, tcpSegment(src, dst, isn + 1, isn + 1, 0x10, empty))));
    this.flows.set(id, flow);
    return flow;
  }

  private record(time: number, packet: Buffer): Buffer {
    const h = Buffer.alloc(16);
    h.writeUInt32LE(Math.floor(time / 1000), 0);
    h.writeUInt32LE(Math.floor((time % 1000) * 1000), 4);
    h.writeUInt32LE(packet.length, 8);
    h.writeUInt32LE(packet.length, 12);
    return Buffer.concat([h, packet]);
  }

  private ipv4(protocol: number, src: Endpoint, dst: Endpoint, payload: Buffer): Buffer {
    const h = Buffer.alloc(20);
    h[0] = 0x45;
    h.writeUInt16BE(20 + payload.length, 2);
    h.writeUInt16BE(this.ipId++ & 0xffff, 4);
    h.writeUInt16BE(0x4000, 6); // don't fragment
    h[8] = 64;
    h[9] = protocol;
    ipBytes(src.address).copy(h, 12);
    ipBytes(dst.address).copy(h, 16);
    h.writeUInt16BE(checksum(h), 10);
    return Buffer.concat([h, payload]);
  }
}

function key(e: Endpoint): string {
  return `${e.address}:${e.port}`;
}

function ipBytes(address: string): Buffer {
  const parts = address.split(".").map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) {
    return Buffer.from([0, 0, 0, 0]);
  }
  return Buffer.from(parts);
}

function udpSegment(src: Endpoint, dst: Endpoint, data: Uint8Array): Buffer {
  const h = Buffer.alloc(8);
  h.writeUInt16BE(src.port, 0);
  h.writeUInt16BE(dst.port, 2);
  h.writeUInt16BE(8 + data.length, 4);
  const seg = Buffer.concat([h, data]);
  seg.writeUInt16BE(transportChecksum(17, src, dst, seg) || 0xffff, 6);
  return seg;
}

function tcpSegment(src: Endpoint, dst: Endpoint, seq: number, ack: number, flags: number, data: Uint8Array): Buffer {
  const h = Buffer.alloc(20);
  h.writeUInt16BE(src.port, 0);
  h.writeUInt16BE(dst.port, 2);
  h.writeUInt32BE(seq >>> 0, 4);
  h.writeUInt32BE(ack >>> 0, 8);
  h[12] = 5 << 4;
  h[13] = flags;
  h.writeUInt16BE(65_535, 14);
  const seg = Buffer.concat([h, data]);
  seg.writeUInt16BE(transportChecksum(6, src, dst, seg), 16);
  return seg;
}

function transportChecksum(protocol: number, src: Endpoint, dst: Endpoint, segment: Buffer): number {
  const pseudo = Buffer.alloc(12);
  ipBytes(src.address).copy(pseudo, 0);
  ipBytes(dst.address).copy(pseudo, 4);
  pseudo[9] = protocol;
  pseudo.writeUInt16BE(segment.length, 10);
  return checksum(Buffer.concat([pseudo, segment]));
}

/** RFC 1071 Internet checksum. */
function checksum(b: Buffer): number {
  let sum = 0;
  for (let i = 0; i + 1 < b.length; i += 2) sum += b.readUInt16BE(i);
  if (b.length % 2 === 1) sum += (b[b.length - 1] ?? 0) << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}
