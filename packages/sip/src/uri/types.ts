/**
 * URIs (RFC 3261 §19.1, RFC 3966). Components are kept as received (still %-escaped) so that
 * serializing gives back the same text; `unescapeUri` gives the decoded form, and `uriEquals`
 * compares per RFC 3261 §19.1.4. Parameter names are lower-cased map keys; a valueless parameter
 * (";lr") maps to null. Maps keep insertion order.
 */

export interface SipUri {
  readonly kind: "sip";
  scheme: "sip" | "sips";
  /** User part as received (may hold escapes, and ';' for a telephone-subscriber). */
  user?: string;
  password?: string;
  /** Host name, IPv4 address, or IPv6 reference with its brackets ("[2001:db8::1]"). */
  host: string;
  port?: number;
  params: Map<string, string | null>;
  /** URI headers ("?name=value&..."), names as received, values escaped. */
  headers: Array<readonly [name: string, value: string]>;
}

export interface TelUri {
  readonly kind: "tel";
  readonly scheme: "tel";
  /** The telephone-subscriber number as received ("+1-201-555-0123", "7042"). */
  number: string;
  params: Map<string, string | null>;
}

/** Any other absolute URI (RFC 3261 allows them in Request-URI/To/From/Contact): kept opaque. */
export interface AbsoluteUri {
  readonly kind: "absolute";
  readonly scheme: string;
  /** Everything after "scheme:". */
  readonly opaque: string;
}

export type Uri = SipUri | TelUri | AbsoluteUri;
