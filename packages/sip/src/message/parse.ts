import { headerLine } from "./header-line.js";
import { err, ok, type Result } from "@ims/runtime";
import { headerKey } from "../headers/names.js";
import { isDigits, isToken, SCHEME, TOKEN } from "./chars.js";
import { parseError, type SipErrorStatus, type SipParseError } from "./parse-error.js";
import { ReceivedRequest, ReceivedResponse } from "./received.js";
import { resolveLimits, type ParseLimits, type SipHeader, type SipMessage } from "./types.js";

const CR = 0x0d;
const LF = 0x0a;

/**
 * Where the header block ends: index of the blank line and where the body starts. Lines end in
 * CRLF; a message whose first line ends in a bare LF is read with LF line ends (lenient).
 */
export function findHeaderEnd(buf: Buffer, from: number): { end: number; bodyStart: number } | undefined {
  const firstLf = buf.indexOf(LF, from);
  if (firstLf < 0) return undefined;
  if (firstLf > from && buf[firstLf - 1] === CR) {
    const crlf = buf.indexOf("\r\n\r\n", firstLf - 1, "latin1");
    return crlf < 0 ? undefined : { end: crlf, bodyStart: crlf + 4 };
  }
  const lf = buf.indexOf("\n\n", firstLf, "latin1");
  return lf < 0 ? undefined : { end: lf, bodyStart: lf + 2 };
}

/** RFC 3261 §7.5: CRLFs before the start line are ignored. */
export function skipLeadingCrlf(buf: Buffer): number {
  let i = 0;
  while (i < buf.length && (buf[i] === CR || buf[i] === LF)) i++;
  return i;
}

type StartLine =
  | { kind: "request"; method: string; uri: string }
  | { kind: "response"; status: number; reason: string };

function parseVersion(v: string, headers: SipHeader[], kind: "request" | "response", method?: string): SipParseError | undefined {
  if (v === "SIP/2.0" || v.toUpperCase() === "SIP/2.0") return undefined;
  const partial = method === undefined ? { kind, headers } : { kind, method, headers };
  if (/^SIP\/\d+\.\d+$/i.test(v)) return parseError(505, `SIP version ${v} not supported`, partial);
  return parseError(400, `malformed SIP version "${v.slice(0, 32)}"`, partial);
}

function parseStartLine(line: string, headers: SipHeader[]): StartLine | SipParseError {
  const sp1 = line.indexOf(" ");
  if (sp1 <= 0) {
    return parseError(400, "malformed start line", /^SIP\//i.test(line) ? { kind: "response", headers } : { headers });
  }
  if (line.charCodeAt(3) === 0x2f && line.slice(0, 3).toUpperCase() === "SIP") {
    const version = line.slice(0, sp1);
    const vErr = parseVersion(version, headers, "response");
    if (vErr !== undefined) return vErr;
    const code = line.slice(sp1 + 1, sp1 + 4);
    if (!isDigits(code) || (line.length > sp1 + 4 && line.charCodeAt(sp1 + 4) !== 0x20)) {
      return parseError(400, "malformed status code", { kind: "response", headers });
    }
    const status = Number(code);
    if (status < 100 || status > 699) return parseError(400, `status code ${status} out of range`, { kind: "response", headers });
    return { kind: "response", status, reason: line.slice(sp1 + 5) };
  }
  const method = line.slice(0, sp1);
  if (!isToken(method)) return parseError(400, "malformed method in request line", { headers });
  const sp2 = line.indexOf(" ", sp1 + 1);
  if (sp2 < 0) return parseError(400, "request line has no SIP version", { kind: "request", method, headers });
  const uri = line.slice(sp1 + 1, sp2);
  const version = line.slice(sp2 + 1);
  if (version.indexOf(" ") >= 0 || version.indexOf("\t") >= 0 || uri.length === 0) {
    return parseError(400, "request line must be METHOD SP Request-URI SP SIP-Version", { kind: "request", method, headers });
  }
  const vErr = parseVersion(version, headers, "request", method);
  if (vErr !== undefined) return vErr;
  if (!validUriStart(uri)) return parseError(400, "malformed Request-URI", { kind: "request", method, headers });
  return { kind: "request", method, uri };
}

/** absoluteURI starts with a scheme then ":"; rejects "<sip:...>" and other junk early. */
function validUriStart(uri: string): boolean {
  const colon = uri.indexOf(":");
  if (colon <= 0) return false;
  const c0 = uri.charCodeAt(0);
  if (!((c0 >= 0x41 && c0 <= 0x5a) || (c0 >= 0x61 && c0 <= 0x7a))) return false;
  for (let i = 1; i < colon; i++) {
    const c = uri.charCodeAt(i);
    if (c >= 128 || SCHEME[c] === 0) return false;
  }
  for (let i = colon + 1; i < uri.length; i++) {
    const c = uri.charCodeAt(i);
    if (c <= 0x20 || c === 0x7f || c === 0x3c || c === 0x3e || c === 0x22) return false;
  }
  return true;
}

/** A header-block fault; a start-line fault found earlier takes precedence. */
function fault0(
  sl: StartLine | SipParseError,
  status: SipErrorStatus,
  reason: string,
  partial: { kind?: "request" | "response"; method?: string; headers: SipHeader[] },
): { ok: false; error: SipParseError } {
  return err("tag" in sl ? sl : parseError(status, reason, partial));
}

function isWs(c: number): boolean {
  return c === 0x20 || c === 0x09;
}

/**
 * Parse one whole SIP message from a buffer (a datagram, or one message framed off a stream by
 * `frameMessage`). Never throws on peer input.
 *
 * Content-Length: when present the body is exactly that many bytes and trailing octets are ignored
 * (RFC 3261 §18.3); more than the buffer holds is an error (400). Absent, the body runs to the end of
 * the buffer (datagram rule). Conflicting or non-numeric values are errors.
 */
export function parseMessage(buf: Buffer, limits?: Partial<ParseLimits>): Result<SipMessage, SipParseError> {
  const lim = resolveLimits(limits);
  const headers: SipHeader[] = [];
  if (buf.length > lim.maxMessageBytes) return err(parseError(513, `message larger than ${lim.maxMessageBytes} bytes`));
  const start = skipLeadingCrlf(buf);
  const he = findHeaderEnd(buf, start);
  let headEnd: number;
  let bodyStart: number;
  if (he === undefined) {
    // No empty line ends the headers (RFC 3261 §7 requires one): an error, but the headers are
    // still read so that the error can be answered.
    headEnd = buf.length;
    bodyStart = -1;
  } else {
    headEnd = he.end;
    bodyStart = he.bodyStart;
  }
  const text = buf.toString("utf8", start, headEnd);
  let pos = text.indexOf("\n");
  if (pos < 0) pos = text.length;
  const startLine = text.charCodeAt(pos - 1) === CR ? text.slice(0, pos - 1) : text.slice(0, pos);
  // The start line is read first so that every error says whether it was a request (and its
  // method); a start-line fault is reported after the headers are read, so it can be answered.
  const sl = parseStartLine(startLine, headers);
  const partial =
    "tag" in sl
      ? { headers }
      : sl.kind === "request"
        ? { kind: sl.kind, method: sl.method, headers }
        : { kind: sl.kind, headers };
  let contentLength = -1;
  let lastName = "";
  let lastValue = "";
  let have = false;
  let count = 0;
  let fault: string | undefined;
  pos++;
  const n = text.length;
  const flush = (): boolean => {
    if (!have) return true;
    headers.push(headerLine(lastName, lastValue));
    if ((lastName.length === 14 || lastName.length === 1) && headerKey(lastName) === "content-length") {
      if (!isDigits(lastValue)) {
        fault = `malformed Content-Length "${lastValue.slice(0, 32)}"`;
        return false;
      }
      const v = Number(lastValue);
      if (contentLength >= 0 && v !== contentLength) {
        fault = "conflicting Content-Length values";
        return false;
      }
      contentLength = v;
    }
    return true;
  };
  while (pos < n) {
    let eol = text.indexOf("\n", pos);
    if (eol < 0) eol = n;
    const lineEnd = eol > pos && text.charCodeAt(eol - 1) === CR ? eol - 1 : eol;
    const c0 = text.charCodeAt(pos);
    if (isWs(c0)) {
      // folded continuation (RFC 3261 §7.3.1): LWS is equivalent to one SP
      if (!have) return fault0(sl, 400, "folded line before any header", partial);
      const more = text.slice(pos, lineEnd).trim();
      if (more.length > 0) lastValue = lastValue.length === 0 ? more : `${lastValue} ${more}`;
      if (lastValue.length > lim.maxHeaderLineBytes) return fault0(sl, 513, "header line too long", partial);
    } else {
      if (!flush()) return fault0(sl, 400, fault ?? "bad header", partial);
      // field-name = token, then optional whitespace, then ':' (HCOLON)
      let nameEnd = pos;
      while (nameEnd < lineEnd) {
        const c = text.charCodeAt(nameEnd);
        if (c >= 128 || TOKEN[c] === 0) break;
        nameEnd++;
      }
      let colon = nameEnd;
      while (colon < lineEnd && isWs(text.charCodeAt(colon))) colon++;
      if (colon >= lineEnd || text.charCodeAt(colon) !== 0x3a) {
        const anyColon = text.indexOf(":", pos);
        const reason =
          anyColon < 0 || anyColon > lineEnd
            ? "header line without a colon"
            : `malformed header name "${text.slice(pos, Math.min(anyColon, pos + 32))}"`;
        return fault0(sl, 400, reason, partial);
      }
      if (nameEnd === pos) return fault0(sl, 400, "empty header name", partial);
      const name = text.slice(pos, nameEnd);
      if (lineEnd - pos > lim.maxHeaderLineBytes) return fault0(sl, 513, "header line too long", partial);
      if (++count > lim.maxHeaders) return fault0(sl, 513, `more than ${lim.maxHeaders} header lines`, partial);
      let vs = colon + 1;
      while (vs < lineEnd && isWs(text.charCodeAt(vs))) vs++;
      let ve = lineEnd;
      while (ve > vs && isWs(text.charCodeAt(ve - 1))) ve--;
      lastName = name;
      lastValue = text.slice(vs, ve);
      have = true;
    }
    pos = eol + 1;
  }
  if (!flush()) return fault0(sl, 400, fault ?? "bad header", partial);
  if ("tag" in sl) return err(sl);
  if (bodyStart < 0) return err(parseError(400, "header block not terminated by an empty line", partial));
  let body: Buffer;
  if (contentLength >= 0) {
    if (bodyStart + contentLength > buf.length) {
      return err(parseError(400, `Content-Length ${contentLength} exceeds the ${buf.length - bodyStart} body bytes received`, partial));
    }
    body = buf.subarray(bodyStart, bodyStart + contentLength);
  } else {
    body = buf.subarray(bodyStart);
  }
  // the bytes this message is, for serializing it unchanged (only for CRLF-framed messages)
  const raw = he !== undefined && he.bodyStart === he.end + 4 ? buf.subarray(start, bodyStart + body.length) : undefined;
  if (sl.kind === "request") return ok(new ReceivedRequest(sl.method, sl.uri, headers, body, raw));
  return ok(new ReceivedResponse(sl.status, sl.reason, headers, body, raw));
}
