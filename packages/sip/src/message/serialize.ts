import { ReceivedRequest, ReceivedResponse } from "./received.js";
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
 * A parsed message nobody changed is returned as the bytes it was parsed from (a view, not a
 * copy: folded lines and spacing stay as received); a parsed message that was edited keeps the
 * received bytes of the header lines it still has (unless some line was folded).
 */
export function serializeMessage(msg: SipMessage): Buffer {
  if (msg instanceof ReceivedRequest || msg instanceof ReceivedResponse) {
    const raw = msg.unchangedBytes() ?? msg.editedBytes();
    if (raw !== undefined) return raw;
  }
  const head = serializeHead(msg);
  const body = msg.body;
  if (body.length === 0) return Buffer.from(head, "utf8");
  const headLen = Buffer.byteLength(head, "utf8");
  const out = Buffer.allocUnsafe(headLen + body.length);
  out.write(head, 0, "utf8");
  body.copy(out, headLen);
  return out;
}
