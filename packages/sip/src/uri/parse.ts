import { err, ok, type Result, type TaggedError } from "@ims/runtime";
import { unescapeUri, validEscapes } from "./escape.js";
import type { AbsoluteUri, SipUri, TelUri, Uri } from "./types.js";

export type UriParseError = TaggedError<"uri-parse">;

const fail = (reason: string): { ok: false; error: UriParseError } => err({ tag: "uri-parse", reason });

/** Characters never allowed anywhere in a URI: controls, space, DEL, and the delimiters "<>\"". */
function hasForbidden(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c <= 0x20 || c === 0x7f || c === 0x3c || c === 0x3e || c === 0x22 || c > 0x7e) return true;
  }
  return false;
}

const SCHEME_RE = /^[A-Za-z][A-Za-z0-9+\-.]*$/;
const IPV6_RE = /^\[[0-9A-Fa-f:.]+\]$/;

/** host = hostname / IPv4address / IPv6reference (RFC 3261 §25.1). */
export function isValidHost(host: string): boolean {
  if (host.charCodeAt(0) === 0x5b) return IPV6_RE.test(host);
  // hostname / IPv4: labels of alphanumerics and inner '-', separated by single dots, optional final dot
  const n = host.length;
  if (n === 0) return false;
  let labelStart = 0;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? host.charCodeAt(i) : 0x2e;
    if (c === 0x2e) {
      if (i === labelStart) return i === n && i > 0; // empty label only allowed as the final dot
      if (host.charCodeAt(labelStart) === 0x2d || host.charCodeAt(i - 1) === 0x2d) return false;
      labelStart = i + 1;
    } else if (!((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2d || (c >= 0x41 && c <= 0x5a))) {
      return false;
    }
  }
  return true;
}

/** Parse URI parameters (the text after the first ';'): names unescaped and lower-cased, values raw. */
export function parseUriParams(s: string, into: Map<string, string | null>): string | undefined {
  if (s.length === 0) return undefined;
  let start = 0;
  while (start <= s.length) {
    let end = s.indexOf(";", start);
    if (end < 0) end = s.length;
    if (end === start) return "empty URI parameter";
    let eq = -1;
    for (let k = start; k < end; k++) {
      if (s.charCodeAt(k) === 0x3d) {
        eq = k;
        break;
      }
    }
    // names are compared unescaped and case-insensitively (";%6C%72" is ";lr", RFC 4475 §3.1.1.3)
    const raw = s.slice(start, eq < 0 ? end : eq);
    const name = (raw.indexOf("%") >= 0 ? unescapeUri(raw) : raw).toLowerCase();
    if (name.length === 0) return "URI parameter without a name";
    into.set(name, eq < 0 ? null : s.slice(eq + 1, end));
    start = end + 1;
  }
  return undefined;
}

/** 1 to 5 digits, at most 65535; -1 otherwise. */
function portNumber(t: string): number {
  if (t.length === 0 || t.length > 5) return -1;
  let v = 0;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return -1;
    v = v * 10 + (c - 0x30);
  }
  return v > 65535 ? -1 : v;
}

function parseSip(scheme: "sip" | "sips", rest: string): Result<SipUri, UriParseError> {
  // The user part may hold '?', ';' and '/' (user-unreserved) but never a raw '@', which cannot
  // appear anywhere else in a SIP URI either: so userinfo ends at the first '@'.
  const uri: SipUri = { kind: "sip", scheme, host: "", params: new Map(), headers: [] };
  const at = rest.indexOf("@");
  if (at >= 0) {
    const userinfo = rest.slice(0, at);
    rest = rest.slice(at + 1);
    const colon = userinfo.indexOf(":");
    const user = colon < 0 ? userinfo : userinfo.slice(0, colon);
    if (user.length === 0) return fail("empty user part");
    uri.user = user;
    if (colon >= 0) uri.password = userinfo.slice(colon + 1);
  }
  let hdrs: string | undefined;
  const q = rest.indexOf("?");
  if (q >= 0) {
    hdrs = rest.slice(q + 1);
    rest = rest.slice(0, q);
  }
  let hostport: string;
  const semi = rest.indexOf(";", rest.startsWith("[") ? rest.indexOf("]") : 0);
  if (semi >= 0) {
    hostport = rest.slice(0, semi);
    const e = parseUriParams(rest.slice(semi + 1), uri.params);
    if (e !== undefined) return fail(e);
  } else {
    hostport = rest;
  }
  let portText: string | undefined;
  if (hostport.startsWith("[")) {
    const close = hostport.indexOf("]");
    if (close < 0) return fail("unterminated IPv6 reference");
    uri.host = hostport.slice(0, close + 1);
    if (!IPV6_RE.test(uri.host)) return fail("malformed IPv6 reference");
    const after = hostport.slice(close + 1);
    if (after.length > 0) {
      if (!after.startsWith(":")) return fail("junk after IPv6 reference");
      portText = after.slice(1);
    }
  } else {
    const colon = hostport.indexOf(":");
    uri.host = colon < 0 ? hostport : hostport.slice(0, colon);
    if (colon >= 0) portText = hostport.slice(colon + 1);
    if (!isValidHost(uri.host)) return fail(`malformed host "${uri.host.slice(0, 64)}"`);
  }
  if (portText !== undefined) {
    const port = portNumber(portText);
    if (port < 0) return fail("malformed port");
    uri.port = port;
  }
  if (hdrs !== undefined) {
    for (const h of hdrs.split("&")) {
      const eq = h.indexOf("=");
      if (eq <= 0) return fail("malformed URI header");
      uri.headers.push([h.slice(0, eq), h.slice(eq + 1)]);
    }
  }
  return ok(uri);
}

/** RFC 3966: global-number-digits ("+" digits and visual separators) or local-number-digits (hex, '*', '#'). */
function validTelNumber(n: string): boolean {
  const global = n.charCodeAt(0) === 0x2b;
  let digits = 0;
  for (let i = global ? 1 : 0; i < n.length; i++) {
    const c = n.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) digits++;
    else if (c === 0x2d || c === 0x2e || c === 0x28 || c === 0x29) continue;
    else if (!global && ((c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66) || c === 0x2a || c === 0x23)) digits++;
    else return false;
  }
  return digits > 0;
}

function parseTel(rest: string): Result<TelUri, UriParseError> {
  const semi = rest.indexOf(";");
  const number = semi < 0 ? rest : rest.slice(0, semi);
  if (!validTelNumber(number)) return fail("malformed telephone number");
  const params = new Map<string, string | null>();
  if (semi >= 0) {
    const e = parseUriParams(rest.slice(semi + 1), params);
    if (e !== undefined) return fail(e);
  }
  return ok({ kind: "tel", scheme: "tel", number, params });
}

/**
 * Parse a URI: SIP/SIPS (RFC 3261 §19.1.1) and tel (RFC 3966) into their parts, any other
 * absolute URI kept opaque. Never throws.
 */
export function parseUri(text: string): Result<Uri, UriParseError> {
  const colon = text.indexOf(":");
  if (colon <= 0) return fail("URI without a scheme");
  const schemeText = text.slice(0, colon);
  if (!SCHEME_RE.test(schemeText)) return fail("malformed URI scheme");
  if (hasForbidden(text)) return fail("forbidden character in URI");
  if (text.indexOf("%") >= 0 && !validEscapes(text)) return fail("malformed %-escape in URI");
  const scheme = colon === 3 && text.startsWith("sip") ? "sip" : schemeText.toLowerCase();
  const rest = text.slice(colon + 1);
  if (scheme === "sip" || scheme === "sips") return parseSip(scheme, rest);
  if (scheme === "tel") return parseTel(rest);
  if (rest.length === 0) return fail("empty URI");
  const abs: AbsoluteUri = { kind: "absolute", scheme: schemeText, opaque: rest };
  return ok(abs);
}
