/**
 * The responder's pure core: query bytes in, response bytes out (or nothing, for packets that must not
 * be answered). Authoritative-only (RFC 1034 §4.3.2): names outside our zones are REFUSED, never
 * recursed for (RA=0), so the responder cannot be used as an open resolver or reflector.
 */
import { decodeMessage } from "../wire/decode.js";
import { encodeMessage } from "../wire/encode.js";
import { type DnsHeader, type DnsMessage, type DnsQuestion, type ResourceRecord, LIMITS, OPCODE, RCODE, RR_CLASS, RR_TYPE } from "../wire/types.js";
import type { ZoneSet } from "../zone/zone.js";

export type QueryTransport = "udp" | "tcp";

export interface QueryOutcome {
  readonly response: Uint8Array;
  /** Full (possibly extended) RCODE of the answer, for logs and tests. */
  readonly rcode: number;
  readonly truncated: boolean;
}

/** EDNS(0) payload size we advertise (the DNS flag day 2020 value). */
export const EDNS_PAYLOAD = 1232;

interface Edns {
  readonly payload: number;
  readonly version: number;
}

type Reply = {
  readonly rcode: number;
  readonly aa: boolean;
  readonly questions: readonly DnsQuestion[];
  readonly answers?: readonly ResourceRecord[];
  readonly authorities?: readonly ResourceRecord[];
  readonly additionals?: readonly ResourceRecord[];
};

function optRecord(extendedRcode: number): ResourceRecord {
  // RFC 6891 §6.1.3: TTL = extended RCODE (upper 8 of 12 bits) | version 0 | DO 0.
  return { name: "", rrclass: EDNS_PAYLOAD, ttl: ((extendedRcode >> 4) & 0xff) << 24, data: { type: "OPT", options: new Uint8Array(0) } };
}

function build(query: DnsHeader, reply: Reply, edns: Edns | undefined, tc = false): DnsMessage {
  const header: DnsHeader = {
    id: query.id,
    qr: true,
    opcode: query.opcode,
    aa: reply.aa,
    tc,
    rd: query.rd,
    ra: false,
    rcode: reply.rcode & 0x0f,
  };
  const additionals = [...(tc ? [] : (reply.additionals ?? [])), ...(edns ? [optRecord(reply.rcode)] : [])];
  return {
    header,
    questions: reply.questions,
    answers: tc ? [] : (reply.answers ?? []),
    authorities: tc ? [] : (reply.authorities ?? []),
    additionals,
  };
}

function readEdns(m: DnsMessage): Edns | undefined | "formerr" {
  const opts = m.additionals.filter((r) => r.data.type === "OPT");
  if (opts.length === 0) return undefined;
  const opt = opts[0] as ResourceRecord;
  if (opts.length > 1 || opt.name !== "") return "formerr"; // RFC 6891 §6.1.1
  return { payload: Math.min(Math.max(opt.rrclass, LIMITS.udpPayload), 65535), version: (opt.ttl >>> 16) & 0xff };
}

function resolve(zones: ZoneSet, q: DnsQuestion): Reply {
  const questions = [q];
  if (q.qclass !== RR_CLASS.IN && q.qclass !== RR_CLASS.ANY) return { rcode: RCODE.REFUSED, aa: false, questions };
  if (q.type === RR_TYPE.OPT) return { rcode: RCODE.FORMERR, aa: false, questions };
  const zone = zones.find(q.name);
  if (zone === undefined) return { rcode: RCODE.REFUSED, aa: false, questions };
  if (q.type === RR_TYPE.AXFR || q.type === RR_TYPE.IXFR) return { rcode: RCODE.REFUSED, aa: false, questions };
  const found = zone.lookup(q.name, q.type);
  switch (found.kind) {
    case "answer":
      return { rcode: RCODE.NOERROR, aa: true, questions, answers: found.records, additionals: found.additionals };
    case "nodata":
      return { rcode: RCODE.NOERROR, aa: true, questions, authorities: [found.soa] };
    case "nxdomain":
      return { rcode: RCODE.NXDOMAIN, aa: true, questions, authorities: [found.soa] };
  }
}

/**
 * Answers one query. Returns undefined for what must be dropped silently: anything shorter than a
 * header and anything with QR=1 (answering responses would let two servers loop, RFC 1035 §7.3).
 */
export function answerQuery(zones: ZoneSet, bytes: Uint8Array, transport: QueryTransport): QueryOutcome | undefined {
  if (bytes.length < LIMITS.headerSize) return undefined;
  if (((bytes[2] as number) & 0x80) !== 0) return undefined;
  const decoded = decodeMessage(bytes);
  if (!decoded.ok) {
    const header = decoded.error.header;
    if (header === undefined) return undefined;
    return finish(header, { rcode: RCODE.FORMERR, aa: false, questions: [] }, undefined, transport);
  }
  const m = decoded.value;
  const edns = readEdns(m);
  if (edns === "formerr") return finish(m.header, { rcode: RCODE.FORMERR, aa: false, questions: m.questions }, undefined, transport);
  if (m.header.opcode !== OPCODE.QUERY) return finish(m.header, { rcode: RCODE.NOTIMP, aa: false, questions: m.questions }, edns, transport);
  if (edns !== undefined && edns.version > 0) {
    return finish(m.header, { rcode: RCODE.BADVERS, aa: false, questions: m.questions }, edns, transport); // RFC 6891 §6.1.3
  }
  if (m.questions.length !== 1) return finish(m.header, { rcode: RCODE.FORMERR, aa: false, questions: [] }, edns, transport);
  return finish(m.header, resolve(zones, m.questions[0] as DnsQuestion), edns, transport);
}

function finish(query: DnsHeader, reply: Reply, edns: Edns | undefined, transport: QueryTransport): QueryOutcome {
  const full = encodeMessage(build(query, reply, edns));
  const limit = transport === "tcp" ? 65535 : (edns?.payload ?? LIMITS.udpPayload);
  if (full.length <= limit) return { response: full, rcode: reply.rcode, truncated: false };
  // RFC 1035 §4.2.1 / RFC 2181 §9: too big for UDP → TC=1 with the question only; the client retries over TCP.
  return { response: encodeMessage(build(query, reply, edns, true)), rcode: reply.rcode, truncated: true };
}
