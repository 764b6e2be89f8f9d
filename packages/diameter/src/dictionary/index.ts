/**
 * Diameter dictionary as data: RFC 6733 base and 3GPP Cx/Dx (TS 29.229) AVPs, commands with their
 * CCF, grouped formats, Result-Code and Experimental-Result-Code tables, each row citing its clause.
 * `standardDictionary` is what the codec uses by default; `AvpName`/`AvpValue<N>` type AVPs by name.
 */
export type { AvpDataType, FlagRule, AvpDefinition, CommandDefinition, GroupedDefinition, AvpValueOfType } from "./types.js";
export type { CcfRule } from "./ccf.js";
export { parseCcf } from "./ccf.js";
export { BASE_AVPS } from "./base-avps.js";
export { CX_AVPS, CX_REFERENCED_AVPS } from "./cx-avps.js";
export { BASE_COMMANDS, CX_COMMANDS, ANSWER_MESSAGE_CCF } from "./commands.js";
export { GROUPED_AVPS } from "./grouped-avps.js";
export { RESULT_CODES, CX_EXPERIMENTAL_RESULT_CODES } from "./result-codes.js";
export {
  type AvpName,
  type AvpTypeOf,
  type AvpValue,
  type CommandAbbrev,
  type AvpEntry,
  type CommandEntry,
  ALL_AVPS,
  ALL_COMMANDS,
  AVP_FLAG,
  Dictionary,
  standardDictionary,
} from "./dictionary.js";
export {
  type EnumName,
  type EnumValues,
  RESULT_CODE,
  EXPERIMENTAL_RESULT,
  VENDOR_3GPP,
  CX_APPLICATION_ID,
  enumValues,
} from "./constants.js";
