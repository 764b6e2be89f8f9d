/** Pure DNS message decoder: never throws on peer input, says what to answer (FORMERR) when it fails. */
import { type Result, type TaggedError, ok, err } from "@ims/runtime";
import { readName } from "./name.js";
import {
  type DnsHeader,
  type DnsMessage,
  type DnsQuestion,
  type RecordData,
  type ResourceRecord,
  LIMITS,
  RR_TYPE,
} from "./types.js";

export interface DnsDecodeError extends TaggedError<"dns-decode"> {
  /** The header, when the first 12 octets could be read: a responder echoes its id in a FORMERR. */
  readonly header?: DnsHeader;
}

function fail(reason: string, header?: DnsHeader): Result<never, DnsDecodeError> {
  return err(header === undefined ? { tag: "dns-decode", reason } : { tag: "dns-decode", reason, header });
}

export function decodeHeader(bytes: Uint8Array): DnsHeader | undefined {
  if (bytes.length < LIMITS.headerSize) return undefined;
  const f1 = bytes[2] as number;
  const f2 = bytes[3] as number;
  return {
    id: ((bytes[0] as number) << 8) | (bytes[1] as number),
    qr: (f1 & 0x80) !== 0,
    opcode: (f1 >> 3) & 0x0f,
    aa: (f1 & 0x04) !== 0,
    tc: (f1 & 0x02) !== 0,
    rd: (f1 & 0x01) !== 0,
    ra: (f2 & 0x80) !== 0,
    rcode: f2 & 0x0f,
  };
}

function u16(b: Uint8Array, at: number): number {
  return ((b[at] as number) << 8) | (b[at + 1] as number);
}
function u32(b: Uint8Array, at: number): number {
  return (((b[at] as number) << 24) | ((b[at + 1] as number) << 16) | ((b[at + 2] as number) << 8) | (b[at + 3] as number)) >>> 0;
}

function characterString(b: Uint8Array, at: number, end: number): { text: string; next: number } | undefined {
  if (at >= end) return undefined;
  const len = b[at] as number;
  if (at + 1 + len > end) return undefined;
  let text = "";
  for (let i = at + 1; i < at + 1 + len; i++) text += String.fromCharCode(b[i] as number);
  return { text, next: at + 1 + len };
}

function ipv6Text(b: Uint8Array, at: number): string {
  const groups: string[] = [];
  for (let i = 0; i < 8; i++) groups.push(u16(b, at + 2 * i).toString(16));
  // RFC 5952 §4.2: compress the longest run (>1) of zero groups, the first one on ties.
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== "0") {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === "0") j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (bestStart < 0) return groups.join(":");
  return groups.slice(0, bestStart).join(":") + "::" + groups.slice(bestStart + bestLen).join(":");
}

function decodeRdata(b: Uint8Array, type: number, at: number, len: number): Result<RecordData, string> {
  const end = at + len;
  const nameAt = (pos: number): Result<{ name: string; next: number }, string> => {
    const r = readName(b.subarray(0, end), pos);
    return r;
  };
  switch (type) {
    case RR_TYPE.A:
      if (len !== 4) return err("A record RDATA is not 4 octets");
      return ok({ type: "A", address: `${b[at]}.${b[at + 1]}.${b[at + 2]}.${b[at + 3]}` });
    case RR_TYPE.AAAA:
      if (len !== 16) return err("AAAA record RDATA is not 16 octets");
      return ok({ type: "AAAA", address: ipv6Text(b, at) });
    case RR_TYPE.NS:
    case RR_TYPE.CNAME: {
      const n = nameAt(at);
      if (!n.ok) return n;
      if (n.value.next !== end) return err("trailing octets after a host name");
      return ok({ type: type === RR_TYPE.NS ? "NS" : "CNAME", host: n.value.name });
    }
    case RR_TYPE.SOA: {
      const m = nameAt(at);
      if (!m.ok) return m;
      const r = nameAt(m.value.next);
      if (!r.ok) return r;
      const p = r.value.next;
      if (p + 20 !== end) return err("SOA RDATA has the wrong length");
      return ok({
        type: "SOA",
        mname: m.value.name,
        rname: r.value.name,
        serial: u32(b, p),
        refresh: u32(b, p + 4),
        retry: u32(b, p + 8),
        expire: u32(b, p + 12),
        minimum: u32(b, p + 16),
      });
    }
    case RR_TYPE.SRV: {
      if (len < 7) return err("SRV RDATA too short");
      const t = nameAt(at + 6);
      if (!t.ok) return t;
      if (t.value.next !== end) return err("trailing octets after the SRV target");
      return ok({ type: "SRV", priority: u16(b, at), weight: u16(b, at + 2), port: u16(b, at + 4), target: t.value.name });
    }
    case RR_TYPE.NAPTR: {
      if (len < 7) return err("NAPTR RDATA too short");
      const flags = characterString(b, at + 4, end);
      const service = flags && characterString(b, flags.next, end);
      const regexp = service && characterString(b, service.next, end);
      if (regexp === undefined || flags === undefined || service === undefined) return err("bad NAPTR character-string");
      const r = nameAt(regexp.next);
      if (!r.ok) return r;
      if (r.value.next !== end) return err("trailing octets after the NAPTR replacement");
      return ok({
        type: "NAPTR",
        order: u16(b, at),
        preference: u16(b, at + 2),
        flags: flags.text,
        service: service.text,
        regexp: regexp.text,
        replacement: r.value.name,
      });
    }
    case RR_TYPE.OPT:
      return ok({ type: "OPT", options: b.slice(at, end) });
    default:
      return ok({ type: "UNKNOWN", code: type, data: b.slice(at, end) });
  }
}

/** Decodes a whole message; any structural fault (counts, lengths, names, RDATA) is a FORMERR. */
export function decodeMessage(bytes: Uint8Array): Result<DnsMessage, DnsDecodeError> {
  const header = decodeHeader(bytes);
  if (header === undefined) return fail("message shorter than the 12-octet header");
  const counts = [u16(bytes, 4), u16(bytes, 6), u16(bytes, 8), u16(bytes, 10)] as const;
  let pos = LIMITS.headerSize;
  const questions: DnsQuestion[] = [];
  for (let i = 0; i < counts[0]; i++) {
    const n = readName(bytes, pos);
    if (!n.ok) return fail(`question ${i + 1}: ${n.error}`, header);
    if (n.value.next + 4 > bytes.length) return fail(`question ${i + 1}: truncated`, header);
    questions.push({ name: n.value.name, type: u16(bytes, n.value.next), qclass: u16(bytes, n.value.next + 2) });
    pos = n.value.next + 4;
  }
  const sections: ResourceRecord[][] = [[], [], []];
  for (let s = 0; s < 3; s++) {
    const section = sections[s] as ResourceRecord[];
    for (let i = 0; i < (counts[s + 1] as number); i++) {
      const n = readName(bytes, pos);
      if (!n.ok) return fail(`record: ${n.error}`, header);
      const p = n.value.next;
      if (p + 10 > bytes.length) return fail("record header truncated", header);
      const type = u16(bytes, p);
      const rdlength = u16(bytes, p + 8);
      if (p + 10 + rdlength > bytes.length) return fail("RDATA runs past the end of the message", header);
      const data = decodeRdata(bytes, type, p + 10, rdlength);
      if (!data.ok) return fail(data.error, header);
      section.push({ name: n.value.name, rrclass: u16(bytes, p + 2), ttl: u32(bytes, p + 4), data: data.value });
      pos = p + 10 + rdlength;
    }
  }
  if (pos !== bytes.length) return fail("trailing octets after the last record", header);
  const [answers, authorities, additionals] = sections as [ResourceRecord[], ResourceRecord[], ResourceRecord[]];
  return ok({ header, questions, answers, authorities, additionals });
}
