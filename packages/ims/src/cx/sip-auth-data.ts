import { type Avp, avp, getValue } from "@ims/diameter";
import { type Mutable, optAvp, setOpt } from "./common.js";

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
  return avp("SIP-Auth-Data-Item", [
    ...optAvp(i.itemNumber, (v) => avp("SIP-Item-Number", v)),
    ...optAvp(i.scheme, (v) => avp("SIP-Authentication-Scheme", v)),
    ...optAvp(i.authenticate, (v) => avp("SIP-Authenticate", v)),
    ...optAvp(i.authorization, (v) => avp("SIP-Authorization", v)),
    ...optAvp(i.authenticationContext, (v) => avp("SIP-Authentication-Context", v)),
    ...optAvp(i.confidentialityKey, (v) => avp("Confidentiality-Key", v)),
    ...optAvp(i.integrityKey, (v) => avp("Integrity-Key", v)),
    ...optAvp(i.digest, (d) =>
      avp("SIP-Digest-Authenticate", [
        avp("Digest-Realm", d.realm),
        ...optAvp(d.algorithm, (v) => avp("Digest-Algorithm", v)),
        avp("Digest-QoP", d.qop),
        avp("Digest-HA1", d.ha1),
      ]),
    ),
  ]);
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
