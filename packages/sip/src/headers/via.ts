import { ok, type Result } from "@ims/runtime";
import { isValidHost } from "../uri/parse.js";
import { headerFail, parseParams, serializeParams, skipLws, splitList, tokenEnd, type HeaderParseError, type Params } from "./lex.js";

/**
 * One Via value (RFC 3261 §20.42). `branch`, `received`, `rport`, `maddr` are read from `params`
 * at parse time; to change the header, edit `params` (and host/port) and `serializeVia`.
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

/** Reads decimal digits at s[i..]: the value and the end index, or undefined past 5 digits / 65535. */
function readPort(s: string, i: number): { value: number; end: number } | undefined {
  let v = 0;
  let e = i;
  while (e < s.length) {
    const c = s.charCodeAt(e);
    if (c < 0x30 || c > 0x39) break;
    v = v * 10 + (c - 0x30);
    e++;
  }
  return e === i || e - i > 5 || v > 65535 ? undefined : { value: v, end: e };
}

/** "SIP/2.0" and the common transports without allocating. */
const upper = (t: string): string => (t === "UDP" || t === "TCP" || t === "TLS" || t === "SIP" ? t : t.toUpperCase());

function parseOne(s: string): Result<Via, HeaderParseError> {
  // sent-protocol = protocol-name SLASH protocol-version SLASH transport (SLASH = SWS "/" SWS)
  let i = skipLws(s, 0);
  let e = tokenEnd(s, i);
  if (e === i) return headerFail("malformed Via sent-protocol");
  const name = s.slice(i, e);
  let version = "";
  let transport = "";
  for (let n = 1; n < 3; n++) {
    i = skipLws(s, e);
    if (s.charCodeAt(i) !== 0x2f) return headerFail("malformed Via sent-protocol");
    i = skipLws(s, i + 1);
    e = tokenEnd(s, i);
    if (e === i) return headerFail("malformed Via sent-protocol");
    if (n === 1) version = s.slice(i, e);
    else transport = s.slice(i, e);
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
  const via: { -readonly [K in keyof Via]: Via[K] } = {
    protocol: name === "SIP" && version === "2.0" ? "SIP/2.0" : `${name.toUpperCase()}/${version}`,
    transport: upper(transport),
    host,
    params: new Map(),
  };
  i = skipLws(s, hostEnd);
  if (s.charCodeAt(i) === 0x3a) {
    const port = readPort(s, skipLws(s, i + 1));
    if (port === undefined) return headerFail("malformed Via port");
    via.port = port.value;
    i = port.end;
  }
  const pr = parseParams(s, i, via.params);
  if (!pr.ok) return pr;
  if (pr.value.end !== s.length) return headerFail(`junk in Via at "${s.slice(pr.value.end, pr.value.end + 20)}"`);
  const p = via.params;
  const branch = p.get("branch");
  if (branch === null) return headerFail("Via branch without a value");
  if (branch !== undefined) via.branch = branch;
  const received = p.get("received");
  if (received !== undefined && received !== null) via.received = received;
  if (p.has("rport")) {
    const r = p.get("rport");
    if (r === null || r === undefined) via.rport = null;
    else {
      const port = readPort(r, 0);
      if (port === undefined || port.end !== r.length) return headerFail("malformed Via rport");
      via.rport = port.value;
    }
  }
  const maddr = p.get("maddr");
  if (maddr !== undefined && maddr !== null) via.maddr = maddr;
  return ok(via);
}

/** Parse one Via header line (which may hold several comma-separated values). */
export function parseVia(value: string): Result<Via[], HeaderParseError> {
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
  return `${v.protocol}/${v.transport} ${hostport}${serializeParams(v.params)}`;
}

/** sent-by with the port made explicit (default per transport), for matching and response routing. */
export function viaSentBy(v: Via): { host: string; port: number } {
  const def = Object.hasOwn(DEFAULT_PORTS, v.transport) ? (DEFAULT_PORTS as Record<string, number>)[v.transport]! : 5060;
  return { host: v.host, port: v.port ?? def };
}
