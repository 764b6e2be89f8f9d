/**
 * Diameter peer layer (RFC 6733 §5): the pure peer state machine (`PeerStateMachine`, states named as
 * in §5.6), CER/CEA/DWR/DWA/DPR/DPA builders, capability reading and election, and the RFC 3539
 * watchdog. No sockets here: the node feeds events and carries out the actions.
 */
export * from "./types.js";
export { PEER_RESULT, buildCer, buildCea, buildDwr, buildDwa, buildDpr, buildDpa, commonApplications, readCapabilities, winsElection } from "./capabilities.js";
export { type WatchdogHooks, Watchdog } from "./watchdog.js";
export { type PeerOptions, PeerStateMachine } from "./peer-fsm.js";
