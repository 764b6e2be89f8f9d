import { createHash } from "node:crypto";
import { type SipRequest, authHeader, createRequest, digestParams, parseAuth, serializeAuth } from "@ims/sip";

/**
 * A scripted UE's side of registration, for tests: builds REGISTERs and answers Digest challenges
 * (MD5 from the password, AKAv1-MD5 from RES) with its own RFC 2617 arithmetic, independent of the
 * registrar's.
 */
export interface RegisterInit {
  readonly impu: string;
  readonly requestUri?: string;
  /** Contact values (name-addr with params); [] for none; "*" for the wildcard. */
  readonly contacts?: readonly string[] | "*";
  readonly expires?: number;
  readonly authorization?: string;
  readonly callId?: string;
  readonly cseq?: number;
  readonly path?: readonly string[];
  readonly supported?: string;
  readonly extra?: readonly (readonly [string, string])[];
}

export function registerRequest(o: RegisterInit): SipRequest {
  const contacts = o.contacts ?? ["<sip:ue@127.0.0.111:5566>"];
  const headers: (readonly [string, string])[] = [
    ["Via", "SIP/2.0/UDP 127.0.0.55:4060;branch=z9hG4bK" + Math.random().toString(16).slice(2)],
    ["Max-Forwards", "69"],
    ["From", `<${o.impu}>;tag=ue1`],
    ["To", `<${o.impu}>`],
    ["Call-ID", o.callId ?? "reg-call-1"],
    ["CSeq", `${o.cseq ?? 1} REGISTER`],
  ];
  for (const p of o.path ?? []) headers.push(["Path", p]);
  if (contacts === "*") headers.push(["Contact", "*"]);
  else for (const c of contacts) headers.push(["Contact", c]);
  if (o.expires !== undefined) headers.push(["Expires", String(o.expires)]);
  if (o.authorization !== undefined) headers.push(["Authorization", o.authorization]);
  if (o.supported !== undefined) headers.push(["Supported", o.supported]);
  headers.push(...(o.extra ?? []));
  return createRequest({ method: "REGISTER", uri: o.requestUri ?? "sip:domain.imsprovider.org", headers });
}

const md5 = (...parts: (string | Uint8Array)[]): string => {
  const h = createHash("md5");
  parts.forEach((p, i) => h.update(i === 0 ? p : Buffer.concat([Buffer.from(":"), Buffer.from(p)])));
  return h.digest("hex");
};

export interface ChallengeView {
  readonly realm: string;
  readonly nonce: string;
  readonly algorithm?: string;
  readonly qop?: string;
  readonly stale?: string;
  readonly ck?: string;
  readonly ik?: string;
}

export function readChallenge(wwwAuthenticate: string): ChallengeView {
  const h = parseAuth(wwwAuthenticate);
  if (!h.ok) throw new Error(`bad challenge: ${h.error.reason}`);
  const p = digestParams(h.value);
  return { ...p, realm: p.realm ?? "", nonce: p.nonce ?? "" } as ChallengeView;
}

export interface AnswerInit {
  readonly username: string;
  /** MD5: the password; AKA: RES bytes. */
  readonly secret: string | Uint8Array;
  /** The digest-uri (SIPp-like clients put sip:ip:port here). */
  readonly uri?: string;
  readonly method?: string;
  readonly cnonce?: string;
  readonly nc?: string;
  /** Send this response instead of the right one. */
  readonly response?: string;
  readonly auts?: string;
}

/** The Authorization header answering a challenge (RFC 2617 §3.2.2, qop=auth; RFC 3310 §3.4 for AKA). */
export function answerChallenge(challengeHeader: string, a: AnswerInit): string {
  const c = readChallenge(challengeHeader);
  const uri = a.uri ?? "sip:domain.imsprovider.org";
  const cnonce = a.cnonce ?? "0a4f113b";
  const nc = a.nc ?? "00000001";
  const ha1 = md5(a.username, c.realm, a.secret);
  const ha2 = md5(a.method ?? "REGISTER", uri);
  const response = a.response ?? md5(ha1, c.nonce, nc, cnonce, "auth", ha2);
  return serializeAuth(
    authHeader("Digest", {
      username: a.username,
      realm: c.realm,
      nonce: c.nonce,
      uri,
      response,
      algorithm: c.algorithm,
      cnonce,
      qop: "auth",
      nc,
      auts: a.auts,
    }),
    "credentials",
  );
}

/** The first REGISTER of an IMS UE (TS 24.229 §5.1.1.2): credentials with an empty nonce. */
export function initialAuthorization(username: string, realm: string, algorithm?: string): string {
  return serializeAuth(
    authHeader("Digest", { username, realm, nonce: "", uri: `sip:${realm}`, response: "", algorithm }),
    "credentials",
  );
}
