import { createAkaService } from "@ims/aka";
import { nodeLogger, type Logger, type PacketTap } from "@ims/runtime";
import type { AkaProvider } from "./auth/aka-provider.js";
import { parseHssConfig, type HssConfig, type HssConfigInput } from "./config.js";
import type { CxContext } from "./cx/context.js";
import { startCxServer, type CxServer } from "./cx/diameter-server.js";
import { pushProfiles } from "./cx/ppr.js";
import { deregisterImpu } from "./cx/rtr.js";
import { startProvisioningApi, type ProvisioningApi } from "./provisioning/http-api.js";
import type { ProvisioningEvents } from "./provisioning/routes.js";
import { applySeed, loadSeedFile } from "./provisioning/seed.js";
import { openHssDb, type HssDb } from "./store/open-db.js";

export interface HssHandle {
  readonly config: HssConfig;
  readonly db: HssDb;
  /** Bound ports (useful when 0 was asked for). */
  readonly httpPort: number;
  readonly diameterPort: number;
  stop(): Promise<void>;
}

export interface HssStartOptions {
  readonly logger?: Logger;
  readonly aka?: AkaProvider;
  /** Packet tap of the lab capture: the Diameter traffic of the HSS goes to the pcap. */
  readonly tap?: PacketTap;
}

/**
 * Starts the HSS: opens and migrates the store, loads the default subscribers idempotently, then
 * listens for Diameter Cx and the provisioning API on the configured address.
 */
export async function startHss(input: HssConfigInput, options: HssStartOptions = {}): Promise<HssHandle> {
  const config = parseHssConfig(input);
  const logger = options.logger ?? nodeLogger("hss");
  const db = await openHssDb({ url: config.database, ...(config.tablePrefix === "" ? {} : { tablePrefix: config.tablePrefix }) });
  let cx: CxServer | undefined;
  let api: ProvisioningApi | undefined;
  try {
    if (config.subscribersFile !== null) {
      const added = await applySeed(db, loadSeedFile(config.subscribersFile), logger);
      logger.info({ added, file: config.subscribersFile }, "default subscribers loaded");
    }
    const ctx: CxContext = { hss: db, homeRealm: config.realm, aka: options.aka ?? createAkaService(), logger };
    const identity = { originHost: config.host, originRealm: config.realm };
    cx = await startCxServer({ ctx, identity, address: config.address, port: config.diameterPort, logger, ...(options.tap === undefined ? {} : { tap: options.tap }) });
    const server = cx;
    const events: ProvisioningEvents = {
      profileChanged(impus) {
        pushProfiles(ctx, identity, server.sender, impus).catch((e: unknown) => logger.warn({ err: (e as Error).message }, "PPR failed"));
      },
      deregister: (impu) => deregisterImpu(ctx, identity, server.sender, impu),
    };
    api = await startProvisioningApi({ host: config.address, port: config.httpPort, token: config.token, hss: db, events, logger });
    logger.info({ address: config.address, diameter: cx.port, http: api.port, dialect: db.dialect }, "HSS ready");
  } catch (e) {
    await api?.close();
    await cx?.stop();
    await db.close();
    throw e;
  }
  const started = { cx, api };
  return {
    config,
    db,
    httpPort: started.api.port,
    diameterPort: started.cx.port,
    async stop() {
      await started.api.close();
      await started.cx.stop();
      await db.close();
    },
  };
}
