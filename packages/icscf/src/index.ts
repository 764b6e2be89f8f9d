export type { IcscfConfig } from "./config.js";
export { type ConfiguredScscf, type ServerCapabilities, rankScscfs } from "./scscf-selection.js";
export { type IcscfDeps, attachIcscf } from "./icscf.js";
export { handleRegister, scscfCandidates } from "./register.js";
export { handleTerminating } from "./terminating.js";
export { type IcscfStartDeps, type RunningIcscf, startIcscf } from "./start.js";
