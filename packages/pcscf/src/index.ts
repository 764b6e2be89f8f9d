/**
 * The P-CSCF (TS 24.229 §5.2): the UEs' first hop. Today the registration procedure (REGISTER to
 * the I-CSCF with Path, P-Visited-Network-ID, P-Charging-Vector; ck/ik kept out of the 401; the
 * registration kept from the 200); requests of unregistered UEs are refused with 403; a minimal
 * originating route (P-Asserted-Identity, Record-Route, Service-Route) and terminating route (over
 * the Path to the UE's real source) for the call flows that come next. With a `media` anchor, the
 * SDP offers and answers go through the relay (media/): each pass of a call is one relay session.
 *
 * ```ts
 * const p = await startPcscf({
 *   name: "pcscf1", domain: "domain.imsprovider.org",
 *   sip: { address: "127.0.0.33", port: 5060, hosts: ["pcscf1.domain.imsprovider.org"] },
 *   advertisedHost: "192.168.1.20",          // optional: Via/Path host for clients on the LAN
 *   visitedNetworkId: "domain.imsprovider.org", // optional (default: the domain)
 *   icscfUri: "sip:127.0.0.55:4060",          // optional: skip RFC 3263 on the domain
 *   registration: { maxRegistrations: 100000, graceSeconds: 0, challengeKeySeconds: 60 }, // optional
 * }, { logger: nodeLogger("pcscf1"), tap, clock, resolver,   // resolver: RFC 3263 (packages/dns)
 *      media });   // optional MediaAnchor (the lab adapts an ng client): SDP rewritten through the relay
 * p.state();        // "ready" | "stopped"
 * await p.stop();
 * // unit tests: attachPcscf({ stack, domain, resolver, ... }) on a FakeNetwork stack
 * ```
 */
export { type PcscfConfig, type PcscfRegistrationLimits, type ConfigError, DEFAULT_REGISTRATION_LIMITS, validateConfig, registrationLimits } from "./config.js";
export { type PcscfDeps, type AttachedPcscf, attachPcscf } from "./pcscf.js";
export { type PcscfContext, registrationKey } from "./context.js";
export { handleRegister, prepareRegister, registerTarget } from "./register.js";
export { handleRequest, routeAck } from "./requests.js";
export { assertedIdentity, handleOriginating } from "./originating.js";
export { handleTerminating, registrationForTarget, ueDestination } from "./terminating.js";
export { type RegistrationChanges, registrationChanges } from "./registration-update.js";
export { type FilteredChallenge, stripChallengeKeys } from "./challenge-filter.js";
export { UNTRUSTED_FROM_UE, removeUntrusted } from "./trust-domain.js";
export { type Advertised, pathValue, recordRouteValue, advertiseVia } from "./advertised.js";
export { type UeRegistration, RegistrationStore } from "./storage/registrations.js";
export { SecurityKeys, SecurityKeyStore } from "./storage/security-keys.js";
export { type MediaAnchor, type MediaAnchorError, type MediaAnchorErrorTag, type MediaSessionIds } from "./media/anchor.js";
export { type MediaLeg, MediaSessions, relayCallId, sdpOf } from "./media/media-sessions.js";
export { type PcscfStartDeps, type PcscfState, type RunningPcscf, startPcscf } from "./start.js";
