import { type Avp, avp, getValue } from "@ims/diameter";
import { type Mutable, setOpt } from "./common.js";

/**
 * TS 29.229 §6.3.36 SIP-Digest-Authenticate (RFC 4740 Digest-* AVPs): what the S-CSCF needs to
 * challenge with MD5 digest. `ha1` is a secret: never log it.
 */
export interface SipDigestAuthenticate {
  readonly realm: string;
  readonly algorithm?: string;
  readonly qop: string;
  readonly ha1: string;
}

/**
 * TS 29.229 §6.3.13 SIP-Auth-Data-Item. For Digest-AKAv1-MD5 in a MAA: `authenticate` = RAND‖AUTN
 * (32 bytes), `authorization` = XRES, `confidentialityKey`/`integrityKey` = CK/IK. In a MAR for
 * resynchronisation: `authorization` = RAND‖AUTS (30 bytes). XRES, CK, IK and HA1 are secrets.
 */
export interface SipAuthDataItem {
  readonly itemNumber?: number;
  readonly scheme?: string;
  readonly authenticate?: Uint8Array;
  readonly authorization?: Uint8Array;
  readonly authenticationContext?: Uint8Array;
  readonly confidentialityKey?: Uint8Array;
  readonly integrityKey?: Uint8Array;
  readonly digest?: SipDigestAuthenticate;
}

export function sipAuthDataItemAvp(i: SipAuthDataItem): Avp {
  const members: Avp[] = [];
  if (i.itemNumber !== undefined) members.push(avp("SIP-Item-Number", i.itemNumber));
  if (i.scheme !== undefined) members.push(avp("SIP-Authentication-Scheme", i.scheme));
  if (i.authenticate !== undefined) members.push(avp("SIP-Authenticate", i.authenticate));
  if (i.authorization !== undefined) members.push(avp("SIP-Authorization", i.authorization));
  if (i.authenticationContext !== undefined) members.push(avp("SIP-Authentication-Context", i.authenticationContext));
  if (i.confidentialityKey !== undefined) members.push(avp("Confidentiality-Key", i.confidentialityKey));
  if (i.integrityKey !== undefined) members.push(avp("Integrity-Key", i.integrityKey));
  const d = i.digest;
  if (d !== undefined) {
    const digest = [avp("Digest-Realm", d.realm)];
    if (d.algorithm !== undefined) digest.push(avp("Digest-Algorithm", d.algorithm));
    digest.push(avp("Digest-QoP", d.qop), avp("Digest-HA1", d.ha1));
    members.push(avp("SIP-Digest-Authenticate", digest));
  }
  return avp("SIP-Auth-Data-Item", members);
}

export function readSipAuthDataItem(members: readonly Avp[]): SipAuthDataItem {
  const o: Mutable<SipAuthDataItem> = {};
  setOpt(o, "itemNumber", getValue(members, "SIP-Item-Number"));
  setOpt(o, "scheme", getValue(members, "SIP-Authentication-Scheme"));
  setOpt(o, "authenticate", getValue(members, "SIP-Authenticate"));
  setOpt(o, "authorization", getValue(members, "SIP-Authorization"));
  setOpt(o, "authenticationContext", getValue(members, "SIP-Authentication-Context"));
  setOpt(o, "confidentialityKey", getValue(members, "Confidentiality-Key"));
  setOpt(o, "integrityKey", getValue(members, "Integrity-Key"));
  const d = getValue(members, "SIP-Digest-Authenticate");
  if (d !== undefined) {
    const digest: Mutable<SipDigestAuthenticate> = {
      realm: getValue(d, "Digest-Realm") ?? "",
      qop: getValue(d, "Digest-QoP") ?? "",
      ha1: getValue(d, "Digest-HA1") ?? "",
    };
    setOpt(digest, "algorithm", getValue(d, "Digest-Algorithm"));
    o.digest = digest;
  }
  return o;
}
