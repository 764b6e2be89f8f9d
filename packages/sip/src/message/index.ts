/**
 * SIP message layer (RFC 3261 §7): pure parse and serialize, no I/O, never throws on peer input.
 *
 * - `parseMessage(buf, limits?)` → `Result<SipMessage, SipParseError>`. A message keeps every header
 *   line as received (`headers: SipHeader[]`, `{name, value}`: raw name, value with folding
 *   collapsed), in order, plus `body: Buffer` (a view into `buf`, framed by Content-Length;
 *   without one, the rest of the datagram). Errors carry the SIP `status` to answer (400, 505,
 *   513, ...), a `reason` naming the fault and the header lines read; `responseToParseError(e)`
 *   builds the stateless answer when the request can be addressed. Limits (message bytes, header
 *   lines, line length) are configurable (`DEFAULT_LIMITS`).
 * - `validateMessage(msg)` checks what a server needs before acting on a message (mandatory
 *   headers, single-value headers, CSeq/method, Max-Forwards, Via, From/To, Contact, Route syntax,
 *   Request-URI) and returns the same error type (400, or 501 for an unknown method). A response
 *   is only checked for what acting on it needs (the top Via, From, To, Call-ID, CSeq).
 * - `serializeMessage(msg)` → `Buffer`: headers as stored, body as is. A parsed message that nobody
 *   changed serializes to the bytes it came from at the cost of a few comparisons.
 * - Header helpers by name (case-insensitive, compact forms): `getHeader`, `getHeaders`,
 *   `setHeader`, `addHeader(msg, name, value, "first" | "last")`, `removeHeaders`, `setBody`,
 *   `cloneMessage`. Header objects are immutable: replace a line to change it (its typed parse is
 *   cached on the HeaderLine object). Typed views (Via, From/To, CSeq, Contact, auth,
 *   P-headers...) are in ../headers.
 * - `createRequest`, `createResponse(req, status, {toTag, headers, body})` (RFC 3261 §8.2.6),
 *   `newBranch`, `newTag`, `newCallId`, `reasonPhrase`.
 * - `frameMessage(buf, limits?)` for stream transports: need-more / keepalive / complete(length) /
 *   error (RFC 3261 §18.3: Content-Length is mandatory on a stream).
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
