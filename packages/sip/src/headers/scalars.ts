import { ok, type Result } from "@ims/runtime";
import { isDigits } from "../message/chars.js";
import { headerFail, parseParams, skipLws, tokenEnd, type HeaderParseError, type Params } from "./lex.js";

/** CSeq (RFC 3261 §20.16): the number must fit 32 bits (§8.1.1.5 asks senders for < 2^31). */
export interface CSeq {
  seq: number;
  method: string;
}

export const MAX_CSEQ = 0xffffffff;

/** Methods spelled as usual are not sliced out of the value. */
const METHODS = ["REGISTER", "INVITE", "ACK", "BYE", "CANCEL", "OPTIONS", "PRACK", "SUBSCRIBE", "NOTIFY", "PUBLISH", "INFO", "REFER", "MESSAGE", "UPDATE"];

function methodAt(v: string, s: number, e: number): string {
  for (let i = 0; i < METHODS.length; i++) {
    const m = METHODS[i]!;
    if (m.length === e - s && v.startsWith(m, s)) return m;
  }
  return v.slice(s, e);
}

const isWs = (c: number): boolean => c === 0x20 || c === 0x09;

export function parseCSeq(value: string): Result<CSeq, HeaderParseError> {
  // 1*DIGIT LWS Method, as /^(\d+)[ \t]+([^ \t]+)$/ on the trimmed value
  const v = value.trim();
  let i = 0;
  let seq = 0;
  while (i < v.length) {
    const c = v.charCodeAt(i);
    if (c < 0x30 || c > 0x39) break;
    seq = seq * 10 + (c - 0x30);
    i++;
  }
  const digits = i;
  while (i < v.length && isWs(v.charCodeAt(i))) i++;
  const ms = i;
  while (i < v.length && !isWs(v.charCodeAt(i))) i++;
  if (digits === 0 || ms === digits || ms === v.length || i !== v.length) return headerFail("malformed CSeq");
  if (digits > 10 || seq > MAX_CSEQ) return headerFail("CSeq number larger than 2^32-1");
  if (tokenEnd(v, ms) !== v.length) return headerFail("malformed CSeq method");
  return ok({ seq, method: methodAt(v, ms, v.length) });
}

export const serializeCSeq = (c: CSeq): string => `${c.seq} ${c.method}`;

/** Max-Forwards (RFC 3261 §20.22): 0..255. */
export function parseMaxForwards(value: string): Result<number, HeaderParseError> {
  const v = value.trim();
  if (!isDigits(v)) return headerFail("malformed Max-Forwards");
  const n = Number(v);
  if (n > 255) return headerFail("Max-Forwards larger than 255");
  return ok(n);
}

/**
 * delta-seconds (Expires, Min-Expires; RFC 3261 §20.19): a decimal number of seconds; values over
 * 2^32-1 are taken as 2^32-1.
 */
export function parseDeltaSeconds(value: string): Result<number, HeaderParseError> {
  const v = value.trim();
  if (!isDigits(v)) return headerFail("malformed delta-seconds");
  return ok(v.length > 10 ? 0xffffffff : Math.min(Number(v), 0xffffffff));
}

export function parseContentLength(value: string): Result<number, HeaderParseError> {
  const v = value.trim();
  if (!isDigits(v) || v.length > 15) return headerFail("malformed Content-Length");
  return ok(Number(v));
}

/** Call-ID = word [ "@" word ] (RFC 3261 §25.1): no whitespace, at most one '@'. */
export function parseCallId(value: string): Result<string, HeaderParseError> {
  const v = value.trim();
  // callid = word ["@" word] (RFC 3261 §25.1): a word has no control characters (NUL included).
  if (v.length === 0 || /[\s;,=\x00-\x1f\x7f]/.test(v) || v.indexOf("@") !== v.lastIndexOf("@")) return headerFail("malformed Call-ID");
  return ok(v);
}

/** Content-Type (RFC 3261 §20.15): type/subtype with parameters; type and subtype lower-cased. */
export interface ContentType {
  type: string;
  subtype: string;
  params: Params;
}

export function parseContentType(value: string): Result<ContentType, HeaderParseError> {
  const s = value.trim();
  const te = tokenEnd(s, 0);
  let i = skipLws(s, te);
  if (te === 0 || s.charCodeAt(i) !== 0x2f) return headerFail("malformed media type");
  i = skipLws(s, i + 1);
  const se = tokenEnd(s, i);
  if (se === i) return headerFail("malformed media subtype");
  const p = parseParams(s, se);
  if (!p.ok) return p;
  if (p.value.end !== s.length) return headerFail("junk after media type");
  return ok({ type: s.slice(0, te).toLowerCase(), subtype: s.slice(i, se).toLowerCase(), params: p.value.params });
}
