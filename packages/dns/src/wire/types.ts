/**
 * DNS message model (RFC 1035 §4.1) limited to what an authoritative SIP lab zone and an RFC 3263
 * resolver need. Names are absolute, written without the trailing dot ("" is the root); a label
 * holding a dot, a backslash or a non-printable byte is escaped as in RFC 4343 §2.1 (`\.`, `\\`, `\DDD`).
 */

/** RR TYPE codes: RFC 1035 §3.2.2, RFC 3596 §2.1 (AAAA), RFC 2782 (SRV), RFC 3403 §4 (NAPTR), RFC 6891 §6.1.1 (OPT). */
export const RR_TYPE = {
  A: 1,
  NS: 2,
  CNAME: 5,
  SOA: 6,
  PTR: 12,
  MX: 15,
  TXT: 16,
  AAAA: 28,
  SRV: 33,
  NAPTR: 35,
  OPT: 41,
  IXFR: 251,
  AXFR: 252,
  ANY: 255,
} as const;
export type RrTypeName = keyof typeof RR_TYPE;

/** CLASS codes: RFC 1035 §3.2.4/§3.2.5. */
export const RR_CLASS = { IN: 1, CH: 3, HS: 4, NONE: 254, ANY: 255 } as const;

/** OPCODE values: RFC 1035 §4.1.1. */
export const OPCODE = { QUERY: 0, IQUERY: 1, STATUS: 2, NOTIFY: 4, UPDATE: 5 } as const;

/** RCODE values: RFC 1035 §4.1.1; BADVERS (extended, via OPT) RFC 6891 §9. */
export const RCODE = {
  NOERROR: 0,
  FORMERR: 1,
  SERVFAIL: 2,
  NXDOMAIN: 3,
  NOTIMP: 4,
  REFUSED: 5,
  BADVERS: 16,
} as const;
export type RcodeName = keyof typeof RCODE;

/** RFC 1035 §2.3.4 size limits; §4.2.1 UDP payload without EDNS. */
export const LIMITS = { label: 63, name: 255, udpPayload: 512, headerSize: 12 } as const;

export function rrTypeName(code: number): RrTypeName | undefined {
  for (const [name, value] of Object.entries(RR_TYPE)) if (value === code) return name as RrTypeName;
  return undefined;
}

export function rcodeName(code: number): RcodeName | undefined {
  for (const [name, value] of Object.entries(RCODE)) if (value === code) return name as RcodeName;
  return undefined;
}

export interface DnsHeader {
  readonly id: number;
  readonly qr: boolean;
  readonly opcode: number;
  readonly aa: boolean;
  readonly tc: boolean;
  readonly rd: boolean;
  readonly ra: boolean;
  /** The 4 header bits; with an OPT record the full value is `(opt.ttl >>> 24) << 4 | rcode`. */
  readonly rcode: number;
}

export interface DnsQuestion {
  readonly name: string;
  readonly type: number;
  readonly qclass: number;
}

export type RecordData =
  | { readonly type: "A"; readonly address: string }
  | { readonly type: "AAAA"; readonly address: string }
  | { readonly type: "NS"; readonly host: string }
  | { readonly type: "CNAME"; readonly host: string }
  | {
      readonly type: "SOA";
      readonly mname: string;
      readonly rname: string;
      readonly serial: number;
      readonly refresh: number;
      readonly retry: number;
      readonly expire: number;
      readonly minimum: number;
    }
  | { readonly type: "SRV"; readonly priority: number; readonly weight: number; readonly port: number; readonly target: string }
  | {
      readonly type: "NAPTR";
      readonly order: number;
      readonly preference: number;
      readonly flags: string;
      readonly service: string;
      readonly regexp: string;
      readonly replacement: string;
    }
  /** EDNS(0) pseudo-record: the record's class is the UDP payload size, its TTL the extended RCODE/version/flags. */
  | { readonly type: "OPT"; readonly options: Uint8Array }
  | { readonly type: "UNKNOWN"; readonly code: number; readonly data: Uint8Array };

export interface ResourceRecord {
  readonly name: string;
  readonly rrclass: number;
  readonly ttl: number;
  readonly data: RecordData;
}

export interface DnsMessage {
  readonly header: DnsHeader;
  readonly questions: readonly DnsQuestion[];
  readonly answers: readonly ResourceRecord[];
  readonly authorities: readonly ResourceRecord[];
  readonly additionals: readonly ResourceRecord[];
}

export function typeCodeOf(data: RecordData): number {
  return data.type === "UNKNOWN" ? data.code : RR_TYPE[data.type];
}

/** Case-insensitive name comparison key (RFC 4343 §3). */
export function nameKey(name: string): string {
  return name.toLowerCase();
}
