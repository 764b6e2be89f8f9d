/**
 * Typed header views (RFC 3261 §20 and the IMS P-headers). Pure parsers `parseX(value)` return a
 * Result; message getters `getX(msg)` are cached per header line and return undefined when the
 * header is absent or malformed. Serializers `serializeX` build header values.
 * Objects returned by the getters are cached and shared by every caller: copy before editing
 * (`{ ...via, params: new Map(via.params) }`), then write the header back with `setHeader`.
 */
export { COMPACT_FORMS, SINGLE_VALUE_HEADERS, headerKey, headerSpelling } from "./names.js";
export {
  type HeaderParseError,
  type Params,
  parseParams,
  serializeParams,
  splitList,
  parseTokenList,
  quote,
  unquote,
} from "./lex.js";
export { type Via, DEFAULT_PORTS, parseVia, serializeVia, viaSentBy } from "./via.js";
export { type NameAddr, type Contact, parseNameAddr, parseNameAddrList, serializeNameAddr, parseContact, nameAddrUriText, nameAddrParamsText } from "./name-addr.js";
export {
  // transaction/ exports its own CSeq and parseCSeq(msg); these are the header-value versions
  type CSeq as CSeqHeader,
  type ContentType,
  MAX_CSEQ,
  parseCSeq as parseCSeqHeader,
  serializeCSeq,
  parseMaxForwards,
  parseDeltaSeconds,
  parseContentLength,
  parseCallId,
  parseContentType,
} from "./scalars.js";
export { type AuthHeader, type DigestParams, parseAuth, digestParams, serializeAuth, authHeader, challengeWithout } from "./auth.js";
export {
  type PChargingVector,
  type AccessNetworkInfo,
  type VisitedNetworkId,
  parsePChargingVector,
  serializePChargingVector,
  parsePAccessNetworkInfo,
  serializePAccessNetworkInfo,
  parsePVisitedNetworkId,
  serializePVisitedNetworkId,
} from "./p-headers.js";
export {
  parsedHeader,
  readFirst,
  readAll,
  getVias,
  getFirstVia,
  getFrom,
  getTo,
  getCallId,
  getCSeq,
  getMaxForwards,
  getExpires,
  getMinExpires,
  getContentLength,
  getContentType,
  getContacts,
  getNameAddrs,
  getTokens,
  getAuthHeaders,
  getPChargingVector,
  getPAccessNetworkInfo,
  getPVisitedNetworkIds,
  getRequestUri,
} from "./accessors.js";
export { removeFirstValue, firstValue } from "./list-ops.js";
