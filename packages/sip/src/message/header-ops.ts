import { headerLine, isKey, keyOf } from "./header-line.js";
import { ReceivedRequest, ReceivedResponse } from "./received.js";
import { headerKey, headerSpelling } from "../headers/names.js";
import type { SipHeader, SipMessage } from "./types.js";

/** True when `h` is a `name` header (any case, compact or long form). */
export function isHeader(h: SipHeader, name: string): boolean {
  return keyOf(h) === headerKey(name);
}

/** Raw value of the first `name` header, or undefined. */
export function getHeader(msg: { readonly headers: readonly SipHeader[] }, name: string): string | undefined {
  const key = headerKey(name);
  for (const h of msg.headers) if (isKey(h, key)) return h.value;
  return undefined;
}

/** Raw values of every `name` header line, in order. */
export function getHeaders(msg: { readonly headers: readonly SipHeader[] }, name: string): string[] {
  const key = headerKey(name);
  const out: string[] = [];
  for (const h of msg.headers) if (isKey(h, key)) out.push(h.value);
  return out;
}

export function hasHeader(msg: { readonly headers: readonly SipHeader[] }, name: string): boolean {
  return getHeader(msg, name) !== undefined;
}

/** Set `name` to one value: replaces the first line in place, removes the others; appends if absent. */
export function setHeader(msg: SipMessage, name: string, value: string): void {
  const key = headerKey(name);
  const hs = msg.headers;
  let placed = false;
  for (let i = 0; i < hs.length; ) {
    const h = hs[i]!;
    if (isKey(h, key)) {
      if (!placed) {
        hs[i] = headerLine(h.name, value);
        placed = true;
        i++;
      } else {
        hs.splice(i, 1);
      }
    } else {
      i++;
    }
  }
  if (!placed) hs.push(headerLine(headerSpelling(name), value));
}

/**
 * Add a `name` line. "first" puts it before the first existing `name` line (or at the top of the
 * headers if none): what a proxy does with Via and Record-Route. "last" (default) puts it after
 * the last `name` line, or at the end.
 */
export function addHeader(msg: SipMessage, name: string, value: string, where: "first" | "last" = "last"): void {
  const key = headerKey(name);
  const hs = msg.headers;
  const h: SipHeader = headerLine(headerSpelling(name), value);
  if (where === "first") {
    let i = 0;
    while (i < hs.length && !isKey(hs[i]!, key)) i++;
    hs.splice(i < hs.length ? i : 0, 0, h);
    return;
  }
  for (let i = hs.length - 1; i >= 0; i--) {
    if (isKey(hs[i]!, key)) {
      hs.splice(i + 1, 0, h);
      return;
    }
  }
  hs.push(h);
}

/** Remove every `name` line; returns how many were removed. */
export function removeHeaders(msg: SipMessage, name: string): number {
  const key = headerKey(name);
  const before = msg.headers.length;
  msg.headers = msg.headers.filter((h) => !isKey(h, key));
  return before - msg.headers.length;
}

/** Replace the body and keep Content-Length (and Content-Type, when given) in step with it. */
export function setBody(msg: SipMessage, body: Buffer | string, contentType?: string): void {
  msg.body = typeof body === "string" ? Buffer.from(body, "utf8") : body;
  if (contentType !== undefined) setHeader(msg, "content-type", contentType);
  else if (msg.body.length === 0) removeHeaders(msg, "content-type");
  setHeader(msg, "content-length", String(msg.body.length));
}

/** A deep-enough copy: new header array and message object (header objects are immutable). */
export function cloneMessage<M extends SipMessage>(msg: M): M {
  // a parsed message's copy keeps serializing its unchanged lines from the received bytes
  if (msg instanceof ReceivedRequest || msg instanceof ReceivedResponse) return msg.copy() as SipMessage as M;
  return { ...msg, headers: msg.headers.slice() };
}
