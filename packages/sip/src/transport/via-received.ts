/**
 * Server transport processing of a received request's top Via (RFC 3261 §18.2.1, RFC 3581 §4) and
 * the destination of a response (§18.2.2, RFC 3581 §4). Pure.
 */
import type { Endpoint } from "@ims/runtime";
import { viaSentBy } from "../headers/index.js";
import type { SipMessage, SipResponse } from "../message/index.js";
import { headerLine, isKey } from "../message/header-line.js";
import { getTopVia, replaceTopVia } from "./top-via.js";
import type { Destination } from "./types.js";

/** Strips IPv6 brackets so a Via host compares with a socket address. */
const bare = (host: string) => (host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host);

/**
 * Adds `received` when the sent-by host differs from the packet's source address, and fills an
 * empty `rport` with the source port (which also requires `received`, RFC 3581 §4). A set keeps a
 * parameter's place; a new one goes last.
 */
export function stampReceived(msg: SipMessage, source: Endpoint): void {
  const via = getTopVia(msg);
  if (via === undefined) return;
  const rportEmpty = via.rport === null;
  if (bare(via.host) === source.address && !rportEmpty) return;
  if (via.received === undefined && stampRaw(msg, rportEmpty, source)) return;
  // serializeVia of the Via with received (and rport) set, written directly: no copy of the Via
  // or of its params.
  let params = "";
  let hadReceived = false;
  for (const [k, v] of via.params) {
    if (k === "received") {
      hadReceived = true;
      params += `;received=${source.address}`;
    } else if (k === "rport" && rportEmpty) params += `;rport=${source.port}`;
    else params += v === null ? `;${k}` : `;${k}=${v}`;
  }
  if (!hadReceived) params += `;received=${source.address}`;
  const hostport = via.port === undefined ? via.host : `${via.host}:${via.port}`;
  replaceTopVia(msg, `${via.protocol}/${via.transport} ${hostport}${params}`);
}

const SEMI = 59; // ;
const EQUALS = 61; // =

/**
 * The usual case, edited in the received text of the Via (its params Map is never built): a line
 * holding one Via without quoted strings or `received`. Appends `;received=` and, when `rportEmpty`,
 * writes the port after the empty `rport`. False when the line is not that simple (nothing changed).
 */
function stampRaw(msg: SipMessage, rportEmpty: boolean, source: Endpoint): boolean {
  const hs = msg.headers;
  let i = 0;
  while (i < hs.length && !isKey(hs[i]!, "via")) i++;
  const h = hs[i];
  if (h === undefined) return false;
  const value = h.value;
  if (value.indexOf(",") >= 0 || value.indexOf('"') >= 0) return false;
  let out = value;
  if (rportEmpty) {
    const at = emptyRportEnd(value);
    if (at < 0) return false;
    out = `${value.slice(0, at)}=${source.port}${value.slice(at)}`;
  }
  hs[i] = headerLine(h.name, `${out};received=${source.address}`);
  return true;
}

/** Index just after the name of a parameter `rport` without a value, or -1. */
function emptyRportEnd(value: string): number {
  for (let semi = value.indexOf(";"); semi >= 0; semi = value.indexOf(";", semi + 1)) {
    let p = skipSpace(value, semi + 1);
    if (!isRport(value, p)) continue;
    p += 5;
    const after = skipSpace(value, p);
    if (after === value.length || value.charCodeAt(after) === SEMI) return p;
    if (value.charCodeAt(after) === EQUALS) return -1; // it has a value after all
  }
  return -1;
}

/** "rport" (any case) at `p`. */
function isRport(s: string, p: number): boolean {
  if (s.length - p < 5) return false;
  for (let k = 0; k < 5; k++) if ((s.charCodeAt(p + k) | 0x20) !== "rport".charCodeAt(k)) return false;
  return true;
}

function skipSpace(s: string, i: number): number {
  while (i < s.length && (s.charCodeAt(i) === 32 || s.charCodeAt(i) === 9)) i++;
  return i;
}

/**
 * Where to send a response (§18.2.2): to `received` (else the sent-by host) at `rport` (else the
 * sent-by port, else the transport's default). Over TCP the transaction layer first tries the
 * connection the request came on. `maddr` (multicast) is not supported.
 */
export function responseDestination(response: SipResponse): Destination | undefined {
  const via = getTopVia(response);
  if (via === undefined) return undefined;
  const t = via.transport;
  // the usual spellings without lower-casing (a new string per response)
  const transport = t === "UDP" || t === "udp" ? "udp" : t === "TCP" || t === "tcp" ? "tcp" : t.toLowerCase();
  if (transport !== "udp" && transport !== "tcp") return undefined;
  const address = via.received ?? bare(via.host);
  const port = typeof via.rport === "number" ? via.rport : viaSentBy(via).port;
  return { transport, address, port };
}
