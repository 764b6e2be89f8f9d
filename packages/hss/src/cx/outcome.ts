/**
 * How a Cx procedure ends: a base Result-Code (RFC 6733 §7.1) or an Experimental-Result-Code of
 * TS 29.229 §6.2 (vendor 10415). Names are those of @ims/diameter's tables; the wire layer maps them.
 */
export type BaseResultName = "DIAMETER_SUCCESS" | "DIAMETER_AUTHORIZATION_REJECTED" | "DIAMETER_UNABLE_TO_COMPLY" | "DIAMETER_MISSING_AVP";

export type ExperimentalResultName =
  | "DIAMETER_FIRST_REGISTRATION"
  | "DIAMETER_SUBSEQUENT_REGISTRATION"
  | "DIAMETER_UNREGISTERED_SERVICE"
  | "DIAMETER_SUCCESS_SERVER_NAME_NOT_STORED"
  | "DIAMETER_ERROR_USER_UNKNOWN"
  | "DIAMETER_ERROR_IDENTITIES_DONT_MATCH"
  | "DIAMETER_ERROR_IDENTITY_NOT_REGISTERED"
  | "DIAMETER_ERROR_ROAMING_NOT_ALLOWED"
  | "DIAMETER_ERROR_AUTH_SCHEME_NOT_SUPPORTED"
  | "DIAMETER_ERROR_IN_ASSIGNMENT_TYPE";

export type CxResult =
  | { readonly kind: "result"; readonly name: BaseResultName }
  | { readonly kind: "experimental"; readonly name: ExperimentalResultName };

// One immutable object per result: a procedure's outcome allocates nothing and keys the answer head.
const bases = new Map<BaseResultName, CxResult>();
const experimentals = new Map<ExperimentalResultName, CxResult>();

export const result = (name: BaseResultName): CxResult => {
  let r = bases.get(name);
  if (r === undefined) bases.set(name, (r = Object.freeze({ kind: "result", name })));
  return r;
};
export const experimental = (name: ExperimentalResultName): CxResult => {
  let r = experimentals.get(name);
  if (r === undefined) experimentals.set(name, (r = Object.freeze({ kind: "experimental", name })));
  return r;
};
export const SUCCESS = result("DIAMETER_SUCCESS");

/** Server-Capabilities (TS 29.229 §6.3.4). */
export interface ServerCapabilities {
  readonly mandatory: readonly number[];
  readonly optional: readonly number[];
  readonly serverNames: readonly string[];
}

/** TS 29.229 §6.3.24 User-Authorization-Type. */
export const USER_AUTHORIZATION_TYPE = { REGISTRATION: 0, DE_REGISTRATION: 1, REGISTRATION_AND_CAPABILITIES: 2 } as const;
export type UserAuthorizationType = (typeof USER_AUTHORIZATION_TYPE)[keyof typeof USER_AUTHORIZATION_TYPE];

/** TS 29.229 §6.3.15 Server-Assignment-Type. */
export const SERVER_ASSIGNMENT_TYPE = {
  NO_ASSIGNMENT: 0,
  REGISTRATION: 1,
  RE_REGISTRATION: 2,
  UNREGISTERED_USER: 3,
  TIMEOUT_DEREGISTRATION: 4,
  USER_DEREGISTRATION: 5,
  TIMEOUT_DEREGISTRATION_STORE_SERVER_NAME: 6,
  USER_DEREGISTRATION_STORE_SERVER_NAME: 7,
  ADMINISTRATIVE_DEREGISTRATION: 8,
  AUTHENTICATION_FAILURE: 9,
  AUTHENTICATION_TIMEOUT: 10,
  DEREGISTRATION_TOO_MUCH_DATA: 11,
  AAA_USER_DATA_REQUEST: 12,
  PGW_UPDATE: 13,
  RESTORATION: 14,
} as const;
export type ServerAssignmentType = (typeof SERVER_ASSIGNMENT_TYPE)[keyof typeof SERVER_ASSIGNMENT_TYPE];
