import { ok, type Result } from "@ims/runtime";
import { builtUri, checkUri, serializedUriText } from "../uri/parse.js";
import { serializeUri } from "../uri/serialize.js";
import type { Uri } from "../uri/types.js";
import { headerFail, isTokenChar, nameIs, ParamRanges, paramsFromText, quote, scanParams, serializeParams, skipLws, splitList, unquote, type HeaderParseError, type Params } from "./lex.js";

/**
 * name-addr / addr-spec with header parameters (RFC 3261 §20.10, §20.20, §20.39, RFC 3327,
 * RFC 3608, RFC 3325, RFC 3455): From, To, Contact, Route, Record-Route, Path, Service-Route,
 * P-Asserted-Identity, P-Preferred-Identity, P-Associated-URI, Refer-To...
 */
export interface NameAddr {
  /** Display name, unquoted and unescaped; absent when none was given. */
  display?: string;
  /** The URI (checked when the value is parsed, built when first read). */
  uri: Uri;
  /** Header parameters (outside the <>): tag, expires, q, lr is inside the URI. Built when first read. */
  params: Params;
  /** The tag parameter (From/To), read at parse time. */
  readonly tag?: string;
}

/**
 * The value text, where its URI is and where its header parameters start: `uri` and `params` are
 * built from them when first read (most From, To and Contact URIs are only checked, never read).
 */
const SRC: unique symbol = Symbol("name-addr text");
const AT: unique symbol = Symbol("name-addr params offset");
const MAP: unique symbol = Symbol("name-addr params");
const URI_START: unique symbol = Symbol("name-addr URI start");
const URI_END: unique symbol = Symbol("name-addr URI end");
const URI: unique symbol = Symbol("name-addr URI");

interface ParamSource {
  readonly [SRC]?: string;
  readonly [AT]?: number;
  readonly [MAP]?: Params | undefined;
  readonly [URI_START]?: number;
  readonly [URI_END]?: number;
  readonly [URI]?: Uri | undefined;
}

class ParsedNameAddr implements NameAddr {
  declare display?: string;
  declare readonly tag?: string;
  readonly [SRC]: string;
  readonly [AT]: number;
  [MAP]: Params | undefined;
  readonly [URI_START]: number;
  readonly [URI_END]: number;
  [URI]: Uri | undefined;

  constructor(src: string, uriStart: number, uriEnd: number, at: number) {
    this[SRC] = src;
    this[AT] = at;
    this[MAP] = undefined;
    this[URI_START] = uriStart;
    this[URI_END] = uriEnd;
    this[URI] = undefined;
  }

  get uri(): Uri {
    return (this[URI] ??= builtUri(this[SRC], this[URI_START], this[URI_END]));
  }

  set uri(uri: Uri) {
    this[URI] = uri;
  }

  get params(): Params {
    return (this[MAP] ??= paramsFromText(this[SRC], this[AT]));
  }

  set params(params: Params) {
    this[MAP] = params;
  }
}

/** Parameter offsets of the name-addr being parsed (parseNameAddr is not reentrant). */
const RANGES = new ParamRanges();

/**
 * display-name = *(token LWS) (RFC 3261 §25.1). Non-ASCII UTF-8 is let through unquoted (some
 * clients send it; it is unambiguous), but other separators (',' '"' '<' ...) are not.
 */
function parseDisplayTokens(s: string): string | undefined {
  const t = s.trim();
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c < 0x80 && !isTokenChar(c)) return undefined;
  }
  return t;
}

/** Parse one element (no top-level commas). */
export function parseNameAddr(s: string): Result<NameAddr, HeaderParseError> {
  let i = skipLws(s, 0);
  let display: string | undefined;
  let uriStart: number;
  let uriEnd: number;
  let after: number;
  if (s.charCodeAt(i) === 0x22) {
    let end = i + 1;
    // find the closing quote, honouring quoted-pairs
    for (; end < s.length; end++) {
      const c = s.charCodeAt(end);
      if (c === 0x5c) end++;
      else if (c === 0x22) break;
    }
    if (end >= s.length) return headerFail("unterminated quoted display name");
    display = unquote(s.slice(i, end + 1));
    i = skipLws(s, end + 1);
    if (s.charCodeAt(i) !== 0x3c) return headerFail("display name not followed by <addr-spec>");
  } else {
    const lt = s.indexOf("<", i);
    if (lt >= 0) {
      const d = parseDisplayTokens(s.slice(i, lt));
      if (d === undefined) return headerFail("display name with non-token characters must be quoted");
      if (d.length > 0) display = d;
      i = lt;
    }
  }
  if (s.charCodeAt(i) === 0x3c) {
    const gt = s.indexOf(">", i);
    if (gt < 0) return headerFail("missing '>' after addr-spec");
    uriStart = i + 1;
    uriEnd = gt;
    after = gt + 1;
  } else {
    // addr-spec form: the URI ends at LWS or ';' (what follows are header parameters, §20.10)
    let e = i;
    while (e < s.length) {
      const c = s.charCodeAt(e);
      if (c === 0x3b || c === 0x20 || c === 0x09) break;
      e++;
    }
    for (let k = i; k < e; k++) {
      const c = s.charCodeAt(k);
      if (c === 0x3f || c === 0x2c) return headerFail("URI with '?' or ',' must be enclosed in <>");
    }
    uriStart = i;
    uriEnd = e;
    after = e;
  }
  const bad = checkUri(s, uriStart, uriEnd);
  if (bad !== undefined) return headerFail(`bad URI "${s.slice(uriStart, Math.min(uriEnd, uriStart + 64))}": ${bad}`);
  const fault = scanParams(s, after, RANGES);
  if (fault !== undefined) return fault;
  const end = RANGES.end;
  if (end !== s.length) return headerFail(`junk after addr-spec at "${s.slice(end, end + 20)}"`);
  // the tag is read now (as from a Map of the parameters: a repeated one's last value counts)
  const r = RANGES.r;
  let tag = -1;
  for (let k = 0; k < RANGES.n; k += 4) if (nameIs(s, r[k]!, r[k + 1]!, "tag")) tag = k;
  const na = new ParsedNameAddr(s, uriStart, uriEnd, after);
  const w = na as { -readonly [K in keyof NameAddr]: NameAddr[K] };
  if (display !== undefined) w.display = display;
  if (tag >= 0) {
    if (r[tag + 2]! < 0) return headerFail("tag parameter without a value");
    w.tag = s.slice(r[tag + 2], r[tag + 3]);
  }
  return ok(na);
}

/** Where `expiresAndQ` found them: value text, or null (no value), or undefined (absent). */
let foundExpires: string | null | undefined;
let foundQ: string | null | undefined;

/**
 * `na.params.get("expires")` and `.get("q")` into foundExpires / foundQ: read from the parameter
 * text of a parsed name-addr whose Map was not built, without building it (one scan for both).
 */
function expiresAndQ(na: NameAddr): void {
  if (na instanceof ParsedNameAddr && na[MAP] === undefined) {
    const s = na[SRC];
    if (scanParams(s, na[AT], RANGES) === undefined) {
      const r = RANGES.r;
      let e = -1;
      let q = -1;
      for (let k = 0; k < RANGES.n; k += 4) {
        if (nameIs(s, r[k]!, r[k + 1]!, "expires")) e = k;
        else if (nameIs(s, r[k]!, r[k + 1]!, "q")) q = k;
      }
      foundExpires = e < 0 ? undefined : r[e + 2]! < 0 ? null : s.slice(r[e + 2], r[e + 3]);
      foundQ = q < 0 ? undefined : r[q + 2]! < 0 ? null : s.slice(r[q + 2], r[q + 3]);
      return;
    }
  }
  foundExpires = na.params.get("expires");
  foundQ = na.params.get("q");
}

/** A comma-separated list of name-addrs (Route, Record-Route, Path, P-Associated-URI, ...). */
export function parseNameAddrList(value: string): Result<NameAddr[], HeaderParseError> {
  if (value.indexOf(",") < 0) {
    // one value (the usual line): no list to split
    const item = value.trim();
    if (item.length === 0) return headerFail("empty list element");
    const r = parseNameAddr(item);
    return r.ok ? ok([r.value]) : r;
  }
  const out: NameAddr[] = [];
  for (const item of splitList(value)) {
    if (item.length === 0) return headerFail("empty list element");
    const r = parseNameAddr(item);
    if (!r.ok) return r;
    out.push(r.value);
  }
  return ok(out);
}

/** Always writes the name-addr form ("Display" <uri>;params). */
export function serializeNameAddr(na: NameAddr): string {
  const d = na.display === undefined ? "" : `${quote(na.display)} `;
  // a copy spread from a parsed name-addr whose URI or params were never read carries their text
  const src = na as unknown as ParamSource;
  const params = (na.params as Params | undefined) ?? src[MAP] ?? paramsFromText(src[SRC], src[AT]);
  const uri = (na.uri as Uri | undefined) ?? src[URI] ?? builtUri(src[SRC]!, src[URI_START]!, src[URI_END]!);
  return `${d}<${serializeUri(uri)}>${serializeParams(params)}`;
}

/**
 * `serializeUri(na.uri)`, without building the URI of a parsed name-addr whose URI was never read
 * or set: its text when that is how it would be written back.
 */
export function nameAddrUriText(na: NameAddr): string {
  const src = na as unknown as ParamSource;
  const text = src[SRC];
  if (text !== undefined && src[URI] === undefined && (na instanceof ParsedNameAddr || (na.uri as Uri | undefined) === undefined)) {
    return serializedUriText(text, src[URI_START]!, src[URI_END]!);
  }
  return serializeUri((na.uri as Uri | undefined) ?? src[URI]!);
}

/**
 * The header parameters as `serializeParams` writes them (";name=value..."), without the one named
 * `without` (lower-case) when given; a parsed name-addr whose parameters were never read or set
 * gives slices of its text when that is how they would be written back (no Map).
 */
export function nameAddrParamsText(na: NameAddr, without?: string): string {
  const src = na as unknown as ParamSource;
  const text = src[SRC];
  if (text !== undefined && src[MAP] === undefined && (na instanceof ParsedNameAddr || (na.params as Params | undefined) === undefined)) {
    const t = paramsTextAsSerialized(text, src[AT]!, without);
    if (t !== undefined) return t;
  }
  const params = (na.params as Params | undefined) ?? src[MAP] ?? paramsFromText(text, src[AT]);
  let s = "";
  for (const [k, v] of params) if (k !== without) s += v === null ? `;${k}` : `;${k}=${v}`;
  return s;
}

/** True when s[a, aEnd) and s[b, bEnd) are the same text. */
function sameName(s: string, a: number, aEnd: number, b: number, bEnd: number): boolean {
  if (aEnd - a !== bEnd - b) return false;
  for (let i = 0; i < aEnd - a; i++) if (s.charCodeAt(a + i) !== s.charCodeAt(b + i)) return false;
  return true;
}

/**
 * The parameters at s[at...] as serializeParams would write their Map (less `without`), when the text
 * already is that: no LWS, lower-case names, none repeated. Undefined otherwise.
 */
function paramsTextAsSerialized(s: string, at: number, without: string | undefined): string | undefined {
  if (scanParams(s, at, RANGES) !== undefined) return undefined;
  const r = RANGES.r;
  const n = RANGES.n;
  let next = at; // where the next ';' must be
  let skip = -1;
  for (let k = 0; k < n; k += 4) {
    const ns = r[k]!;
    const ne = r[k + 1]!;
    const vs = r[k + 2]!;
    if (ns !== next + 1 || s.charCodeAt(next) !== 0x3b) return undefined;
    if (vs >= 0 && (vs !== ne + 1 || s.charCodeAt(ne) !== 0x3d)) return undefined;
    for (let i = ns; i < ne; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x41 && c <= 0x5a) return undefined;
    }
    for (let p = 0; p < k; p += 4) if (sameName(s, r[p]!, r[p + 1]!, ns, ne)) return undefined;
    if (without !== undefined && nameIs(s, ns, ne, without)) skip = k;
    next = vs >= 0 ? r[k + 3]! : ne;
  }
  if (skip < 0) return s.slice(at, next);
  const cut = r[skip]! - 1;
  const resume = r[skip + 2]! >= 0 ? r[skip + 3]! : r[skip + 1]!;
  return cut === at && resume === next ? "" : s.slice(at, cut) + s.slice(resume, next);
}

/** A Contact value: the binding plus expires and q read from its parameters (RFC 3261 §20.10). */
export interface Contact extends NameAddr {
  readonly expires?: number;
  readonly q?: number;
}

/** Contact: "*" (only in a REGISTER removing all bindings) or a list of contacts. */
export function parseContact(value: string): Result<"*" | Contact[], HeaderParseError> {
  if (value.trim() === "*") return ok("*");
  const list = parseNameAddrList(value);
  if (!list.ok) return list;
  // the parsed name-addrs become the contacts (expires and q added to each)
  const out: Contact[] = list.value;
  for (const na of list.value) {
    const c: { -readonly [K in keyof Contact]: Contact[K] } = na;
    expiresAndQ(na);
    const e = foundExpires;
    if (e !== undefined) {
      if (e === null || !/^\d+$/.test(e)) return headerFail("malformed Contact expires");
      c.expires = Math.min(Number(e), 0xffffffff);
    }
    const q = foundQ;
    if (q !== undefined) {
      if (q === null || !/^(0(\.\d{0,3})?|1(\.0{0,3})?)$/.test(q)) return headerFail("malformed Contact q");
      c.q = Number(q);
    }
  }
  return ok(out);
}
