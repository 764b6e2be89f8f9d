/** Builds an RTP packet (RFC 3550 §5.1 fixed header, no CSRCs) around a payload: for tests, benches and tools. */
export function buildRtpPacket(seq: number, timestamp: number, opts: { ssrc?: number; pt?: number; marker?: boolean; payload?: Uint8Array | number } = {}): Buffer {
  const payload = typeof opts.payload === "number" || opts.payload === undefined ? Buffer.alloc(opts.payload ?? 160, 0xd5) : opts.payload;
  const b = Buffer.allocUnsafe(12 + payload.length);
  b[0] = 0x80;
  b[1] = (opts.pt ?? 8) | (opts.marker === true ? 0x80 : 0);
  b.writeUInt16BE(seq & 0xffff, 2);
  b.writeUInt32BE(timestamp >>> 0, 4);
  b.writeUInt32BE((opts.ssrc ?? 0x1234) >>> 0, 8);
  b.set(payload, 12);
  return b;
}
