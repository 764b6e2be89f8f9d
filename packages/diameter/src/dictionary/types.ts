/** Shapes of the dictionary tables (RFC 6733 §4.2–4.5 data types, §3.2 CCF, §4.5 flag rules). */

/** RFC 6733 §4.2 basic and §4.3 derived AVP data formats. */
export type AvpDataType =
  | "OctetString"
  | "Integer32"
  | "Integer64"
  | "Unsigned32"
  | "Unsigned64"
  | "Float32"
  | "Float64"
  | "Grouped"
  | "Address"
  | "Time"
  | "UTF8String"
  | "DiameterIdentity"
  | "DiameterURI"
  | "Enumerated";

/** M/V bit rule of an AVP table (RFC 6733 §4.5). "UNVERIFIED": sources disagree; we send the bit clear. */
export type FlagRule = "MUST" | "MUST_NOT" | "MAY" | "UNVERIFIED";

export interface AvpDefinition {
  readonly code: number;
  readonly name: string;
  /** 0 for IETF AVPs (no Vendor-ID field). */
  readonly vendorId: number;
  readonly type: AvpDataType;
  readonly m: FlagRule;
  readonly v: FlagRule;
  readonly clause: string;
  /** Enumerated values by name. */
  readonly values?: Readonly<Record<string, number>>;
}

export interface CommandDefinition {
  readonly code: number;
  readonly name: string;
  readonly request: string;
  readonly answer: string;
  /** null: the application of the session (RAR, STR, ASR, ACR). */
  readonly applicationId: number | null;
  readonly proxiable: boolean;
  readonly clause: string;
  /** Command Code Format of the request / answer, one line, as written in the spec. */
  readonly requestCcf: string;
  readonly answerCcf: string;
}

export interface GroupedDefinition {
  readonly code: number;
  readonly name: string;
  readonly vendorId: number;
  readonly ccf: string;
}

/** Value types of each data format, as the codec reads and writes them. */
export interface AvpValueOfType {
  readonly OctetString: Uint8Array;
  readonly Integer32: number;
  readonly Integer64: bigint;
  readonly Unsigned32: number;
  readonly Unsigned64: bigint;
  readonly Float32: number;
  readonly Float64: number;
  /** Grouped values are their member AVPs (see codec `Avp`). */
  readonly Grouped: GroupedValue;
  /** "127.0.0.1" or "::1" (RFC 6733 §4.3.1, AddressType 1 / 2). */
  readonly Address: string;
  readonly Time: Date;
  readonly UTF8String: string;
  readonly DiameterIdentity: string;
  readonly DiameterURI: string;
  readonly Enumerated: number;
}

/**
 * A grouped value: a list of AVPs. Declared structurally here so that the dictionary does not depend
 * on the codec; the codec's `Avp` satisfies it.
 */
export type GroupedValue = readonly GroupedMember[];
export interface GroupedMember {
  readonly code: number;
  readonly flags: number;
  readonly vendorId: number;
  readonly data: Uint8Array;
  readonly avps?: readonly GroupedMember[] | undefined;
}
