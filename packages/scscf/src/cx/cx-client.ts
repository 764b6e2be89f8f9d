import type {
  CxRequestBase,
  MultimediaAuthAnswer,
  MultimediaAuthRequest,
  ServerAssignmentAnswer,
  ServerAssignmentRequest,
} from "@ims/ims";
import type { Result, TaggedError } from "@ims/runtime";

/** A MAR as the registrar asks for it: the Diameter header AVPs are the client's business. */
export type MarFields = Omit<MultimediaAuthRequest, keyof CxRequestBase>;
/** A SAR as the registrar asks for it. */
export type SarFields = Omit<ServerAssignmentRequest, keyof CxRequestBase>;

/**
 * Why no Cx answer came: the HSS peer is not open ("cx-unreachable"), it did not answer in time
 * ("cx-timeout"), or the answer could not be read ("cx-malformed").
 */
export type CxError = TaggedError<"cx-unreachable" | "cx-timeout" | "cx-malformed">;

/**
 * The S-CSCF's side of Cx (TS 29.229) as the procedures see it. Implemented over the Diameter node
 * (diameter-cx-client.ts) and by a fake in tests. A Cx answer with a failure Result-Code is an `ok`
 * Result: the procedure decides what it means.
 */
export interface CxClient {
  mar(request: MarFields): Promise<Result<MultimediaAuthAnswer, CxError>>;
  sar(request: SarFields): Promise<Result<ServerAssignmentAnswer, CxError>>;
}
