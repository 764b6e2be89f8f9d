/**
 * @ims/hss — the Home Subscriber Server: FHoSS-like subscriber store (SQLite by default,
 * MySQL/MariaDB with HSS_DB_URL), Cx server (TS 29.228/29.229: UAR, MAR, SAR, LIR; RTR and PPR),
 * provisioning REST API (OpenAPI at /openapi.json) and the ims-hss CLI.
 *
 *   const hss = await startHss({ address: "127.0.0.77", diameterPort: 3868, httpPort: 8080,
 *     realm: "domain.imsprovider.org", database: "var/hss.sqlite", token: "…",
 *     subscribersFile: "config/subscribers.json" });
 *   …
 *   await hss.stop();
 */
export { startHss, type HssHandle, type HssStartOptions } from "./main.js";
export { hssConfigSchema, parseHssConfig, type HssConfig, type HssConfigInput } from "./config.js";
export { openHssDb, dropHssTables, isMysqlUrl, type HssDb, type HssDbConfig, type DialectName } from "./store/open-db.js";
export type { HssDatabase, RegistrationState, ImpuType } from "./store/tables.js";
export { reserveSqns, type SqnStep, type ReserveSqnOptions, type SqnReservation } from "./store/sqn.js";
export { addSubscriber, subscriberSchema, type SubscriberInput } from "./provisioning/subscriber.js";
export { applySeed, loadSeedFile, seedFileSchema, type SeedFile } from "./provisioning/seed.js";
export { startProvisioningApi, type ProvisioningApi, type ProvisioningApiConfig } from "./provisioning/http-api.js";
export type { ProvisioningEvents } from "./provisioning/routes.js";
export { runCli, type CliIo } from "./cli.js";
export { AUTH_SCHEMES, type AuthScheme } from "./auth/schemes.js";
export type { AkaProvider } from "./auth/aka-provider.js";
export { digestHa1 } from "./auth/digest.js";
export { answerCx } from "./cx/server.js";
export { startCxServer, type CxServer, type CxServerConfig } from "./cx/diameter-server.js";
export type { CxContext } from "./cx/context.js";
export { uarRequest, marRequest, sarRequest, lirRequest, type CxPeer } from "./cx/cx-client.js";
