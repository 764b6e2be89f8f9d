/**
 * SIP message layer (RFC 3261 §7): pure parse and serialize, no I/O, never throws on peer input.
 *
 * - `parseMessage(buf, limits?)` → `Result<SipMessage, SipParseError>`. A message keeps every header
 *   line as received (`headers: {name, value}[]`, raw name, folded lines joined), in order, plus
 *   `body: Buffer`. Errors carry the SIP `status` to answer (400, 505, 513, ...) and the header lines
 *   read so far; `responseToParseError(e)` builds the stateless answer when it can.
 * - `validateMessage(msg)` checks what a server needs before acting on a message (mandatory headers,
 *   single-value headers, CSeq, Max-Forwards, Via, From/To syntax) and returns the same error type.
 * - `serializeMessage(msg)` → `Buffer` (headers as stored, body as is).
 * - Header helpers by name (case-insensitive, compact forms): `getHeader`, `getHeaders`,
 *   `setHeader`, `addHeader(msg, name, value, "first" | "last")`, `removeHeaders`, `setBody`.
 *   Typed views (Via, From/To, CSeq, Contact, auth, P-headers...) are in ../headers.
 * - `createRequest`, `createResponse(req, status, {toTag, headers, body})` (RFC 3261 §8.2.6),
 *   `newBranch`, `newTag`, `newCallId`.
 * - `frameMessage(buf, limits?)` for stream transports: need-more / keepalive / complete(length) / error.
 */
export type { SipHeader, SipRequest, SipResponse, SipMessage, ParseLimits } from "./types.js";
export { SIP_VERSION, DEFAULT_LIMITS } from "./types.js";
export type { SipParseError, SipErrorStatus } from "./parse-error.js";
export { parseError } from "./parse-error.js";
export { parseMessage } from "./parse.js";
export { HeaderLine, headerLine, keyOf } from "./header-line.js";
export { serializeMessage, serializeHead } from "./serialize.js";
export {
  isHeader,
  getHeader,
  getHeaders,
  hasHeader,
  setHeader,
  addHeader,
  removeHeaders,
  setBody,
  cloneMessage,
} from "./header-ops.js";
export {
  BRANCH_MAGIC_COOKIE,
  newBranch,
  newTag,
  newCallId,
  createRequest,
  createResponse,
  hasTag,
  responseToParseError,
} from "./build.js";
export { REASON_PHRASES, reasonPhrase } from "./reason-phrases.js";
export { type FrameResult, frameMessage } from "./framing.js";
export { validateMessage, KNOWN_METHODS, type KnownMethod, isKnownMethod } from "./validate.js";
