/**
 * SIP-Authentication-Scheme values the HSS serves (TS 29.229 §6.3.9). "Unknown" in a MAR asks the
 * HSS for the IMPI's default scheme. "Digest-MD5" is FHoSS's older name for SIP Digest.
 */
export const AUTH_SCHEMES = ["Digest-AKAv1-MD5", "SIP Digest", "Digest-MD5"] as const;
export type AuthScheme = (typeof AUTH_SCHEMES)[number];
export const UNKNOWN_SCHEME = "Unknown";

export function isAuthScheme(s: string): s is AuthScheme {
  return (AUTH_SCHEMES as readonly string[]).includes(s);
}

export function isDigestScheme(s: AuthScheme): boolean {
  return s === "SIP Digest" || s === "Digest-MD5";
}
