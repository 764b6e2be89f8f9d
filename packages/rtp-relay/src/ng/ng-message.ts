/**
 * rtpengine "ng" framing: a datagram is `<cookie> <bencoded dictionary>`; the reply carries the
 * same cookie. The cookie lets a proxy match replies and lets the relay answer a retransmitted
 * command from its cache instead of running it twice.
 */
import { err, ok, type Result, type TaggedError } from "@ims/runtime";
import { decodeBencode, encodeBencode, type BDict } from "./bencode.js";

export interface NgMessage {
  readonly cookie: string;
  readonly dict: BDict;
}

export interface NgParseError extends TaggedError<"ng-parse"> {
  /** The cookie when it could be read: the relay then answers `result: error`; otherwise it cannot answer. */
  readonly cookie: string | undefined;
}

const SPACE = 0x20;
const MAX_COOKIE = 256;

export function parseNgMessage(bytes: Uint8Array): Result<NgMessage, NgParseError> {
  const space = bytes.indexOf(SPACE);
  if (space <= 0 || space > MAX_COOKIE) {
    return err({ tag: "ng-parse", reason: "no cookie before the first space", cookie: undefined });
  }
  const cookie = Buffer.from(bytes.buffer, bytes.byteOffset, space).toString("latin1");
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(cookie)) {
    return err({ tag: "ng-parse", reason: "control character in cookie", cookie: undefined });
  }
  const body = decodeBencode(bytes.subarray(space + 1));
  if (!body.ok) return err({ tag: "ng-parse", reason: `bad bencode: ${body.error.reason}`, cookie });
  const d = body.value;
  if (typeof d !== "object" || Array.isArray(d)) {
    return err({ tag: "ng-parse", reason: "message body is not a dictionary", cookie });
  }
  return ok({ cookie, dict: d as BDict });
}

export function encodeNgMessage(cookie: string, dict: BDict): Buffer {
  return Buffer.concat([Buffer.from(`${cookie} `, "latin1"), encodeBencode(dict)]);
}

/** The error reply rtpengine sends: `{ result: "error", "error-reason": ... }`. */
export function ngErrorReply(reason: string): BDict {
  return { result: "error", "error-reason": reason };
}
