import { createHash } from "node:crypto";
import type { DigestParams } from "@ims/sip";
import { timingSafeEqualString } from "@ims/runtime";

/**
 * Digest response checking (RFC 2617 §3.2.2) for both schemes the S-CSCF challenges with:
 * MD5 with HA1 from the HSS, and AKAv1-MD5 (RFC 3310 §3.4) where the password is XRES as raw bytes.
 */
const md5 = (...parts: (string | Uint8Array)[]): string => {
  const h = createHash("md5");
  parts.forEach((p, i) => {
    if (i > 0) h.update(":");
    h.update(p);
  });
  return h.digest("hex");
};

/** HA1 for AKAv1-MD5: MD5(username ":" realm ":" XRES), XRES as bytes (RFC 3310 §3.4). */
export function akaHa1(username: string, realm: string, xres: Uint8Array): string {
  return md5(username, realm, xres);
}

/** request-digest of RFC 2617 §3.2.2.1 (qop=auth, or no qop for RFC 2069 clients). */
export function digestResponse(ha1: string, method: string, c: DigestParams): string | undefined {
  if (c.nonce === undefined || c.uri === undefined) return undefined;
  const ha2 = md5(method, c.uri);
  const qop = c.qop?.toLowerCase();
  if (qop === undefined) return md5(ha1, c.nonce, ha2);
  if (qop !== "auth" || c.nc === undefined || c.cnonce === undefined) return undefined;
  return md5(ha1, c.nonce, c.nc, c.cnonce, qop, ha2);
}

/**
 * Checks the credentials' response against HA1, in constant time. The digest uses the `uri`
 * parameter as sent (SIPp puts sip:ip:port there, not the Request-URI).
 */
export function verifyDigest(ha1: string, method: string, c: DigestParams): boolean {
  const expected = digestResponse(ha1.toLowerCase(), method, c);
  if (expected === undefined || c.response === undefined) return false;
  return timingSafeEqualString(expected, c.response.toLowerCase());
}
