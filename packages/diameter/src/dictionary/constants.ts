import { ALL_AVPS } from "./dictionary.js";
import { CX_EXPERIMENTAL_RESULT_CODES, RESULT_CODES } from "./result-codes.js";

type ByName<T extends readonly { readonly name: string; readonly code: number }[]> = {
  readonly [R in T[number] as R["name"]]: R["code"];
};

function byName<T extends readonly { readonly name: string; readonly code: number }[]>(rows: T): ByName<T> {
  return Object.fromEntries(rows.map((r) => [r.name, r.code])) as ByName<T>;
}

/** RFC 6733 §7.1 Result-Code values by name: `RESULT_CODE.DIAMETER_MISSING_AVP` is 5005. */
export const RESULT_CODE = byName(RESULT_CODES);
/** TS 29.229 §6.2 Experimental-Result-Code values by name (vendor 10415). */
export const EXPERIMENTAL_RESULT = byName(CX_EXPERIMENTAL_RESULT_CODES);

/** 3GPP vendor id (IANA enterprise number 10415). */
export const VENDOR_3GPP = 10415;
/** TS 29.229 §5: the Cx/Dx application id. */
export const CX_APPLICATION_ID = 16777216;

type EnumRows = Extract<(typeof ALL_AVPS)[number], { readonly values: object }>;
export type EnumName = EnumRows["name"];
export type EnumValues<N extends EnumName> = Extract<EnumRows, { readonly name: N }>["values"];

/** The values of an Enumerated AVP by name: `enumValues("Disconnect-Cause").REBOOTING` is 0. */
export function enumValues<N extends EnumName>(name: N): EnumValues<N> {
  const row = ALL_AVPS.find((r) => r.name === name) as EnumRows;
  return row.values as EnumValues<N>;
}
