/**
 * Diameter codec (RFC 6733 §3–4): pure, never throws on peer input.
 *
 * Model: `DiameterMessage` = header fields (`flags` R/P/E/T as `CMD_FLAG`, `commandCode`,
 * `applicationId`, `hopByHop`, `endToEnd`) + `avps: Avp[]`. An `Avp` is `{code, flags, vendorId,
 * data, avps?}`: `data` is the payload bytes (unpadded), `avps` the members of a Grouped AVP the
 * dictionary knows. Unknown AVPs keep their bytes and flags and are re-encoded as received.
 *
 * Build:
 *   const ids = new IdGenerator(clock.now());                   // hop-by-hop / end-to-end (§3)
 *   const cer = createRequest("CER", [
 *     avp("Origin-Host", "scscf1.domain"), avp("Origin-Realm", "domain"),
 *     avp("Host-IP-Address", "127.0.0.11"), avp("Vendor-Id", 0), avp("Product-Name", "ims"),
 *     avp("Vendor-Specific-Application-Id", [avp("Vendor-Id", 10415), avp("Auth-Application-Id", 16777216)]),
 *   ], ids.next());                                             // command code, app id, P bit from the dictionary
 *   const bytes = encodeMessage(cer);                           // Buffer
 *   const cea = answerTo(cer, [avp("Result-Code", 2001), ...]); // same ids, R cleared, Session-Id/Proxy-Info copied
 * `avp(name, value)` is typed by the dictionary: strings for UTF8String/DiameterIdentity/DiameterURI,
 * numbers for Integer32/Unsigned32/Enumerated/Float*, bigint for *64, Uint8Array for OctetString,
 * Date for Time, "1.2.3.4"/"::1" for Address, `Avp[]` for Grouped. `rawAvp(code, data, {vendorId})`
 * builds anything else.
 *
 * Read:
 *   const r = decodeMessage(bytes);            // Result<DiameterMessage, DiameterError>
 *   if (!r.ok) { const answer = errorAnswer(r.error, {originHost, originRealm}); ... }
 *   const v = validateMessage(r.value);        // CCF check: 5005 missing, 5009 too many, 5008 not allowed
 *   getValue(msg, "Origin-Host");              // string | undefined; getValues for repeated AVPs
 *   getValue(getValue(msg, "Vendor-Specific-Application-Id") ?? [], "Vendor-Id");
 *   findAvp / findAvps give the Avp objects; isRequest(msg), isError(msg); commandName(msg) → "MAA";
 *   summarize(msg) → one secret-free log line (command, flags, ids, Session-Id, result).
 * Errors: `DiameterError {tag: "diameter", resultCode, reason, failedAvp?, header?, avps}`: 5015
 * INVALID_MESSAGE_LENGTH, 5011 UNSUPPORTED_VERSION, 3008 INVALID_HDR_BITS, 3009 INVALID_AVP_BITS,
 * 5014 INVALID_AVP_LENGTH, 5004 INVALID_AVP_VALUE, 5001 AVP_UNSUPPORTED (unknown AVP with the M bit).
 * `errorAnswer` sets the E bit for 3xxx (§7.2).
 *
 * Stream framing (TCP): `frameCheck(buf, maxMessageSize)` → incomplete {need} | complete {length} |
 * invalid {error}; or `new DiameterFramer(max).push(chunk)` → Result<Buffer[] (whole messages), error>.
 * A length field above the maximum is rejected from its first 4 bytes, never buffered.
 */
export { type Avp, type AvpContainer, type DiameterHeader, type DiameterMessage, CMD_FLAG, HEADER_LENGTH, isRequest, isError, membersOf } from "./types.js";
export { type DiameterError, diameterError, isProtocolError } from "./errors.js";
export { type AvpOptions, type MessageIds, type RequestOptions, avp, rawAvp, createRequest, answerTo } from "./build.js";
export { encodeMessage, encodeMessageAs, encodeAvps, avpSize } from "./encode.js";
export { type DecodeOptions, DEFAULT_MAX_DEPTH, decodeMessage, decodeHeader, decodeAvps } from "./decode.js";
export { findAvp, findAvps, getValue, getValues, avpValue, avpName } from "./read.js";
export { messageProblem, validateMessage } from "./validate.js";
export { errorAnswer } from "./error-answer.js";
export { type FrameCheck, DEFAULT_MAX_MESSAGE_SIZE, frameCheck, DiameterFramer } from "./framing.js";
export { IdGenerator } from "./ids.js";
export { ADDRESS_FAMILY, encodeAddress, decodeAddress } from "./address.js";
export { commandName, summarize } from "./summary.js";
