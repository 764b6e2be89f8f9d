import { err, ok, type Result, type TaggedError } from "@ims/runtime";
import { unescapeUri } from "./escape.js";
import type { AbsoluteUri, SipUri, TelUri, Uri } from "./types.js";
import { serializeUri } from "./serialize.js";

export type UriParseError = TaggedError<"uri-parse">;

const fail = (reason: string): { ok: false; error: UriParseError } => err({ tag: "uri-parse", reason });

/*
 * The parsers below read a URI in place, as text[s, e), with offsets instead of substrings: checking
 * a URI (`checkUri`, e.g. the URI of a From header nobody reads) allocates nothing, and building one
 * allocates only its parts. Each returns the reason of the first fault as a string.
 */

/** Index of `ch` (one character) in t[s, e), or -1 (for a search that may run to the end of t). */
function indexIn(t: string, ch: string, s: number, e: number): number {
  const i = t.indexOf(ch, s);
  return i < e ? i : -1;
}

/** Index of '=' in t[s, e), or -1 (a search repeated per parameter: never past e). */
function equalsIn(t: string, s: number, e: number): number {
  for (let i = s; i < e; i++) if (t.charCodeAt(i) === 0x3d) return i;
  return -1;
}

const isHex = (c: number): boolean => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);

/** A run of the characters a URI may hold: not controls, space, DEL, the delimiters "<>\"" nor non-ASCII. */
const URI_CHARS = /[!#-;=?-~]*/y;

/**
 * What is wrong with the characters of t[s, e), or undefined: characters never allowed anywhere in a
 * URI, then a '%' not starting a %HH escape. (A sticky regular expression, not a loop of charCodeAt:
 * header values are slices of the message text, which the regular expression reads in place.)
 */
function badChars(t: string, s: number, e: number): string | undefined {
  URI_CHARS.lastIndex = s;
  URI_CHARS.test(t);
  if (URI_CHARS.lastIndex < e) return "forbidden character in URI";
  for (let i = t.indexOf("%", s); i >= 0 && i < e; i = t.indexOf("%", i + 1)) {
    if (i + 2 >= e || !isHex(t.charCodeAt(i + 1)) || !isHex(t.charCodeAt(i + 2))) return "malformed %-escape in URI";
  }
  return undefined;
}

/** scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ), at t[s, e). */
function validScheme(t: string, s: number, e: number): boolean {
  if (e <= s) return false;
  for (let i = s; i < e; i++) {
    const c = t.charCodeAt(i) | 0x20;
    if (c >= 0x61 && c <= 0x7a) continue;
    const d = t.charCodeAt(i);
    if (i === s || !((d >= 0x30 && d <= 0x39) || d === 0x2b || d === 0x2d || d === 0x2e)) return false;
  }
  return true;
}

/** True when t[s, e) is `lower` (lower-case ASCII letters), ignoring case. */
function isWord(t: string, s: number, e: number, lower: string): boolean {
  if (e - s !== lower.length) return false;
  for (let i = 0; i < lower.length; i++) if ((t.charCodeAt(s + i) | 0x20) !== lower.charCodeAt(i)) return false;
  return true;
}

/** IPv6reference as this parser accepts it: "[" 1*( HEXDIG / ":" / "." ) "]". */
function validIpv6(t: string, s: number, e: number): boolean {
  if (e - s < 3 || t.charCodeAt(s) !== 0x5b || t.charCodeAt(e - 1) !== 0x5d) return false;
  for (let i = s + 1; i < e - 1; i++) {
    const c = t.charCodeAt(i);
    if (!(isHex(c) || c === 0x3a || c === 0x2e)) return false;
  }
  return true;
}

/** host = hostname / IPv4address / IPv6reference (RFC 3261 §25.1), at t[s, e). */
function validHost(t: string, s: number, e: number): boolean {
  if (t.charCodeAt(s) === 0x5b && s < e) return validIpv6(t, s, e);
  // hostname / IPv4: labels of alphanumerics and inner '-', separated by single dots, optional final dot
  if (e <= s) return false;
  let labelStart = s;
  for (let i = s; i <= e; i++) {
    const c = i < e ? t.charCodeAt(i) : 0x2e;
    if (c === 0x2e) {
      if (i === labelStart) return i === e && i > s; // empty label only allowed as the final dot
      if (t.charCodeAt(labelStart) === 0x2d || t.charCodeAt(i - 1) === 0x2d) return false;
      labelStart = i + 1;
    } else if (!((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2d || (c >= 0x41 && c <= 0x5a))) {
      return false;
    }
  }
  return true;
}

/** host = hostname / IPv4address / IPv6reference (RFC 3261 §25.1). */
export function isValidHost(host: string): boolean {
  return validHost(host, 0, host.length);
}

/**
 * URI parameters at t[s, e) (the text after the first ';'): names unescaped and lower-cased, values
 * raw, set in `into` when given (else only checked).
 */
function paramsIn(t: string, s: number, e: number, into: Map<string, string | null> | undefined): string | undefined {
  if (s >= e) return undefined;
  let start = s;
  while (start <= e) {
    let end = indexIn(t, ";", start, e);
    if (end < 0) end = e;
    if (end === start) return "empty URI parameter";
    const eq = equalsIn(t, start, end);
    // names are compared unescaped and case-insensitively (";%6C%72" is ";lr", RFC 4475 §3.1.1.3)
    if (eq === start) return "URI parameter without a name";
    if (into !== undefined) {
      const raw = t.slice(start, eq < 0 ? end : eq);
      const name = (raw.indexOf("%") >= 0 ? unescapeUri(raw) : raw).toLowerCase();
      if (name.length === 0) return "URI parameter without a name";
      into.set(name, eq < 0 ? null : t.slice(eq + 1, end));
    }
    start = end + 1;
  }
  return undefined;
}

/** Parse URI parameters (the text after the first ';'): names unescaped and lower-cased, values raw. */
export function parseUriParams(s: string, into: Map<string, string | null>): string | undefined {
  return paramsIn(s, 0, s.length, into);
}

/** 1 to 5 digits at t[s, e), at most 65535; -1 otherwise. */
function portNumber(t: string, s: number, e: number): number {
  if (e <= s || e - s > 5) return -1;
  let v = 0;
  for (let i = s; i < e; i++) {
    const c = t.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return -1;
    v = v * 10 + (c - 0x30);
  }
  return v > 65535 ? -1 : v;
}

/** What the parsers below do: check a URI (and return undefined), check and build it, or build one checked before. */
const enum Mode {
  Check,
  Parse,
  Build,
}

/** The SIP/SIPS URI whose text after "scheme:" is t[s, e) (see Mode). */
function sipIn(scheme: "sip" | "sips", t: string, s: number, e: number, mode: Mode): SipUri | string | undefined {
  const build = mode !== Mode.Check;
  // The user part may hold '?', ';' and '/' (user-unreserved) but never a raw '@', which cannot
  // appear anywhere else in a SIP URI either: so userinfo ends at the first '@'.
  let user: string | undefined;
  let password: string | undefined;
  let i = s;
  const at = indexIn(t, "@", s, e);
  if (at >= 0) {
    const colon = indexIn(t, ":", s, at);
    const userEnd = colon < 0 ? at : colon;
    if (userEnd === s) return "empty user part";
    if (build) {
      user = t.slice(s, userEnd);
      if (colon >= 0) password = t.slice(colon + 1, at);
    }
    i = at + 1;
  }
  const q = indexIn(t, "?", i, e);
  const end = q < 0 ? e : q;
  const close = t.charCodeAt(i) === 0x5b && i < end ? indexIn(t, "]", i, end) : -1;
  const semi = indexIn(t, ";", close < 0 ? i : close, end);
  const hostportEnd = semi < 0 ? end : semi;
  let params: Map<string, string | null> | undefined;
  if (build) params = new Map();
  if (semi >= 0) {
    const fault = paramsIn(t, semi + 1, end, params);
    if (fault !== undefined) return fault;
  }
  let hostEnd: number;
  let portStart = -1;
  if (t.charCodeAt(i) === 0x5b && i < hostportEnd) {
    const c = indexIn(t, "]", i, hostportEnd);
    if (c < 0) return "unterminated IPv6 reference";
    hostEnd = c + 1;
    if (mode !== Mode.Build && !validIpv6(t, i, hostEnd)) return "malformed IPv6 reference";
    if (hostEnd < hostportEnd) {
      if (t.charCodeAt(hostEnd) !== 0x3a) return "junk after IPv6 reference";
      portStart = hostEnd + 1;
    }
  } else {
    const colon = indexIn(t, ":", i, hostportEnd);
    hostEnd = colon < 0 ? hostportEnd : colon;
    if (colon >= 0) portStart = colon + 1;
    if (mode !== Mode.Build && !validHost(t, i, hostEnd)) return `malformed host "${t.slice(i, Math.min(hostEnd, i + 64))}"`;
  }
  let port = -1;
  if (portStart >= 0) {
    port = portNumber(t, portStart, hostportEnd);
    if (port < 0) return "malformed port";
  }
  const headers: Array<readonly [name: string, value: string]> | undefined = build ? [] : undefined;
  if (q >= 0) {
    for (let h = q + 1; h <= e; ) {
      let amp = indexIn(t, "&", h, e);
      if (amp < 0) amp = e;
      const eq = equalsIn(t, h, amp);
      if (eq <= h) return "malformed URI header";
      if (headers !== undefined) headers.push([t.slice(h, eq), t.slice(eq + 1, amp)]);
      h = amp + 1;
    }
  }
  if (!build) return undefined;
  const uri: SipUri = { kind: "sip", scheme, host: t.slice(i, hostEnd), params: params!, headers: headers! };
  if (user !== undefined) uri.user = user;
  if (password !== undefined) uri.password = password;
  if (port >= 0) uri.port = port;
  return uri;
}

/** RFC 3966: global-number-digits ("+" digits and visual separators) or local-number-digits (hex, '*', '#'). */
function validTelNumber(t: string, s: number, e: number): boolean {
  const global = t.charCodeAt(s) === 0x2b && s < e;
  let digits = 0;
  for (let i = global ? s + 1 : s; i < e; i++) {
    const c = t.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) digits++;
    else if (c === 0x2d || c === 0x2e || c === 0x28 || c === 0x29) continue;
    else if (!global && ((c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66) || c === 0x2a || c === 0x23)) digits++;
    else return false;
  }
  return digits > 0;
}

function telIn(t: string, s: number, e: number, mode: Mode): TelUri | string | undefined {
  const build = mode !== Mode.Check;
  const semi = indexIn(t, ";", s, e);
  const numberEnd = semi < 0 ? e : semi;
  if (mode !== Mode.Build && !validTelNumber(t, s, numberEnd)) return "malformed telephone number";
  const params = build ? new Map<string, string | null>() : undefined;
  if (semi >= 0) {
    const fault = paramsIn(t, semi + 1, e, params);
    if (fault !== undefined) return fault;
  }
  return build ? { kind: "tel", scheme: "tel", number: t.slice(s, numberEnd), params: params! } : undefined;
}

/** The URI at t[s, e) (see Mode; Check returns undefined when it is well formed); a string is the fault. */
function uriIn(t: string, s: number, e: number, mode: Mode): Uri | string | undefined {
  const colon = indexIn(t, ":", s, e);
  if (colon <= s) return "URI without a scheme";
  if (mode !== Mode.Build) {
    if (!validScheme(t, s, colon)) return "malformed URI scheme";
    const bad = badChars(t, s, e);
    if (bad !== undefined) return bad;
  }
  const rest = colon + 1;
  if (isWord(t, s, colon, "sip")) return sipIn("sip", t, rest, e, mode);
  if (isWord(t, s, colon, "sips")) return sipIn("sips", t, rest, e, mode);
  if (isWord(t, s, colon, "tel")) return telIn(t, rest, e, mode);
  if (rest === e) return "empty URI";
  if (mode === Mode.Check) return undefined;
  const abs: AbsoluteUri = { kind: "absolute", scheme: t.slice(s, colon), opaque: t.slice(rest, e) };
  return abs;
}

/** Why text[s, e) is not a well-formed URI (as `parseUri` would say), or undefined when it is. Allocates nothing for a good one. */
export function checkUri(text: string, s: number, e: number): string | undefined {
  const r = uriIn(text, s, e, Mode.Check);
  return typeof r === "string" ? r : undefined;
}

/** Whether `text`, a URI `checkUri` found well formed, is a SIP/SIPS URI with headers ("?name=value"). */
export function hasUriHeaders(text: string): boolean {
  const colon = text.indexOf(":");
  if (!isWord(text, 0, colon, "sip") && !isWord(text, 0, colon, "sips")) return false;
  const at = text.indexOf("@", colon + 1);
  return text.indexOf("?", at < 0 ? colon + 1 : at + 1) >= 0;
}

/** The URI at text[s, e), which `checkUri` found well formed (so it is not checked again). */
export function builtUri(text: string, s: number, e: number): Uri {
  const r = uriIn(text, s, e, Mode.Build);
  if (r === undefined || typeof r === "string") throw new Error(`URI checked as well formed does not parse: ${r ?? "?"}`);
  return r;
}

/**
 * Parse a URI: SIP/SIPS (RFC 3261 §19.1.1) and tel (RFC 3966) into their parts, any other
 * absolute URI kept opaque. Never throws.
 */
export function parseUri(text: string): Result<Uri, UriParseError> {
  const r = uriIn(text, 0, text.length, Mode.Parse);
  return typeof r === "object" ? ok(r) : fail(r ?? "?");
}

/** True when t[s, e) holds no upper-case ASCII letter. */
function noUpper(t: string, s: number, e: number): boolean {
  for (let i = s; i < e; i++) {
    const c = t.charCodeAt(i);
    if (c >= 0x41 && c <= 0x5a) return false;
  }
  return true;
}

/** True when t[a, aEnd) and t[b, bEnd) are the same text. */
function sameText(t: string, a: number, aEnd: number, b: number, bEnd: number): boolean {
  if (aEnd - a !== bEnd - b) return false;
  for (let i = 0; i < aEnd - a; i++) if (t.charCodeAt(a + i) !== t.charCodeAt(b + i)) return false;
  return true;
}

/**
 * Whether the URI parameters at t[s, e) are written as `serializeUri` writes them: names neither
 * escaped nor upper-case, none repeated (a Map keeps one).
 */
function paramsAsSerialized(t: string, s: number, e: number): boolean {
  for (let start = s; start <= e; ) {
    let end = indexIn(t, ";", start, e);
    if (end < 0) end = e;
    const eq = equalsIn(t, start, end);
    const nameEnd = eq < 0 ? end : eq;
    if (indexIn(t, "%", start, nameEnd) >= 0 || !noUpper(t, start, nameEnd)) return false;
    for (let p = s; p < start; ) {
      let pEnd = indexIn(t, ";", p, start);
      if (pEnd < 0) pEnd = start;
      const pEq = equalsIn(t, p, pEnd);
      if (sameText(t, p, pEq < 0 ? pEnd : pEq, start, nameEnd)) return false;
      p = pEnd + 1;
    }
    start = end + 1;
  }
  return true;
}

/** Whether a well-formed URI at t[s, e) is written as `serializeUri` would write it back. */
function writtenAsSerialized(t: string, s: number, e: number): boolean {
  const colon = indexIn(t, ":", s, e);
  const rest = colon + 1;
  const sip = isWord(t, s, colon, "sip") || isWord(t, s, colon, "sips");
  if (!sip && !isWord(t, s, colon, "tel")) return true; // absolute: scheme and opaque part as sent
  if (!noUpper(t, s, colon)) return false;
  if (!sip) {
    const semi = indexIn(t, ";", rest, e);
    return semi < 0 || paramsAsSerialized(t, semi + 1, e);
  }
  const at = indexIn(t, "@", rest, e);
  const i = at < 0 ? rest : at + 1;
  const q = indexIn(t, "?", i, e);
  const end = q < 0 ? e : q;
  const close = t.charCodeAt(i) === 0x5b && i < end ? indexIn(t, "]", i, end) : -1;
  const semi = indexIn(t, ";", close < 0 ? i : close, end);
  const hostportEnd = semi < 0 ? end : semi;
  const portColon = indexIn(t, ":", close < 0 ? i : close, hostportEnd);
  // the port is written as a number: no leading zero
  if (portColon >= 0 && hostportEnd - portColon > 2 && t.charCodeAt(portColon + 1) === 0x30) return false;
  return semi < 0 || paramsAsSerialized(t, semi + 1, end);
}

/**
 * `serializeUri(builtUri(text, s, e))` for a URI `checkUri` found well formed: the text itself when
 * that is how it would be written back (the usual case), without building the URI and its params Map.
 */
export function serializedUriText(text: string, s: number, e: number): string {
  return writtenAsSerialized(text, s, e) ? text.slice(s, e) : serializeUri(builtUri(text, s, e));
}
