export type { SipUri, TelUri, AbsoluteUri, Uri } from "./types.js";
export { type UriParseError, parseUri, parseUriParams, isValidHost } from "./parse.js";
export { serializeUri } from "./serialize.js";
export { uriEquals } from "./compare.js";
export { unescapeUri, escapeUser, validEscapes } from "./escape.js";
