import { ok, type Result } from "@ims/runtime";
import { isValidHost } from "../uri/parse.js";
import { headerFail, nameIs, ParamRanges, paramsFromText, scanParams, serializeParams, skipLws, splitList, tokenEnd, type HeaderParseError, type Params } from "./lex.js";

/**
 * One Via value (RFC 3261 §20.42). `branch`, `received`, `rport`, `maddr` are read from `params`
 * at parse time; to change the header, edit `params` (and host/port) and `serializeVia`. A parsed
 * Via builds its `params` Map on first use (most Vias are only matched on, never edited).
 */
export interface Via {
  /** "SIP/2.0" */
  protocol: string;
  /** Upper-cased transport: "UDP", "TCP", "TLS", "SCTP", "WS", ... */
  transport: string;
  host: string;
  port?: number;
  params: Params;
  readonly branch?: string;
  readonly received?: string;
  /** rport (RFC 3581): a number once filled in, null when present without a value. */
  readonly rport?: number | null;
  readonly maddr?: string;
}

/** RFC 3261 §18.1 default ports by transport (TLS → 5061). */
export const DEFAULT_PORTS = { UDP: 5060, TCP: 5060, SCTP: 5060, TLS: 5061, WS: 80, WSS: 443 } as const;

/** Where the last `readPort` stopped. */
let portEnd = 0;

/** Reads decimal digits at s[i..] (end in `portEnd`): the value, or -1 past 5 digits / 65535. */
function readPort(s: string, i: number): number {
  let v = 0;
  let e = i;
  while (e < s.length) {
    const c = s.charCodeAt(e);
    if (c < 0x30 || c > 0x39) break;
    v = v * 10 + (c - 0x30);
    e++;
  }
  portEnd = e;
  return e === i || e - i > 5 || v > 65535 ? -1 : v;
}

const knownTransport = (s: string, i: number): string | undefined =>
  s.startsWith("UDP", i) ? "UDP" : s.startsWith("TCP", i) ? "TCP" : s.startsWith("TLS", i) ? "TLS" : undefined;

/** "SIP/2.0" and the common transports without allocating. */
const upper = (t: string): string => (t === "UDP" || t === "TCP" || t === "TLS" || t === "SIP" ? t : t.toUpperCase());

/**
 * The Via value text and where its parameters start, and the params Map once built: own
 * (enumerable) properties, so that a copy (`{ ...via, host }`) serializes with the same parameters.
 */
const SRC: unique symbol = Symbol("via text");
const AT: unique symbol = Symbol("via params offset");
const MAP: unique symbol = Symbol("via params");

interface ParamSource {
  readonly [SRC]?: string;
  readonly [AT]?: number;
  readonly [MAP]?: Params | undefined;
}

/** A parsed Via: `params` is parsed from the value text when first read. */
class ParsedVia implements Via {
  protocol: string;
  transport: string;
  host: string;
  declare port?: number;
  declare readonly branch?: string;
  declare readonly received?: string;
  declare readonly rport?: number | null;
  declare readonly maddr?: string;
  readonly [SRC]: string;
  [AT]: number;
  [MAP]: Params | undefined;

  constructor(protocol: string, transport: string, host: string, src: string) {
    this.protocol = protocol;
    this.transport = transport;
    this.host = host;
    this[SRC] = src;
    this[AT] = 0;
    this[MAP] = undefined;
  }

  get params(): Params {
    return (this[MAP] ??= paramsFromText(this[SRC], this[AT]));
  }

  set params(params: Params) {
    this[MAP] = params;
  }
}

/** Parameter offsets of the Via being parsed (parseOne is not reentrant). */
const RANGES = new ParamRanges();

function parseOne(s: string): Result<Via, HeaderParseError> {
  // sent-protocol = protocol-name SLASH protocol-version SLASH transport (SLASH = SWS "/" SWS)
  let i = skipLws(s, 0);
  let e = tokenEnd(s, i);
  if (e === i) return headerFail("malformed Via sent-protocol");
  // the usual spellings are not sliced out of the value
  const name = e - i === 3 && s.startsWith("SIP", i) ? "SIP" : s.slice(i, e);
  let version = "";
  let transport = "";
  for (let n = 1; n < 3; n++) {
    i = skipLws(s, e);
    if (s.charCodeAt(i) !== 0x2f) return headerFail("malformed Via sent-protocol");
    i = skipLws(s, i + 1);
    e = tokenEnd(s, i);
    if (e === i) return headerFail("malformed Via sent-protocol");
    if (n === 1) version = e - i === 3 && s.startsWith("2.0", i) ? "2.0" : s.slice(i, e);
    else transport = e - i === 3 ? knownTransport(s, i) ?? s.slice(i, e) : s.slice(i, e);
  }
  i = e;
  const start = skipLws(s, i);
  if (start === i) return headerFail("Via needs LWS before sent-by");
  let hostEnd: number;
  if (s.charCodeAt(start) === 0x5b) {
    hostEnd = s.indexOf("]", start) + 1;
    if (hostEnd === 0) return headerFail("unterminated IPv6 reference in Via");
  } else {
    hostEnd = start;
    while (hostEnd < s.length) {
      const c = s.charCodeAt(hostEnd);
      if (!((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2e || c === 0x2d || (c >= 0x41 && c <= 0x5a))) break;
      hostEnd++;
    }
  }
  const host = s.slice(start, hostEnd);
  if (!isValidHost(host)) return headerFail(`malformed Via sent-by host "${host.slice(0, 64)}"`);
  const via = new ParsedVia(name === "SIP" && version === "2.0" ? "SIP/2.0" : `${name.toUpperCase()}/${version}`, upper(transport), host, s);
  const w = via as { -readonly [K in keyof Via]: Via[K] };
  i = skipLws(s, hostEnd);
  if (s.charCodeAt(i) === 0x3a) {
    const port = readPort(s, skipLws(s, i + 1));
    if (port < 0) return headerFail("malformed Via port");
    w.port = port;
    i = portEnd;
  }
  via[AT] = i;
  const fault = scanParams(s, i, RANGES);
  if (fault !== undefined) return fault;
  const r = RANGES.r;
  const end = RANGES.end;
  if (end !== s.length) return headerFail(`junk in Via at "${s.slice(end, end + 20)}"`);
  // As in a Map of the parameters: a repeated name's last value counts.
  let branch = -1;
  let received = -1;
  let rport = -1;
  let maddr = -1;
  for (let k = 0; k < RANGES.n; k += 4) {
    const ns = r[k]!;
    const ne = r[k + 1]!;
    const c = s.charCodeAt(ns) | 0x20;
    if (c === 0x62 /* b */ && nameIs(s, ns, ne, "branch")) branch = k;
    else if (c === 0x72 /* r */ && nameIs(s, ns, ne, "received")) received = k;
    else if (c === 0x72 && nameIs(s, ns, ne, "rport")) rport = k;
    else if (c === 0x6d /* m */ && nameIs(s, ns, ne, "maddr")) maddr = k;
  }
  if (branch >= 0) {
    if (r[branch + 2]! < 0) return headerFail("Via branch without a value");
    w.branch = s.slice(r[branch + 2], r[branch + 3]);
  }
  if (received >= 0 && r[received + 2]! >= 0) w.received = s.slice(r[received + 2], r[received + 3]);
  if (rport >= 0) {
    const vs = r[rport + 2]!;
    if (vs < 0) w.rport = null;
    else {
      const port = readPort(s, vs);
      if (port < 0 || portEnd !== r[rport + 3]) return headerFail("malformed Via rport");
      w.rport = port;
    }
  }
  if (maddr >= 0 && r[maddr + 2]! >= 0) w.maddr = s.slice(r[maddr + 2], r[maddr + 3]);
  return ok(via);
}

/** Parse one Via header line (which may hold several comma-separated values). */
export function parseVia(value: string): Result<Via[], HeaderParseError> {
  if (value.indexOf(",") < 0) {
    // one value (the usual line): no list to split
    const item = value.trim();
    if (item.length === 0) return headerFail("empty Via value");
    const v = parseOne(item);
    return v.ok ? ok([v.value]) : v;
  }
  const out: Via[] = [];
  for (const item of splitList(value)) {
    if (item.length === 0) return headerFail("empty Via value");
    const v = parseOne(item);
    if (!v.ok) return v;
    out.push(v.value);
  }
  return ok(out);
}

export function serializeVia(v: Via): string {
  const hostport = v.port === undefined ? v.host : `${v.host}:${v.port}`;
  // A copy spread from a parsed Via whose params were never read carries the text they come from.
  const src = v as unknown as ParamSource;
  const params = (v.params as Params | undefined) ?? src[MAP] ?? paramsFromText(src[SRC], src[AT]);
  return `${v.protocol}/${v.transport} ${hostport}${serializeParams(params)}`;
}

/** sent-by with the port made explicit (default per transport), for matching and response routing. */
export function viaSentBy(v: Via): { host: string; port: number } {
  const def = Object.hasOwn(DEFAULT_PORTS, v.transport) ? (DEFAULT_PORTS as Record<string, number>)[v.transport]! : 5060;
  return { host: v.host, port: v.port ?? def };
}
