import type { CxClient as SharedCxClient, CxFields, MultimediaAuthRequest, ServerAssignmentRequest } from "@ims/ims";

export type { CxError } from "@ims/ims";

/** A MAR as the registrar asks for it: the Diameter header AVPs are the client's business. */
export type MarFields = CxFields<MultimediaAuthRequest>;
/** A SAR as the registrar asks for it. */
export type SarFields = CxFields<ServerAssignmentRequest>;

/**
 * What the S-CSCF asks the HSS (TS 29.229): MAR and SAR of the CSCFs' shared CxClient, implemented
 * over the Diameter node by DiameterCxClient (@ims/ims) and by FakeCxClient in tests. A Cx answer
 * with a failure Result-Code is an `ok` Result: the procedure decides what it means.
 */
export type CxClient = Pick<SharedCxClient, "mar" | "sar">;
