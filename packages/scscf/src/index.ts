/**
 * The S-CSCF (TS 24.229 §5.4): registrar today (REGISTER with SIP Digest / AKA over Cx MAR/SAR,
 * bindings, expiry, RTR); session procedures later.
 *
 * ```ts
 * const scscf = await startScscf({
 *   name: "scscf1", domain: "domain.imsprovider.org",
 *   sip: { address: "127.0.0.11", port: 6060, uri: "sip:scscf1.domain.imsprovider.org:6060" },
 *   diameter: { host: "scscf1.domain.imsprovider.org", realm: "domain.imsprovider.org" },
 *   hss: { host: "hss.domain.imsprovider.org", address: "127.0.0.77", port: 3868 },
 *   registration: { defaultExpires: 3600, minExpires: 60, maxExpires: 600000 },   // optional
 *   nonceLifetimeMs: 30000, cxTimeoutMs: 5000, hssWaitMs: 3000,                   // optional
 * }, { logger: nodeLogger("scscf1"), tap });
 * scscf.state();   // "ready" | "hss-down" | "stopped"
 * await scscf.stop();   // DPR to the HSS, sockets closed
 * ```
 */
export { type ScscfConfig, type RegistrationLimits, type ConfigError, DEFAULT_LIMITS, validateConfig, serviceRouteOf } from "./config.js";
export { type ScscfDeps, type ScscfState, type RunningScscf, startScscf } from "./start.js";
export type { CxClient, CxError, MarFields, SarFields } from "./cx/cx-client.js";
export { FakeCxClient, digestMaa, akaMaa, failedMaa, saa } from "./cx/fake-cx-client.js";
export { type Registrar, type RegistrarOptions, createRegistrar } from "./registrar/registrar.js";
