import type { Generated } from "kysely";

/**
 * The HSS schema, modelled on FHoSS (imsu, impi, impu, impi_impu, sp, ifc, application_server,
 * capabilities_set, charging_info) so its users find their way. One schema for SQLite and MySQL:
 * booleans are 0/1 integers, identities VARCHAR(255), SQN 12 hex digits as in FHoSS.
 * No column is named like a table (the table-prefix plugin renames identifiers by name).
 */

/** IMS subscription (FHoSS imsu). */
export interface SubscriptionTable {
  id: Generated<number>;
  name: string;
  capability_set_id: number | null;
  preferred_scscf: string | null;
  /** S-CSCF SIP URI assigned by SAR (TS 29.228 §6.1.2). */
  scscf_name: string | null;
  /** Diameter identity (Origin-Host) of the assigned S-CSCF, destination of RTR/PPR. */
  scscf_host: string | null;
  scscf_realm: string | null;
  /** S-CSCF name stored by a MAR while the user was registered elsewhere (TS 29.228 §6.3.1). */
  pending_scscf: string | null;
}

export interface CapabilitySetTable {
  id: Generated<number>;
  name: string;
}

export interface CapabilityTable {
  id: Generated<number>;
  set_id: number;
  code: number;
  mandatory: number;
}

/** Private identity (FHoSS impi). Secrets live only here and never leave through the API. */
export interface ImpiTable {
  id: Generated<number>;
  subscription_id: number;
  identity: string;
  /** Digest password; its bytes zero-padded to 16 are K unless `k` is set (DESIGN.md). */
  secret: string | null;
  k: string | null;
  amf: string;
  op: string | null;
  opc: string | null;
  sqn: string;
  /** Comma-separated SIP-Authentication-Scheme names allowed for this IMPI. */
  auth_schemes: string;
  default_scheme: string;
}

export const IMPU_TYPES = ["public_user", "distinct_psi", "wildcarded_psi"] as const;
export type ImpuType = (typeof IMPU_TYPES)[number];

/** TS 29.228 §6.1.2 / FHoSS registration states. */
export const REGISTRATION_STATES = ["NOT_REGISTERED", "REGISTERED", "UNREGISTERED"] as const;
export type RegistrationState = (typeof REGISTRATION_STATES)[number];

/** Public identity (FHoSS impu). */
export interface ImpuTable {
  id: Generated<number>;
  subscription_id: number;
  identity: string;
  impu_type: string;
  /** Regular expression form of a wildcarded PSI, e.g. sip:chatlist!.*!@domain. */
  wildcard_psi: string | null;
  display_name: string | null;
  barring: number;
  can_register: number;
  psi_activation: number;
  service_profile_id: number;
  charging_info_id: number | null;
  /** IMPUs sharing an implicit_set value form one implicit registration set (TS 29.228 §6.5). */
  implicit_set: number;
  user_state: string;
}

export interface ImpiImpuTable {
  impi_id: number;
  impu_id: number;
}

export interface ImpuVisitedNetworkTable {
  id: Generated<number>;
  impu_id: number;
  network: string;
}

export interface ServiceProfileTable {
  id: Generated<number>;
  name: string;
  cn_service_auth: number | null;
}

export interface ApplicationServerTable {
  id: Generated<number>;
  name: string;
  server_name: string;
  /** 0 SESSION_CONTINUED, 1 SESSION_TERMINATED (TS 29.228 Annex B). */
  default_handling: number;
  service_info: string | null;
  include_register_request: number;
  include_register_response: number;
}

/** Initial filter criteria; the trigger point (CNF/DNF + SPTs) is kept as validated JSON. */
export interface IfcTable {
  id: Generated<number>;
  service_profile_id: number;
  name: string;
  priority: number;
  trigger_point: string | null;
  application_server_id: number;
  profile_part_indicator: number | null;
}

export interface ChargingInfoTable {
  id: Generated<number>;
  name: string;
  pri_ecf: string | null;
  sec_ecf: string | null;
  pri_ccf: string | null;
  sec_ccf: string | null;
}

export interface HssDatabase {
  subscription: SubscriptionTable;
  capability_set: CapabilitySetTable;
  capability: CapabilityTable;
  impi: ImpiTable;
  impu: ImpuTable;
  impi_impu: ImpiImpuTable;
  impu_visited_network: ImpuVisitedNetworkTable;
  service_profile: ServiceProfileTable;
  application_server: ApplicationServerTable;
  ifc: IfcTable;
  charging_info: ChargingInfoTable;
}

export const TABLE_NAMES: readonly (keyof HssDatabase)[] = [
  "subscription",
  "capability_set",
  "capability",
  "impi",
  "impu",
  "impi_impu",
  "impu_visited_network",
  "service_profile",
  "application_server",
  "ifc",
  "charging_info",
];
