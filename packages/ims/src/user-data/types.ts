/**
 * The IMS user profile carried in the Cx User-Data AVP: TS 29.228 Annex B (information model) and
 * Annex E (XML schema CxDataType.xsd). Field names follow the XML element names.
 */

/** TS 29.228 Annex B.2.2 SessionCase values. */
export const SESSION_CASES = {
  ORIGINATING_SESSION: 0,
  TERMINATING_REGISTERED: 1,
  TERMINATING_UNREGISTERED: 2,
  ORIGINATING_UNREGISTERED: 3,
  ORIGINATING_CDIV: 4,
} as const;
export type SessionCase = (typeof SESSION_CASES)[keyof typeof SESSION_CASES];

/** Annex E tDefaultHandling. */
export const DEFAULT_HANDLING = { SESSION_CONTINUED: 0, SESSION_TERMINATED: 1 } as const;
export type DefaultHandling = (typeof DEFAULT_HANDLING)[keyof typeof DEFAULT_HANDLING];

/** Annex E tIdentityType. */
export const IDENTITY_TYPES = { PUBLIC_USER_IDENTITY: 0, DISTINCT_PSI: 1, WILDCARDED_PSI: 2 } as const;
export type IdentityType = (typeof IDENTITY_TYPES)[keyof typeof IDENTITY_TYPES];

/** Annex E tRegistrationType (SPT extension for REGISTER triggers). */
export const REGISTRATION_TYPES = { INITIAL: 0, RE_REGISTRATION: 1, DE_REGISTRATION: 2 } as const;
export type RegistrationType = (typeof REGISTRATION_TYPES)[keyof typeof REGISTRATION_TYPES];

/** Annex E tProfilePartIndicator. */
export const PROFILE_PART = { REGISTERED: 0, UNREGISTERED: 1 } as const;
export type ProfilePartIndicator = (typeof PROFILE_PART)[keyof typeof PROFILE_PART];

/** The one condition a Service Point Trigger tests (Annex B.2.2). */
export type SptCondition =
  | { readonly kind: "method"; readonly method: string }
  | { readonly kind: "requestUri"; readonly requestUri: string }
  | { readonly kind: "sipHeader"; readonly header: string; readonly content?: string | undefined }
  | { readonly kind: "sessionCase"; readonly sessionCase: SessionCase }
  | { readonly kind: "sessionDescription"; readonly line: string; readonly content?: string | undefined };

export interface ServicePointTrigger {
  readonly conditionNegated: boolean;
  /** Group numbers: SPTs of one group are ORed (CNF) or ANDed (DNF). */
  readonly group: readonly number[];
  readonly condition: SptCondition;
  readonly registrationType?: readonly RegistrationType[] | undefined;
}

export interface TriggerPoint {
  /** true: Conjunctive Normal Form (AND of ORed groups); false: Disjunctive (OR of ANDed groups). */
  readonly conditionTypeCnf: boolean;
  readonly spt: readonly ServicePointTrigger[];
}

export interface ApplicationServerRef {
  readonly serverName: string;
  readonly defaultHandling?: DefaultHandling;
  readonly serviceInfo?: string;
  readonly includeRegisterRequest?: boolean;
  readonly includeRegisterResponse?: boolean;
}

export interface InitialFilterCriteria {
  readonly priority: number;
  readonly triggerPoint?: TriggerPoint;
  readonly applicationServer: ApplicationServerRef;
  readonly profilePartIndicator?: ProfilePartIndicator;
}

export interface PublicIdentity {
  readonly identity: string;
  readonly barringIndication?: boolean;
  readonly identityType?: IdentityType;
  readonly wildcardedPsi?: string;
  readonly displayName?: string;
}

export interface ServiceProfile {
  readonly publicIdentities: readonly PublicIdentity[];
  readonly initialFilterCriteria: readonly InitialFilterCriteria[];
  /** CoreNetworkServicesAuthorization / SubscribedMediaProfileId. */
  readonly subscribedMediaProfileId?: number;
}

export interface ImsSubscription {
  readonly privateId: string;
  readonly serviceProfiles: readonly ServiceProfile[];
}
