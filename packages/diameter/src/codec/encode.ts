import type { Avp, DiameterMessage } from "./types.js";
import { HEADER_LENGTH } from "./types.js";

const V = 0x80;

function hasVendor(a: Avp): boolean {
  return a.vendorId !== 0 || (a.flags & V) !== 0;
}

/** Bytes one AVP takes on the wire, padding included (RFC 6733 §4.1). */
export function avpSize(a: Avp): number {
  return (hasVendor(a) ? 12 : 8) + ((a.data.length + 3) & ~3);
}

export function avpsSize(avps: readonly Avp[]): number {
  let n = 0;
  for (let i = 0; i < avps.length; i++) n += avpSize(avps[i] as Avp);
  return n;
}

/** Writes AVPs at `offset` (the caller sized `buf`); returns the offset after them. */
export function writeAvps(buf: Buffer, offset: number, avps: readonly Avp[]): number {
  let o = offset;
  for (let i = 0; i < avps.length; i++) {
    const a = avps[i] as Avp;
    const vendor = hasVendor(a);
    const len = (vendor ? 12 : 8) + a.data.length;
    buf.writeUInt32BE(a.code >>> 0, o);
    buf[o + 4] = vendor ? a.flags | V : a.flags;
    buf[o + 5] = (len >>> 16) & 0xff;
    buf[o + 6] = (len >>> 8) & 0xff;
    buf[o + 7] = len & 0xff;
    o += 8;
    if (vendor) {
      buf.writeUInt32BE(a.vendorId >>> 0, o);
      o += 4;
    }
    const d = a.data;
    if (d.length < 32) {
      for (let j = 0; j < d.length; j++) buf[o + j] = d[j] as number;
    } else {
      buf.set(d, o);
    }
    o += d.length;
    for (let pad = (4 - (d.length & 3)) & 3; pad > 0; pad--) buf[o++] = 0;
  }
  return o;
}

/** Concatenated, padded encoding of AVPs: the payload of a Grouped AVP (RFC 6733 §4.4). */
export function encodeAvps(avps: readonly Avp[]): Buffer {
  const buf = Buffer.allocUnsafe(avpsSize(avps));
  writeAvps(buf, 0, avps);
  return buf;
}

/** Encodes a message (RFC 6733 §3): version 1, the length computed, AVPs in order. Never throws. */
export function encodeMessage(msg: DiameterMessage): Buffer {
  return encodeMessageAs(msg, msg.flags, msg.hopByHop);
}

/** Encodes a message with these command flags and hop-by-hop id instead of its own (no copy of it). */
export function encodeMessageAs(msg: DiameterMessage, flags: number, hopByHop: number): Buffer {
  const length = HEADER_LENGTH + avpsSize(msg.avps);
  const buf = Buffer.allocUnsafe(length);
  buf.writeUInt32BE(length, 0);
  buf[0] = 1;
  buf.writeUInt32BE(msg.commandCode & 0xffffff, 4);
  buf[4] = flags & 0xff;
  buf.writeUInt32BE(msg.applicationId >>> 0, 8);
  buf.writeUInt32BE(hopByHop >>> 0, 12);
  buf.writeUInt32BE(msg.endToEnd >>> 0, 16);
  writeAvps(buf, HEADER_LENGTH, msg.avps);
  return buf;
}
