import { HeaderLine, isKey } from "../message/header-line.js";
import { ReceivedRequest } from "../message/received.js";
/**
 * Typed, cached access to a message's headers. Each header line is parsed at most once per parser
 * (cached on the immutable SipHeader object). Getters return undefined when the header is absent
 * or malformed; `validateMessage` reports malformed mandatory headers as errors.
 */
import type { Result } from "@ims/runtime";
import type { SipHeader } from "../message/types.js";
import { parseAuth, type AuthHeader } from "./auth.js";
import type { HeaderParseError } from "./lex.js";
import { parseTokenList } from "./lex.js";
import { parseContact, parseNameAddr, parseNameAddrList, type Contact, type NameAddr } from "./name-addr.js";
import { headerKey } from "./names.js";
import {
  parsePAccessNetworkInfo,
  parsePChargingVector,
  parsePVisitedNetworkId,
  type AccessNetworkInfo,
  type PChargingVector,
  type VisitedNetworkId,
} from "./p-headers.js";
import { parseCallId, parseContentLength, parseContentType, parseCSeq, parseDeltaSeconds, parseMaxForwards, type ContentType, type CSeq } from "./scalars.js";
import { parseVia, type Via } from "./via.js";
import { parseUri } from "../uri/parse.js";
import type { Uri } from "../uri/types.js";

type Parser<T> = (value: string) => Result<T, HeaderParseError>;
type HasHeaders = { readonly headers: readonly SipHeader[] };

const caches = new Map<Parser<unknown>, WeakMap<SipHeader, Result<unknown, HeaderParseError>>>();

/** Parse one header line with `parser`, cached on the header (HeaderLine) or in a WeakMap (plain objects). */
export function parsedHeader<T>(h: SipHeader, parser: Parser<T>): Result<T, HeaderParseError> {
  if (h instanceof HeaderLine) return h.parsed(parser);
  let c = caches.get(parser as Parser<unknown>);
  if (c === undefined) {
    c = new WeakMap();
    caches.set(parser as Parser<unknown>, c);
  }
  const hit = c.get(h);
  if (hit !== undefined) return hit as Result<T, HeaderParseError>;
  const r = parser(h.value);
  c.set(h, r);
  return r;
}

/** First `name` header parsed with `parser`; undefined if absent, the error if malformed. */
export function readFirst<T>(msg: HasHeaders, name: string, parser: Parser<T>): Result<T, HeaderParseError> | undefined {
  const key = headerKey(name);
  for (const h of msg.headers) if (isKey(h, key)) return parsedHeader(h, parser);
  return undefined;
}

/** Every `name` line parsed with a list parser, concatenated; the first error if any is malformed. */
export function readAll<T>(msg: HasHeaders, name: string, parser: Parser<T[]>): Result<T[], HeaderParseError> {
  const key = headerKey(name);
  let out: T[] | undefined;
  for (const h of msg.headers) {
    if (!isKey(h, key)) continue;
    const r = parsedHeader(h, parser);
    if (!r.ok) return r;
    out = out === undefined ? r.value : out.concat(r.value);
  }
  return { ok: true, value: out ?? [] };
}

const value = <T>(r: Result<T, HeaderParseError> | undefined): T | undefined => (r !== undefined && r.ok ? r.value : undefined);

export const getVias = (msg: HasHeaders): Via[] | undefined => value(readAll(msg, "via", parseVia));

/** The top Via (the first value of the first Via line). */
export function getFirstVia(msg: HasHeaders): Via | undefined {
  return value(readFirst(msg, "via", parseVia))?.[0];
}

export const getFrom = (msg: HasHeaders): NameAddr | undefined => value(readFirst(msg, "from", parseNameAddr));
export const getTo = (msg: HasHeaders): NameAddr | undefined => value(readFirst(msg, "to", parseNameAddr));
export const getCallId = (msg: HasHeaders): string | undefined => value(readFirst(msg, "call-id", parseCallId));
export const getCSeq = (msg: HasHeaders): CSeq | undefined => value(readFirst(msg, "cseq", parseCSeq));
export const getMaxForwards = (msg: HasHeaders): number | undefined => value(readFirst(msg, "max-forwards", parseMaxForwards));
export const getExpires = (msg: HasHeaders): number | undefined => value(readFirst(msg, "expires", parseDeltaSeconds));
export const getMinExpires = (msg: HasHeaders): number | undefined => value(readFirst(msg, "min-expires", parseDeltaSeconds));
export const getContentLength = (msg: HasHeaders): number | undefined => value(readFirst(msg, "content-length", parseContentLength));
export const getContentType = (msg: HasHeaders): ContentType | undefined => value(readFirst(msg, "content-type", parseContentType));

/** Contacts of all Contact lines; "*" for the wildcard; [] when there is none. */
export function getContacts(msg: HasHeaders): "*" | Contact[] | undefined {
  const key = "contact";
  let out: Contact[] = [];
  for (const h of msg.headers) {
    if (!isKey(h, key)) continue;
    const r = parsedHeader(h, parseContact);
    if (!r.ok) return undefined;
    if (r.value === "*") return "*";
    out = out.concat(r.value);
  }
  return out;
}

/**
 * All values of a name-addr list header: "route", "record-route", "path", "service-route",
 * "p-asserted-identity", "p-preferred-identity", "p-associated-uri". [] when absent.
 */
export const getNameAddrs = (msg: HasHeaders, name: string): NameAddr[] | undefined => value(readAll(msg, name, parseNameAddrList));

/** Option tags / methods of all lines of a token-list header (Supported, Require, Proxy-Require, Unsupported, Allow). */
export const getTokens = (msg: HasHeaders, name: string): string[] | undefined => value(readAll(msg, name, parseTokenList));

const parseAuthList = (v: string): Result<AuthHeader[], HeaderParseError> => {
  const r = parseAuth(v);
  return r.ok ? { ok: true, value: [r.value] } : r;
};

/** Every WWW-Authenticate / Authorization / Proxy-Authenticate / Proxy-Authorization value. */
export const getAuthHeaders = (msg: HasHeaders, name: string): AuthHeader[] | undefined => value(readAll(msg, name, parseAuthList));

export const getPChargingVector = (msg: HasHeaders): PChargingVector | undefined =>
  value(readFirst(msg, "p-charging-vector", parsePChargingVector));
export const getPAccessNetworkInfo = (msg: HasHeaders): AccessNetworkInfo[] | undefined =>
  value(readAll(msg, "p-access-network-info", parsePAccessNetworkInfo));
export const getPVisitedNetworkIds = (msg: HasHeaders): VisitedNetworkId[] | undefined =>
  value(readAll(msg, "p-visited-network-id", parsePVisitedNetworkId));

const ruriCache = new WeakMap<object, { text: string; uri: Uri | undefined }>();

/** The parsed Request-URI (cached while `req.uri` is unchanged); undefined when malformed. */
export function getRequestUri(req: { readonly uri: string }): Uri | undefined {
  const received = req instanceof ReceivedRequest;
  const hit = received ? (req.uriCache as { text: string; uri: Uri | undefined } | undefined) : ruriCache.get(req);
  if (hit !== undefined && hit.text === req.uri) return hit.uri;
  const r = parseUri(req.uri);
  const entry = { text: req.uri, uri: r.ok ? r.value : undefined };
  if (received) req.uriCache = entry;
  else ruriCache.set(req, entry);
  return entry.uri;
}
