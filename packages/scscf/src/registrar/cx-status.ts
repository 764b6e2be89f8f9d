import { CX_EXPERIMENTAL_RESULT, CX_RESULT_CODE, type CxResult } from "@ims/ims";
import type { CxError } from "../cx/cx-client.js";
import { type SipReply, reply } from "./sip-reply.js";

/**
 * The SIP answer when the HSS could not be asked (TS 24.229 §5.4.1.2.1: the S-CSCF answers with an
 * error when the HSS does not answer). The reason phrase says it was the HSS.
 */
export function cxErrorReply(e: CxError): SipReply {
  switch (e.tag) {
    case "cx-timeout":
      return reply(504, "HSS Timeout");
    case "cx-unreachable":
      return reply(500, "HSS Unreachable");
    case "cx-malformed":
      return reply(500, "HSS Answer Malformed");
  }
}

/** The SIP answer for a Cx answer that is not a success (TS 29.228 §6.3, §6.1.2). */
export function cxFailureReply(r: CxResult): SipReply {
  if (r.kind === "experimental") {
    switch (r.code) {
      case CX_EXPERIMENTAL_RESULT.ERROR_USER_UNKNOWN:
        return reply(403, "Forbidden - Unknown User");
      case CX_EXPERIMENTAL_RESULT.ERROR_IDENTITIES_DONT_MATCH:
        return reply(403, "Forbidden - Identities Do Not Match");
      case CX_EXPERIMENTAL_RESULT.ERROR_AUTH_SCHEME_NOT_SUPPORTED:
        return reply(403, "Forbidden - Authentication Scheme Not Supported");
      case CX_EXPERIMENTAL_RESULT.ERROR_ROAMING_NOT_ALLOWED:
        return reply(403, "Forbidden - Roaming Not Allowed");
      case CX_EXPERIMENTAL_RESULT.ERROR_IN_ASSIGNMENT_TYPE:
        return reply(403, "Forbidden - Server Assignment Refused");
      default:
        return reply(500, `HSS Error ${r.code}`);
    }
  }
  switch (r.code) {
    case CX_RESULT_CODE.UNABLE_TO_DELIVER:
      return reply(500, "HSS Unreachable");
    case CX_RESULT_CODE.TOO_BUSY:
      return reply(503, "HSS Busy");
    case CX_RESULT_CODE.AUTHORIZATION_REJECTED:
      return reply(403, "Forbidden - Rejected By HSS");
    default:
      return reply(500, `HSS Error ${r.code}`);
  }
}
