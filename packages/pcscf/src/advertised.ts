import { type SipRequest, getFirstVia, headerLine, isValidHost, keyOf, replaceTopVia, serializeVia } from "@ims/sip";

/** How the P-CSCF names itself towards the UEs and the core (Via sent-by, Path, Record-Route). */
export interface Advertised {
  readonly host: string;
  readonly port: number;
}

/** RFC 3327 §4: the P-CSCF's Path entry; user "term" marks requests that come back over it (TS 24.229 §5.2.2.1). */
export const pathValue = (a: Advertised): string => `<sip:term@${a.host}:${a.port};lr>`;

/**
 * Our Via (the top one of a forwarded copy) names the advertised host instead of the bound
 * address. Responses still reach us: the next hop adds received= with the address the request
 * really came from (RFC 3261 §18.2.1) and answers there.
 */
export function advertiseVia(req: SipRequest, a: Advertised, bound: string): void {
  if (a.host === bound) return;
  const hs = req.headers;
  for (let i = 0; i < hs.length; i++) {
    const h = hs[i]!;
    if (keyOf(h) !== "via") continue;
    // The Via the stack just pushed is written as serializeVia would write it: swap the host in
    // the text rather than parse the value and serialize it again.
    const swapped = withSentByHost(h.value, bound, a.host);
    if (swapped === undefined) break;
    hs[i] = headerLine(h.name, swapped);
    return;
  }
  const via = getFirstVia(req);
  if (via === undefined || via.host !== bound) return;
  replaceTopVia(req, serializeVia({ ...via, host: a.host }));
}

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
const isLower = (c: number): boolean => c >= 0x61 && c <= 0x7a;
/** token chars (RFC 3261 §25.1) other than letters and digits: - . ! % * _ + ` ' ~ */
const isTokenMark = (c: number): boolean =>
  c === 0x2d || c === 0x2e || c === 0x21 || c === 0x25 || c === 0x2a || c === 0x5f || c === 0x2b || c === 0x60 || c === 0x27 || c === 0x7e;
/** A lower-case parameter name character (parsers lower-case names, so only these survive as written). */
const isNameChar = (c: number): boolean => isLower(c) || isDigit(c) || isTokenMark(c);
/** An unquoted parameter value character: token chars and the host characters : [ ] / */
const isValueChar = (c: number): boolean =>
  isNameChar(c) || (c >= 0x41 && c <= 0x5a) || c === 0x3a || c === 0x5b || c === 0x5d || c === 0x2f;
const isHostChar = (c: number): boolean => isLower(c) || isDigit(c) || c === 0x2e || c === 0x2d || (c >= 0x41 && c <= 0x5a);

/** Same characters at s[a..a+n) and s[b..b+n). */
function sameText(s: string, a: number, b: number, n: number): boolean {
  for (let k = 0; k < n; k++) if (s.charCodeAt(a + k) !== s.charCodeAt(b + k)) return false;
  return true;
}

/**
 * `value` (one Via value) with its sent-by host `from` replaced by `to`, when `value` is written
 * exactly as `serializeVia` writes what `parseVia` reads from it ("SIP/2.0/UDP host:port;name=value;name"
 * with lower-case, unquoted, unrepeated parameters, a port without leading zeros, a branch with a
 * value and a numeric rport if any), so that the result is what parsing, changing the host and
 * serializing would give; undefined when it is not of that form or names another host (the caller
 * then parses it).
 */
export function withSentByHost(value: string, from: string, to: string): string | undefined {
  const n = value.length;
  if (!value.startsWith("SIP/2.0/") || value.indexOf(",") >= 0) return undefined;
  if (!(value.startsWith("UDP ", 8) || value.startsWith("TCP ", 8) || value.startsWith("TLS ", 8))) return undefined;
  const hostStart = 12;
  let i = hostStart;
  while (i < n && isHostChar(value.charCodeAt(i))) i++;
  const hostEnd = i;
  if (hostEnd === hostStart) return undefined;
  if (hostEnd - hostStart !== from.length || !value.startsWith(from, hostStart)) return undefined;
  if (i < n && value.charCodeAt(i) === 0x3a) {
    const ps = ++i;
    i = digitsEnd(value, i);
    // written back as a number: no leading zero
    if (!isPort(value, ps, i) || (i - ps > 1 && value.charCodeAt(ps) === 0x30)) return undefined;
  }
  const paramsStart = i;
  while (i < n) {
    if (value.charCodeAt(i) !== 0x3b) return undefined;
    const ns = ++i;
    while (i < n && isNameChar(value.charCodeAt(i))) i++;
    const ne = i;
    if (ne === ns) return undefined;
    let vs = -1;
    if (i < n && value.charCodeAt(i) === 0x3d) {
      vs = ++i;
      while (i < n && isValueChar(value.charCodeAt(i))) i++;
      if (i === vs) return undefined;
    }
    const nameLen = ne - ns;
    if (nameLen === 6 && value.startsWith("branch", ns) && vs < 0) return undefined;
    if (nameLen === 5 && value.startsWith("rport", ns) && vs >= 0 && (digitsEnd(value, vs) !== i || !isPort(value, vs, i))) return undefined;
    // a repeated name would collapse into one (the parsed parameters are a map)
    for (let k = paramsStart; k < ns - 1; k++) {
      if (value.charCodeAt(k) !== 0x3b) continue;
      const end = k + 1 + nameLen;
      const c = value.charCodeAt(end);
      if (end <= ns - 1 && (c === 0x3b || c === 0x3d) && sameText(value, k + 1, ns, nameLen)) return undefined;
    }
  }
  if (!isValidHost(from)) return undefined;
  return value.slice(0, hostStart) + to + value.slice(hostEnd);
}

function digitsEnd(s: string, i: number): number {
  while (i < s.length && isDigit(s.charCodeAt(i))) i++;
  return i;
}

/** s[start..end) is 1 to 5 digits worth at most 65535 (what the Via parser takes as a port). */
function isPort(s: string, start: number, end: number): boolean {
  if (end === start || end - start > 5) return false;
  let v = 0;
  for (let k = start; k < end; k++) v = v * 10 + (s.charCodeAt(k) - 0x30);
  return v <= 65535;
}

/** Record-Route of the P-CSCF for dialogs it stays in (RFC 3261 §16.6 step 4, TS 24.229 §5.2.6.3). */
export const recordRouteValue = (a: Advertised): string => `<sip:${a.host}:${a.port};lr>`;
