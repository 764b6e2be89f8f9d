export type { CxClient, CxError, CxFields, CxReply } from "./types.js";
