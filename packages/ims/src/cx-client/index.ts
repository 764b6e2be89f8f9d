export type { CxClient, CxError, CxFields, CxReply } from "./types.js";
export { type DiameterCxClientOptions, DiameterCxClient } from "./diameter-cx-client.js";
