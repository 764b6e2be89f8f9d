import type { Result, TaggedError } from "@ims/runtime";
import type { CxAnswerRead, CxFields } from "../cx/common.js";
import type { LocationInfoAnswer, LocationInfoRequest } from "../cx/lir-lia.js";
import type { MultimediaAuthAnswer, MultimediaAuthRequest } from "../cx/mar-maa.js";
import type { ServerAssignmentAnswer, ServerAssignmentRequest } from "../cx/sar-saa.js";
import type { UserAuthorizationAnswer, UserAuthorizationRequest } from "../cx/uar-uaa.js";

export type { CxFields } from "../cx/common.js";

/**
 * Why no Cx answer came: the HSS peer is not open ("cx-unreachable"), it did not answer in time
 * ("cx-timeout"), or the answer could not be read ("cx-malformed").
 */
export type CxError = TaggedError<"cx-unreachable" | "cx-timeout" | "cx-malformed">;

export type CxReply<A> = Promise<Result<A & CxAnswerRead, CxError>>;

/**
 * The CSCFs' side of Cx (TS 29.229) as their procedures see it. A Cx answer with a failure
 * Result-Code is an `ok` Result: the procedure decides what it means. Implemented over the Diameter
 * node (DiameterCxClient) and by fakes in tests.
 */
export interface CxClient {
  uar(request: CxFields<UserAuthorizationRequest>): CxReply<UserAuthorizationAnswer>;
  lir(request: CxFields<LocationInfoRequest>): CxReply<LocationInfoAnswer>;
  mar(request: CxFields<MultimediaAuthRequest>): CxReply<MultimediaAuthAnswer>;
  sar(request: CxFields<ServerAssignmentRequest>): CxReply<ServerAssignmentAnswer>;
}
