import { CX_APPLICATION_ID, VENDOR_3GPP, enumValues } from "@ims/diameter";

export { CX_APPLICATION_ID, VENDOR_3GPP };

/**
 * TS 29.229 §6.2 Experimental-Result-Code values (sent in Experimental-Result with Vendor-Id 10415),
 * checked against cx-dx.tsv by codes.test.ts. 2005 SERVER_SELECTION is deprecated (receive only).
 */
export const CX_EXPERIMENTAL_RESULT = {
  FIRST_REGISTRATION: 2001,
  SUBSEQUENT_REGISTRATION: 2002,
  UNREGISTERED_SERVICE: 2003,
  SUCCESS_SERVER_NAME_NOT_STORED: 2004,
  SERVER_SELECTION: 2005,
  ERROR_USER_UNKNOWN: 5001,
  ERROR_IDENTITIES_DONT_MATCH: 5002,
  ERROR_IDENTITY_NOT_REGISTERED: 5003,
  ERROR_ROAMING_NOT_ALLOWED: 5004,
  ERROR_IDENTITY_ALREADY_REGISTERED: 5005,
  ERROR_AUTH_SCHEME_NOT_SUPPORTED: 5006,
  ERROR_IN_ASSIGNMENT_TYPE: 5007,
  ERROR_TOO_MUCH_DATA: 5008,
  ERROR_NOT_SUPPORTED_USER_DATA: 5009,
  ERROR_FEATURE_UNSUPPORTED: 5011,
  ERROR_SERVING_NODE_FEATURE_UNSUPPORTED: 5012,
} as const;
export type CxExperimentalResultName = keyof typeof CX_EXPERIMENTAL_RESULT;

/** RFC 6733 §7.1 Result-Code values Cx handlers answer with most. */
export const CX_RESULT_CODE = {
  SUCCESS: 2001,
  UNABLE_TO_DELIVER: 3002,
  TOO_BUSY: 3004,
  AUTHENTICATION_REJECTED: 4001,
  AUTHORIZATION_REJECTED: 5003,
  INVALID_AVP_VALUE: 5004,
  MISSING_AVP: 5005,
  UNABLE_TO_COMPLY: 5012,
} as const;

/** TS 29.229 §6.3.15 Server-Assignment-Type. */
export const SERVER_ASSIGNMENT_TYPE = enumValues("Server-Assignment-Type");
/** TS 29.229 §6.3.24 User-Authorization-Type. */
export const USER_AUTHORIZATION_TYPE = enumValues("User-Authorization-Type");
/** TS 29.229 §6.3.17 Reason-Code (in Deregistration-Reason). */
export const REASON_CODE = enumValues("Reason-Code");
/** TS 29.229 §6.3.26 User-Data-Already-Available. */
export const USER_DATA_ALREADY_AVAILABLE = enumValues("User-Data-Already-Available");
/** TS 29.229 §6.3.51 Multiple-Registration-Indication. */
export const MULTIPLE_REGISTRATION_INDICATION = enumValues("Multiple-Registration-Indication");
/** TS 29.229 §6.3.34 Originating-Request. */
export const ORIGINATING_REQUEST = enumValues("Originating-Request");
/** TS 29.229 §6.3.45 Loose-Route-Indication. */
export const LOOSE_ROUTE_INDICATION = enumValues("Loose-Route-Indication");
/** RFC 6733 §8.11 Auth-Session-State; Cx uses NO_STATE_MAINTAINED. */
export const AUTH_SESSION_STATE = enumValues("Auth-Session-State");

/** TS 29.229 §6.3.9 SIP-Authentication-Scheme values. */
export const SIP_AUTH_SCHEME = {
  AKA_MD5: "Digest-AKAv1-MD5",
  SIP_DIGEST: "SIP Digest",
  NASS_BUNDLED: "NASS-Bundled",
  EARLY_IMS: "Early-IMS-Security",
  UNKNOWN: "Unknown",
} as const;

type Values<T> = T[keyof T];
export type ServerAssignmentType = Values<typeof SERVER_ASSIGNMENT_TYPE>;
export type UserAuthorizationType = Values<typeof USER_AUTHORIZATION_TYPE>;
export type ReasonCode = Values<typeof REASON_CODE>;
export type SipAuthScheme = Values<typeof SIP_AUTH_SCHEME>;
