import {
  type AuthHeader,
  type Contact,
  type DigestParams,
  type SipRequest,
  getAuthHeaders,
  getCSeq,
  getCallId,
  getContacts,
  getExpires,
  getHeaders,
  getTo,
  getTokens,
  hasHeader,
  parseUri,
  serializeUri,
  type Uri,
} from "@ims/sip";
import { type Result, err, ok } from "@ims/runtime";

/**
 * What every CSCF reads from a REGISTER (TS 24.229 §5.2.2, §5.3.1.2, §5.4.1.2.1): the identities,
 * the credentials, the bindings asked for. The error is the SIP answer to give.
 */
export interface RegisterRequest {
  /** The public user identity being registered: the To URI without parameters. */
  readonly impu: string;
  /** The private identity: Authorization username, else derived from the IMPU. */
  readonly impi: string;
  /** The Digest credentials, when the UE sent an Authorization header. */
  readonly credentials?: DigestParams | undefined;
  /** "*" (remove every binding) or the Contacts as sent. */
  readonly contacts: "*" | readonly Contact[];
  /** The Expires header, when present. */
  readonly expires?: number;
  /** Path values as received, top first (RFC 3327). */
  readonly path: readonly string[];
  /** The UE (or the P-CSCF) supports Path. */
  readonly supportsPath: boolean;
  readonly callId: string;
  readonly cseq: number;
}

export interface RegisterRejection {
  readonly status: number;
  readonly reason: string;
}

/** A public identity as the HSS knows it: scheme, user and host, without URI parameters or headers. */
export function identityOfParsedUri(u: Uri): string {
  if (u.kind === "sip") return u.user === undefined ? `${u.scheme}:${u.host}` : `${u.scheme}:${u.user}@${u.host}`;
  if (u.kind === "tel") return `tel:${u.number}`;
  return serializeUri(u);
}

/** The identity of a URI string (a Request-URI); undefined when it does not parse or is not sip/sips/tel. */
export function identityOfUri(uri: string): string | undefined {
  const u = parseUri(uri);
  if (!u.ok || u.value.kind === "absolute") return undefined;
  return identityOfParsedUri(u.value);
}

/** The IMPU a REGISTER is for: its To URI as an identity. */
export function identityOf(req: SipRequest): string | undefined {
  const to = getTo(req);
  return to === undefined ? undefined : identityOfParsedUri(to.uri);
}

/**
 * The IMPI: the Authorization username (a bare user name gets "@" + realm), or, when the UE sent no
 * Authorization (MicroSIP), the IMPU without its scheme (TS 33.203 §6.1.2 default derivation).
 */
export function impiOf(credentials: DigestParams | undefined, impu: string, domain: string): string {
  return impiFrom(credentials?.username, credentials?.realm, impu, domain);
}

function impiFrom(user: string | undefined, realm: string | undefined, impu: string, domain: string): string {
  if (user !== undefined && user.length > 0) {
    if (user.includes("@")) return user;
    return `${user}@${realm !== undefined && realm.length > 0 ? realm : domain}`;
  }
  const bare = impu.slice(impu.indexOf(":") + 1);
  return bare.includes("@") ? bare : `${bare}@${domain}`;
}

/** Reads and checks a REGISTER. */
export function readRegister(req: SipRequest, domain: string): Result<RegisterRequest, RegisterRejection> {
  const to = getTo(req);
  if (to === undefined) return err({ status: 400, reason: "Bad To Header" });
  // RFC 3261 §10.3 step 3 (unksm2 of RFC 4475): the address-of-record is a SIP, SIPS (or, in IMS, tel) URI.
  if (to.uri.kind === "absolute") return err({ status: 400, reason: "To Is Not A SIP, SIPS Or tel URI" });
  const impu = identityOfParsedUri(to.uri);
  const auths = getAuthHeaders(req, "authorization");
  if (auths === undefined) return err({ status: 400, reason: "Malformed Authorization Header" });
  let digest: AuthHeader | undefined;
  for (let i = 0; i < auths.length && digest === undefined; i++) if (isScheme(auths[i] as AuthHeader, "digest")) digest = auths[i];

  const contacts = getContacts(req);
  if (contacts === undefined) return err({ status: 400, reason: "Bad Contact Header" });
  const expires = getExpires(req);
  if (expires === undefined && hasHeader(req, "expires")) return err({ status: 400, reason: "Bad Expires Header" });
  // RFC 3261 §10.3 step 6: "*" only alone and with Expires: 0
  if (contacts === "*" && (expires !== 0 || getHeaders(req, "contact").length !== 1)) {
    return err({ status: 400, reason: "Invalid Contact *" });
  }
  const cseq = getCSeq(req);
  const callId = getCallId(req);
  if (cseq === undefined || callId === undefined) return err({ status: 400, reason: "Bad Request" });
  const supported = getTokens(req, "supported");
  let supportsPath = false;
  if (supported !== undefined) for (let i = 0; i < supported.length && !supportsPath; i++) supportsPath = sameToken(supported[i] as string, "path");
  return ok(
    new ReadRegister(
      impu,
      impiFrom(digest?.params.get("username"), digest?.params.get("realm"), impu, domain),
      digest,
      contacts,
      expires,
      getHeaders(req, "path"),
      supportsPath,
      callId,
      cseq.seq,
    ),
  );
}

/** Case-insensitive token comparison with a lower-case `lower`, without a lower-cased copy when equal as sent. */
function sameToken(token: string, lower: string): boolean {
  return token === lower || (token.length === lower.length && token.toLowerCase() === lower);
}

function isScheme(a: AuthHeader, lower: string): boolean {
  return sameToken(a.scheme, lower);
}

/**
 * A REGISTER as read. The Digest credentials become an object only when read (the S-CSCF); a proxy
 * needs the IMPI alone. One object per REGISTER (no closure, spread or accessor literal).
 */
class ReadRegister implements RegisterRequest {
  readonly #digest: AuthHeader | undefined;
  #credentials: DigestParams | undefined;
  declare readonly expires?: number;

  constructor(
    readonly impu: string,
    readonly impi: string,
    digest: AuthHeader | undefined,
    readonly contacts: "*" | readonly Contact[],
    expires: number | undefined,
    readonly path: readonly string[],
    readonly supportsPath: boolean,
    readonly callId: string,
    readonly cseq: number,
  ) {
    this.#digest = digest;
    if (expires !== undefined) this.expires = expires;
  }

  get credentials(): DigestParams | undefined {
    const d = this.#digest;
    return d === undefined ? undefined : (this.#credentials ??= credentialsOf(d));
  }
}

/** The Digest parameters as a record, as `digestParams` (Object.fromEntries) makes it, without entry arrays. */
function credentialsOf(h: AuthHeader): DigestParams {
  const o: Record<string, string> = {};
  h.params.forEach(copyParam, o);
  return o;
}

function copyParam(this: Record<string, string>, value: string, name: string): void {
  if (name === "__proto__") Object.defineProperty(this, name, { value, writable: true, enumerable: true, configurable: true });
  else this[name] = value;
}

/**
 * True when the REGISTER removes bindings only (RFC 3261 §10.2.2): Contact "*", or every Contact
 * expiring now (its expires parameter, else the Expires header).
 */
export function isDeregistration(r: RegisterRequest): boolean {
  if (r.contacts === "*") return true;
  if (r.contacts.length === 0) return false;
  return r.contacts.every((c) => (c.expires ?? r.expires) === 0);
}
