/**
 * Typed Cx messages (TS 29.229 §6.1) over @ims/diameter: one file per command pair.
 *
 * Requests: `buildUar/Sar/Lir/Mar/Rtr/Ppr(fields, ids)` → DiameterMessage (Session-Id, the Cx
 * Vendor-Specific-Application-Id, Auth-Session-State NO_STATE_MAINTAINED, Origin-*, Destination-*,
 * then the command's AVPs in CCF order). Answers: `buildUaa/Saa/Lia/Maa/Rta/Ppa(request, fields)`
 * (ids and Session-Id from the request). `result` is a `CxResult`: `cxSuccess`, `resultCode(5012)`
 * or `experimentalResult(CX_EXPERIMENTAL_RESULT.ERROR_USER_UNKNOWN)`.
 * Readers: `readUar(msg)` … `readPpa(msg)` → Result<typed fields, DiameterError>; they validate the
 * message against its CCF first, so a missing mandatory AVP is a 5005 error carrying Failed-AVP.
 * Enumerations and codes: SERVER_ASSIGNMENT_TYPE, USER_AUTHORIZATION_TYPE, REASON_CODE,
 * CX_EXPERIMENTAL_RESULT, SIP_AUTH_SCHEME...
 */
export * from "./codes.js";
export {
  type CxRequestBase,
  type CxAnswerBase,
  type CxAnswerRead,
  type CxResult,
  cxSuccess,
  resultCode,
  experimentalResult,
  isSuccess,
} from "./common.js";
export type { ServerCapabilities } from "./server-capabilities.js";
export type { ChargingInformation } from "./charging-information.js";
export type { SipAuthDataItem, SipDigestAuthenticate } from "./sip-auth-data.js";
export { type UserAuthorizationRequest, type UserAuthorizationAnswer, UAR_COMMAND, buildUar, readUar, buildUaa, readUaa } from "./uar-uaa.js";
export { type ServerAssignmentRequest, type ServerAssignmentAnswer, SAR_COMMAND, buildSar, readSar, buildSaa, readSaa } from "./sar-saa.js";
export { type LocationInfoRequest, type LocationInfoAnswer, LIR_COMMAND, buildLir, readLir, buildLia, readLia } from "./lir-lia.js";
export { type MultimediaAuthRequest, type MultimediaAuthAnswer, MAR_COMMAND, buildMar, readMar, buildMaa, readMaa } from "./mar-maa.js";
export {
  type DeregistrationReason,
  type RegistrationTerminationRequest,
  type RegistrationTerminationAnswer,
  RTR_COMMAND,
  buildRtr,
  readRtr,
  buildRta,
  readRta,
} from "./rtr-rta.js";
export { type PushProfileRequest, type PushProfileAnswer, PPR_COMMAND, buildPpr, readPpr, buildPpa, readPpa } from "./ppr-ppa.js";
