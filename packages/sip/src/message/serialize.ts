import type { SipMessage } from "./types.js";

/** The start line and header block as text, ending with the empty line. */
export function serializeHead(msg: SipMessage): string {
  let s = msg.kind === "request" ? `${msg.method} ${msg.uri} SIP/2.0\r\n` : `SIP/2.0 ${msg.status} ${msg.reason}\r\n`;
  const hs = msg.headers;
  for (let i = 0; i < hs.length; i++) {
    const h = hs[i]!;
    s += h.name + ": " + h.value + "\r\n";
  }
  return s + "\r\n";
}

/**
 * Serialize a message exactly as modelled: headers in order with their names as stored, then the
 * body. It does not invent or correct Content-Length (the builders and `setBody` keep it right).
 */
export function serializeMessage(msg: SipMessage): Buffer {
  const head = serializeHead(msg);
  const body = msg.body;
  if (body.length === 0) return Buffer.from(head, "utf8");
  const headLen = Buffer.byteLength(head, "utf8");
  const out = Buffer.allocUnsafe(headLen + body.length);
  out.write(head, 0, "utf8");
  body.copy(out, headLen);
  return out;
}
