import { keyOf, headerLine } from "./header-line.js";
import { randomHex } from "@ims/runtime";
import { headerSpelling } from "../headers/names.js";
import { getHeader } from "./header-ops.js";
import type { SipParseError } from "./parse-error.js";
import { reasonPhrase } from "./reason-phrases.js";
import type { SipHeader, SipRequest, SipResponse } from "./types.js";

/** RFC 3261 §8.1.1.7: branches of RFC 3261 elements start with this cookie. */
export const BRANCH_MAGIC_COOKIE = "z9hG4bK";

/** A fresh Via branch: the magic cookie and 64 random bits. */
export function newBranch(): string {
  return BRANCH_MAGIC_COOKIE + randomHex(8);
}

/** A fresh From/To tag (RFC 3261 §19.3: at least 32 random bits). */
export function newTag(): string {
  return randomHex(6);
}

/** A fresh Call-ID, optionally `@host`. */
export function newCallId(host?: string): string {
  const id = randomHex(12);
  return host === undefined ? id : `${id}@${host}`;
}

type HeaderInput = SipHeader | readonly [name: string, value: string];

function toHeader(h: HeaderInput): SipHeader {
  return "name" in h ? headerLine(headerSpelling(h.name), h.value) : headerLine(headerSpelling(h[0]), h[1]);
}

function toBody(body: Buffer | string | undefined): Buffer {
  return body === undefined ? Buffer.alloc(0) : typeof body === "string" ? Buffer.from(body, "utf8") : body;
}

/** Append Content-Length (and Content-Type when given) unless the caller already set them. */
function finishBody(headers: SipHeader[], body: Buffer, contentType: string | undefined): void {
  let hasLen = false;
  let hasType = false;
  for (const h of headers) {
    const k = keyOf(h);
    if (k === "content-length") hasLen = true;
    else if (k === "content-type") hasType = true;
  }
  if (contentType !== undefined && !hasType) headers.push(headerLine("Content-Type", contentType));
  if (!hasLen) headers.push(headerLine("Content-Length", String(body.length)));
}

/** Build a request from scratch. Headers are written in the order given; Content-Length is added. */
export function createRequest(init: {
  method: string;
  uri: string;
  headers: readonly HeaderInput[];
  body?: Buffer | string;
  contentType?: string;
}): SipRequest {
  const headers = init.headers.map(toHeader);
  const body = toBody(init.body);
  finishBody(headers, body, init.contentType);
  return { kind: "request", method: init.method, uri: init.uri, headers, body };
}

/** True when a From/To value carries a tag parameter (outside any <...>). */
export function hasTag(nameAddr: string): boolean {
  const gt = nameAddr.lastIndexOf(">");
  const params = gt >= 0 ? nameAddr.slice(gt + 1) : nameAddr;
  return /;\s*tag\s*=/i.test(params);
}

/** The headers §8.2.6.2 copies from a request into its response, in the request's order. */
function copiedHeaders(src: readonly SipHeader[], toTag: string | undefined): SipHeader[] {
  const out: SipHeader[] = [];
  for (const h of src) {
    const k = keyOf(h);
    if (k === "via" || k === "from" || k === "call-id" || k === "cseq") out.push(h);
    else if (k === "to") {
      out.push(toTag !== undefined && !hasTag(h.value) ? headerLine(h.name, `${h.value};tag=${toTag}`) : h);
    }
  }
  return out;
}

/**
 * A response to `req` per RFC 3261 §8.2.6: copies every Via (in order), From, To, Call-ID and CSeq;
 * adds `toTag` to To when To has none (pass it for any non-100 response of a UAS); then
 * `headers`, then Content-Length.
 */
export function createResponse(
  req: SipRequest,
  status: number,
  opts: {
    reason?: string;
    toTag?: string;
    headers?: readonly HeaderInput[];
    body?: Buffer | string;
    contentType?: string;
  } = {},
): SipResponse {
  const headers = copiedHeaders(req.headers, status === 100 ? undefined : opts.toTag);
  // §8.2.6.1: a 100 Trying copies the Timestamp header.
  if (status === 100) {
    const ts = getHeader(req, "timestamp");
    if (ts !== undefined) headers.push(headerLine("Timestamp", ts));
  }
  if (opts.headers !== undefined) for (const h of opts.headers) headers.push(toHeader(h));
  const body = toBody(opts.body);
  finishBody(headers, body, opts.contentType);
  return { kind: "response", status, reason: opts.reason ?? reasonPhrase(status), headers, body };
}

/**
 * The stateless answer to a request that failed to parse or validate, when enough was read to
 * address it (Via, From, To, Call-ID and CSeq present); undefined for a response, for a message
 * whose start line did not even say which it was, or when the headers needed are missing (the
 * message is then dropped).
 */
export function responseToParseError(e: SipParseError, toTag?: string): SipResponse | undefined {
  if (e.kind !== "request") return undefined;
  const need = new Set(["via", "from", "to", "call-id", "cseq"]);
  for (const h of e.headers) need.delete(keyOf(h));
  if (need.size > 0) return undefined;
  const headers = copiedHeaders(e.headers, toTag ?? newTag());
  headers.push(headerLine("Content-Length", "0"));
  const phrase = `${reasonPhrase(e.status)} (${e.reason})`.replace(/[\r\n]/g, " ");
  return { kind: "response", status: e.status, reason: phrase, headers, body: Buffer.alloc(0) };
}
