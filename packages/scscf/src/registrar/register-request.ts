import {
  type Contact,
  type DigestParams,
  type SipRequest,
  digestParams,
  getAuthHeaders,
  getCSeq,
  getCallId,
  getContacts,
  getExpires,
  getHeaders,
  getTo,
  getTokens,
  serializeUri,
} from "@ims/sip";
import { type Result, err, ok } from "@ims/runtime";
import { type SipReply, reply } from "./sip-reply.js";

/** What the registrar reads from a REGISTER (TS 24.229 §5.4.1.2.1). */
export interface RegisterRequest {
  /** The public user identity being registered: the To URI without parameters. */
  readonly impu: string;
  /** The private identity: Authorization username, else derived from the IMPU. */
  readonly impi: string;
  /** The Digest credentials, when the UE sent an Authorization header. */
  readonly credentials?: DigestParams;
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

/** The To URI as an identity: scheme, user and host, without URI parameters or headers. */
function identityOf(req: SipRequest): string | undefined {
  const to = getTo(req);
  if (to === undefined) return undefined;
  const u = to.uri;
  if (u.kind === "sip") return `${u.scheme}:${u.user === undefined ? "" : `${u.user}@`}${u.host}`;
  if (u.kind === "tel") return `tel:${u.number}`;
  return serializeUri(u);
}

/**
 * The IMPI: the Authorization username (a bare user name gets "@" + realm), or, when the UE sent no
 * Authorization (MicroSIP), the IMPU without its scheme (TS 33.203 §6.1.2 default derivation).
 */
export function impiOf(credentials: DigestParams | undefined, impu: string, domain: string): string {
  const user = credentials?.username;
  if (user !== undefined && user.length > 0) {
    if (user.includes("@")) return user;
    const realm = credentials?.realm;
    return `${user}@${realm !== undefined && realm.length > 0 ? realm : domain}`;
  }
  const bare = impu.slice(impu.indexOf(":") + 1);
  return bare.includes("@") ? bare : `${bare}@${domain}`;
}

/** Reads and checks a REGISTER; the error is the answer to send. */
export function readRegister(req: SipRequest, domain: string): Result<RegisterRequest, SipReply> {
  const impu = identityOf(req);
  if (impu === undefined) return err(reply(400, "Bad To Header"));
  const auths = getAuthHeaders(req, "authorization");
  if (auths === undefined) return err(reply(400, "Malformed Authorization Header"));
  const digest = auths.find((a) => a.scheme.toLowerCase() === "digest");
  const credentials = digest === undefined ? undefined : digestParams(digest);
  const contacts = getContacts(req);
  if (contacts === undefined) return err(reply(400, "Bad Contact Header"));
  const expires = getExpires(req);
  const expiresLines = getHeaders(req, "expires");
  if (expiresLines.length > 1 || (expires === undefined && expiresLines.length > 0)) return err(reply(400, "Bad Expires Header"));
  // RFC 3261 §10.3 step 6: "*" only alone and with Expires: 0
  if (contacts === "*" && (expires !== 0 || getHeaders(req, "contact").length !== 1)) {
    return err(reply(400, "Invalid Contact *"));
  }
  const cseq = getCSeq(req);
  const callId = getCallId(req);
  if (cseq === undefined || callId === undefined) return err(reply(400, "Bad Request"));
  const supported = getTokens(req, "supported") ?? [];
  return ok({
    impu,
    impi: impiOf(credentials, impu, domain),
    ...(credentials === undefined ? {} : { credentials }),
    contacts,
    ...(expires === undefined ? {} : { expires }),
    path: getHeaders(req, "path"),
    supportsPath: supported.some((t) => t.toLowerCase() === "path"),
    callId,
    cseq: cseq.seq,
  });
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
