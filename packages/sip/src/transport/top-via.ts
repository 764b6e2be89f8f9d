/**
 * The top Via as transports, transactions and proxies need it (RFC 3261 §20.42, §18.2, RFC 3581):
 * read its sent-protocol, sent-by and parameters, rewrite its parameters, pop it. Only the first
 * element of the first Via line is touched; everything else is left as received.
 */
import type { SipMessage } from "../message/index.js";
import { isHeader } from "../message/index.js";

export interface TopVia {
  /** Transport token upper-cased ("UDP", "TCP", "TLS", ...). */
  readonly transport: string;
  readonly host: string;
  readonly port: number | undefined;
  /** Parameters in order; names lower-cased, a valueless one (";rport") maps to null. */
  readonly params: Map<string, string | null>;
  /** Text of this Via element as received. */
  readonly raw: string;
}

/** Index of the first `,` outside quotes in a Via line, or the line length. */
function firstElementEnd(value: string): number {
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '"') quoted = !quoted;
    else if (c === "\\" && quoted) i++;
    else if (c === "," && !quoted) return i;
  }
  return value.length;
}

/** Parses one Via element ("SIP/2.0/UDP host:port;branch=..."); undefined when malformed. */
export function parseViaElement(raw: string): TopVia | undefined {
  const m = /^\s*SIP\s*\/\s*2\.0\s*\/\s*([A-Za-z0-9.!%*_+`'~-]+)\s+(\[[0-9A-Fa-f:.]+\]|[^\s;:]+)(?:\s*:\s*(\d{1,5}))?\s*((?:;.*)?)$/s.exec(
    raw,
  );
  if (m === null) return undefined;
  const params = new Map<string, string | null>();
  for (const p of (m[4] ?? "").split(";").slice(1)) {
    const eq = p.indexOf("=");
    const name = (eq < 0 ? p : p.slice(0, eq)).trim().toLowerCase();
    if (name === "") continue;
    params.set(name, eq < 0 ? null : p.slice(eq + 1).trim());
  }
  const port = m[3] === undefined ? undefined : Number(m[3]);
  if (port !== undefined && port > 65535) return undefined;
  return { transport: m[1]!.toUpperCase(), host: m[2]!, port, params, raw: raw.trim() };
}

function topViaIndex(msg: SipMessage): number {
  return msg.headers.findIndex((h) => isHeader(h, "via"));
}

export function getTopVia(msg: SipMessage): TopVia | undefined {
  const i = topViaIndex(msg);
  if (i < 0) return undefined;
  const value = msg.headers[i]!.value;
  return parseViaElement(value.slice(0, firstElementEnd(value)));
}

/** Writes a Via element back as text. */
export function formatVia(v: Omit<TopVia, "raw">): string {
  let s = `SIP/2.0/${v.transport} ${v.host}${v.port === undefined ? "" : `:${v.port}`}`;
  for (const [k, val] of v.params) s += val === null ? `;${k}` : `;${k}=${val}`;
  return s;
}

/** Replaces the top Via element with `element`, keeping the other elements of its line. */
export function replaceTopVia(msg: SipMessage, element: string): void {
  const i = topViaIndex(msg);
  if (i < 0) return;
  const h = msg.headers[i]!;
  const rest = h.value.slice(firstElementEnd(h.value));
  msg.headers[i] = { name: h.name, value: element + rest };
}

/** Removes the top Via element (the whole line when it held only one). Returns it. */
export function popTopVia(msg: SipMessage): TopVia | undefined {
  const i = topViaIndex(msg);
  if (i < 0) return undefined;
  const h = msg.headers[i]!;
  const end = firstElementEnd(h.value);
  const top = parseViaElement(h.value.slice(0, end));
  const rest = h.value.slice(end + 1).trim();
  if (end >= h.value.length || rest === "") msg.headers.splice(i, 1);
  else msg.headers[i] = { name: h.name, value: rest };
  return top;
}

/** Number of Via elements in the message. */
export function countVias(msg: SipMessage): number {
  let n = 0;
  for (const h of msg.headers) {
    if (!isHeader(h, "via")) continue;
    let v = h.value;
    for (;;) {
      n++;
      const end = firstElementEnd(v);
      if (end >= v.length) break;
      v = v.slice(end + 1);
    }
  }
  return n;
}
