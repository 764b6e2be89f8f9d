/** DNS message encoder with name compression (RFC 1035 §4.1.4). Input is our own data: a bad name is a bug. */
import { ImsError } from "@ims/runtime";
import { WireWriter } from "./name.js";
import { type DnsHeader, type DnsMessage, type RecordData, type ResourceRecord, typeCodeOf } from "./types.js";

export function encodeHeader(w: WireWriter, h: DnsHeader, counts: readonly [number, number, number, number]): void {
  w.u16(h.id);
  w.u8((h.qr ? 0x80 : 0) | ((h.opcode & 0x0f) << 3) | (h.aa ? 0x04 : 0) | (h.tc ? 0x02 : 0) | (h.rd ? 0x01 : 0));
  w.u8((h.ra ? 0x80 : 0) | (h.rcode & 0x0f));
  for (const c of counts) w.u16(c);
}

function characterString(w: WireWriter, text: string): void {
  if (text.length > 255) throw new ImsError("dns-bad-rdata", "character-string longer than 255 octets");
  w.u8(text.length);
  for (let i = 0; i < text.length; i++) w.u8(text.charCodeAt(i));
}

function ipv4(w: WireWriter, address: string): void {
  const parts = address.split(".");
  if (parts.length !== 4) throw new ImsError("dns-bad-rdata", `not an IPv4 address: ${address}`);
  for (const p of parts) {
    const v = Number(p);
    if (!/^\d{1,3}$/.test(p) || v > 255) throw new ImsError("dns-bad-rdata", `not an IPv4 address: ${address}`);
    w.u8(v);
  }
}

export function ipv6Groups(address: string): number[] | undefined {
  const halves = address.split("::");
  if (halves.length > 2) return undefined;
  const parse = (s: string): number[] | undefined => {
    if (s === "") return [];
    const out: number[] = [];
    for (const g of s.split(":")) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const head = parse(halves[0] as string);
  const tail = halves.length === 2 ? parse(halves[1] as string) : [];
  if (head === undefined || tail === undefined) return undefined;
  if (halves.length === 1) return head.length === 8 ? head : undefined;
  const missing = 8 - head.length - tail.length;
  if (missing < 1) return undefined;
  return [...head, ...new Array<number>(missing).fill(0), ...tail];
}

function rdata(w: WireWriter, d: RecordData): void {
  switch (d.type) {
    case "A":
      return ipv4(w, d.address);
    case "AAAA": {
      const groups = ipv6Groups(d.address);
      if (groups === undefined) throw new ImsError("dns-bad-rdata", `not an IPv6 address: ${d.address}`);
      for (const g of groups) w.u16(g);
      return;
    }
    case "NS":
    case "CNAME":
      return w.name(d.host);
    case "SOA":
      w.name(d.mname);
      w.name(d.rname);
      for (const v of [d.serial, d.refresh, d.retry, d.expire, d.minimum]) w.u32(v);
      return;
    case "SRV":
      w.u16(d.priority);
      w.u16(d.weight);
      w.u16(d.port);
      return w.name(d.target, false); // RFC 2782: the target is not compressed
    case "NAPTR":
      w.u16(d.order);
      w.u16(d.preference);
      characterString(w, d.flags);
      characterString(w, d.service);
      characterString(w, d.regexp);
      return w.name(d.replacement, false); // RFC 3403 §4.1: replacement is not compressed
    case "OPT":
      return w.bytes(d.options);
    case "UNKNOWN":
      return w.bytes(d.data);
  }
}

export function encodeRecord(w: WireWriter, r: ResourceRecord): void {
  w.name(r.name);
  w.u16(typeCodeOf(r.data));
  w.u16(r.rrclass);
  w.u32(r.ttl);
  const lengthAt = w.length;
  w.u16(0);
  rdata(w, r.data);
  w.patchU16(lengthAt, w.length - lengthAt - 2);
}

export function encodeMessage(m: DnsMessage): Uint8Array {
  const w = new WireWriter();
  encodeHeader(w, m.header, [m.questions.length, m.answers.length, m.authorities.length, m.additionals.length]);
  for (const q of m.questions) {
    w.name(q.name);
    w.u16(q.type);
    w.u16(q.qclass);
  }
  for (const r of m.answers) encodeRecord(w, r);
  for (const r of m.authorities) encodeRecord(w, r);
  for (const r of m.additionals) encodeRecord(w, r);
  return w.result();
}
