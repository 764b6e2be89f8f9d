/**
 * The S-CSCF (TS 24.229 §5.4): registrar (REGISTER with SIP Digest / AKA over Cx MAR/SAR,
 * bindings, expiry, RTR) and session procedures (§5.4.3, session/): originating requests arrive
 * along the Service-Route (`sip:orig@...`), must carry a registered P-Asserted-Identity, run the
 * originating iFCs (to ASs, back via an ODI Route) and go to the I-CSCF (`icscfUri`) or by RFC 3263;
 * terminating requests run the terminating iFCs and fork to the callee's contacts along their Path.
 *
 * ```ts
 * const scscf = await startScscf({
 *   name: "scscf1", domain: "domain.imsprovider.org",
 *   sip: { address: "127.0.0.11", port: 6060, uri: "sip:scscf1.domain.imsprovider.org:6060" },
 *   diameter: { host: "scscf1.domain.imsprovider.org", realm: "domain.imsprovider.org" },
 *   hss: { host: "hss.domain.imsprovider.org", address: "127.0.0.77", port: 3868 },
 *   registration: { defaultExpires: 3600, minExpires: 60, maxExpires: 600000 },   // optional
 *   nonceLifetimeMs: 30000, cxTimeoutMs: 5000, hssWaitMs: 3000,                   // optional
 *   icscfUri: "sip:icscf.domain.imsprovider.org:4060", asTimeoutMs: 5000,          // optional
 * }, { logger: nodeLogger("scscf1"), tap, resolver });   // resolver: RFC 3263 (DNS) for Path, I-CSCF, ASs
 * scscf.state();   // "ready" | "hss-down" | "stopped"
 * await scscf.stop();   // DPR to the HSS, sockets closed
 * ```
 */
export { type ScscfConfig, type RegistrationLimits, type ConfigError, DEFAULT_LIMITS, validateConfig, serviceRouteOf } from "./config.js";
export { type ScscfDeps, type ScscfState, type RunningScscf, startScscf } from "./start.js";
export type { CxClient, CxError, MarFields, SarFields } from "./cx/cx-client.js";
export { FakeCxClient, digestMaa, akaMaa, failedMaa, saa } from "./cx/fake-cx-client.js";
export { type Registrar, type RegistrarOptions, createRegistrar } from "./registrar/registrar.js";
export { type Sessions, type SessionOptions, createSessions } from "./session/session.js";
