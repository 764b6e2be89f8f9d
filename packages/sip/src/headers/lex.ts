/**
 * Small lexer over header values (RFC 3261 §25.1): LWS, tokens, quoted strings, generic
 * parameters and comma-separated lists that respect quotes and angle brackets. Values reaching
 * here have folding already collapsed by the message parser.
 */
import { err, ok, type Result, type TaggedError } from "@ims/runtime";
import { TOKEN } from "../message/chars.js";

export type HeaderParseError = TaggedError<"header-parse">;

export const headerFail = (reason: string): { ok: false; error: HeaderParseError } => err({ tag: "header-parse", reason });

/** Header parameters: lower-cased names → raw value text (quoted strings keep their quotes), or null. */
export type Params = Map<string, string | null>;

export function skipLws(s: string, i: number): number {
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d && c !== 0x0a) break;
    i++;
  }
  return i;
}

/** 1 = token char, 2 = also allowed in an unquoted parameter value (host chars ':' '[' ']' '/'). */
const CLASS = (() => {
  const t = new Uint8Array(128);
  for (let c = 0; c < 128; c++) if (TOKEN[c] === 1) t[c] = 1;
  for (const c of ":[]/") t[c.charCodeAt(0)] = 2;
  return t;
})();

export function isTokenChar(c: number): boolean {
  return c < 128 && CLASS[c] === 1;
}

/** End of the token starting at i (== i when there is none). */
export function tokenEnd(s: string, i: number): number {
  const n = s.length;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c >= 128 || CLASS[c] !== 1) break;
    i++;
  }
  return i;
}

/** End of the unquoted parameter value starting at i. */
function valueEnd(s: string, i: number): number {
  const n = s.length;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c >= 128 || CLASS[c] === 0) break;
    i++;
  }
  return i;
}

/**
 * Read the quoted string starting at s[i] === '"'. Returns the unescaped content and the index
 * after the closing quote, or undefined when it is not terminated.
 */
export function readQuoted(s: string, i: number): { value: string; end: number } | undefined {
  let out = "";
  let j = i + 1;
  let run = j;
  while (j < s.length) {
    const c = s.charCodeAt(j);
    if (c === 0x5c) {
      if (j + 1 >= s.length) return undefined;
      out += s.slice(run, j) + s[j + 1];
      j += 2;
      run = j;
    } else if (c === 0x22) {
      return { value: out + s.slice(run, j), end: j + 1 };
    } else {
      j++;
    }
  }
  return undefined;
}

/** Index after the closing quote of the quoted string at s[i] === '"', or -1. */
export function quotedEnd(s: string, i: number): number {
  for (let j = i + 1; j < s.length; j++) {
    const c = s.charCodeAt(j);
    if (c === 0x5c) j++;
    else if (c === 0x22) return j + 1;
  }
  return -1;
}

/** Remove the quotes (and quoted-pair escapes) of a parameter value; other values unchanged. */
export function unquote(v: string): string;
export function unquote(v: string | null | undefined): string | undefined;
export function unquote(v: string | null | undefined): string | undefined {
  if (v === null || v === undefined) return undefined;
  if (v.length >= 2 && v.charCodeAt(0) === 0x22) {
    const q = readQuoted(v, 0);
    if (q !== undefined) return q.value;
  }
  return v;
}

/** Quote a string for a quoted-string (escapes '"' and '\'). */
export function quote(v: string): string {
  return `"${v.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

/**
 * Parse `*( SEMI name [EQUAL value] )` from s[i]. Stops at the first character that is not ';'
 * after LWS (returned as `end`). Empty parameters (";;") are errors.
 */
export function parseParams(s: string, i: number, params: Params = new Map()): Result<{ params: Params; end: number }, HeaderParseError> {
  for (;;) {
    const j = skipLws(s, i);
    if (j >= s.length || s.charCodeAt(j) !== 0x3b) return ok({ params, end: j });
    const ns = skipLws(s, j + 1);
    const ne = tokenEnd(s, ns);
    if (ne === ns) return headerFail(`empty or malformed parameter at "${s.slice(j, j + 20)}"`);
    const name = s.slice(ns, ne).toLowerCase();
    let k = skipLws(s, ne);
    if (k < s.length && s.charCodeAt(k) === 0x3d) {
      k = skipLws(s, k + 1);
      if (k < s.length && s.charCodeAt(k) === 0x22) {
        const qe = quotedEnd(s, k);
        if (qe < 0) return headerFail(`unterminated quoted string in parameter ${name}`);
        params.set(name, s.slice(k, qe));
        i = qe;
      } else {
        const e = valueEnd(s, k);
        if (e === k) return headerFail(`parameter ${name} has an empty value`);
        params.set(name, s.slice(k, e));
        i = e;
      }
    } else {
      params.set(name, null);
      i = ne;
    }
  }
}

/**
 * The params Map of a value parsed lazily (Via, name-addr): parsed from its text at `at` when first
 * read; a value that was built rather than parsed (no text) has none.
 */
export function paramsFromText(src: string | undefined, at: number | undefined): Params {
  if (src === undefined) return new Map();
  const r = parseParams(src, at ?? 0);
  return r.ok ? r.value.params : new Map();
}

/** Offsets of parameters read by `scanParams`; reusable (its array only grows). */
export class ParamRanges {
  /** Per parameter: name start, name end, value start, value end (-1, -1 without a value). */
  readonly r: number[] = [];
  /** Numbers used in `r` (4 per parameter). */
  n = 0;
  /** Index after the last parameter (as `parseParams`' `end`). */
  end = 0;
}

/**
 * What `parseParams` reads, without building a Map: the offsets of each parameter go to `out`
 * (a quoted value keeps its quotes). Returns the error parseParams would give, or undefined. For
 * parsers that only need a few parameters now and the Map maybe later.
 */
export function scanParams(s: string, i: number, out: ParamRanges): { ok: false; error: HeaderParseError } | undefined {
  const ranges = out.r;
  let n = 0;
  for (;;) {
    const j = skipLws(s, i);
    if (j >= s.length || s.charCodeAt(j) !== 0x3b) {
      out.n = n;
      out.end = j;
      return undefined;
    }
    const ns = skipLws(s, j + 1);
    const ne = tokenEnd(s, ns);
    if (ne === ns) return headerFail(`empty or malformed parameter at "${s.slice(j, j + 20)}"`);
    let k = skipLws(s, ne);
    if (k < s.length && s.charCodeAt(k) === 0x3d) {
      k = skipLws(s, k + 1);
      if (k < s.length && s.charCodeAt(k) === 0x22) {
        const qe = quotedEnd(s, k);
        if (qe < 0) return headerFail(`unterminated quoted string in parameter ${s.slice(ns, ne).toLowerCase()}`);
        ranges[n++] = ns;
        ranges[n++] = ne;
        ranges[n++] = k;
        ranges[n++] = qe;
        i = qe;
      } else {
        const e = valueEnd(s, k);
        if (e === k) return headerFail(`parameter ${s.slice(ns, ne).toLowerCase()} has an empty value`);
        ranges[n++] = ns;
        ranges[n++] = ne;
        ranges[n++] = k;
        ranges[n++] = e;
        i = e;
      }
    } else {
      ranges[n++] = ns;
      ranges[n++] = ne;
      ranges[n++] = -1;
      ranges[n++] = -1;
      i = ne;
    }
  }
}

/** True when s[start, end) is `lower` (a lower-case ASCII name), ignoring case. */
export function nameIs(s: string, start: number, end: number, lower: string): boolean {
  if (end - start !== lower.length) return false;
  for (let i = 0; i < lower.length; i++) {
    const c = s.charCodeAt(start + i);
    if ((c >= 0x41 && c <= 0x5a ? c | 0x20 : c) !== lower.charCodeAt(i)) return false;
  }
  return true;
}

/** Serialize parameters back to ";name=value" text. */
export function serializeParams(params: ReadonlyMap<string, string | null>): string {
  let s = "";
  for (const [k, v] of params) s += v === null ? `;${k}` : `;${k}=${v}`;
  return s;
}

/**
 * Split a header value on the commas that separate list elements (RFC 3261 §7.3.1), ignoring
 * commas inside quoted strings and <...>. Elements are trimmed; empty elements are kept (as "")
 * so that the typed parsers can reject them.
 */
export function splitList(s: string): string[] {
  if (s.indexOf(",") < 0) return [s.trim()];
  const out: string[] = [];
  let start = 0;
  let inQuote = false;
  let inAngle = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (inQuote) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inQuote = false;
    } else if (c === 0x22) inQuote = true;
    else if (c === 0x3c) inAngle = true;
    else if (c === 0x3e) inAngle = false;
    else if (c === 0x2c && !inAngle) {
      out.push(s.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(s.slice(start).trim());
  return out;
}

/** A comma-separated list of tokens (Supported, Require, Allow, ...). */
export function parseTokenList(s: string): Result<string[], HeaderParseError> {
  if (s.trim().length === 0) return ok([]);
  const out: string[] = [];
  for (const item of splitList(s)) {
    if (item.length === 0 || tokenEnd(item, 0) !== item.length) return headerFail(`malformed token "${item.slice(0, 32)}"`);
    out.push(item);
  }
  return ok(out);
}
