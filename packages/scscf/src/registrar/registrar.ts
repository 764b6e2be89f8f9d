import type { Clock, Logger } from "@ims/runtime";
import type { RegistrationLimits } from "../config.js";
import type { CxClient } from "../cx/cx-client.js";
import { BindingStore } from "../storage/bindings.js";
import { ChallengeStore } from "../storage/challenges.js";
import type { RegistrarContext } from "./context.js";
import { bindingExpired } from "./expiry.js";

export interface RegistrarOptions {
  readonly domain: string;
  readonly serverName: string;
  readonly serviceRoute: string;
  readonly limits: RegistrationLimits;
  readonly nonceLifetimeMs: number;
  readonly cx: CxClient;
  readonly clock: Clock;
  readonly log: Logger;
}

/** The registrar's state and settings; `pending()` resolves once expiry SARs in flight are done. */
export interface Registrar {
  readonly ctx: RegistrarContext;
  pending(): Promise<void>;
  close(): void;
}

export function createRegistrar(o: RegistrarOptions): Registrar {
  const inFlight = new Set<Promise<void>>();
  const bindings = new BindingStore(o.clock, (e) => {
    const p = bindingExpired(ctx, e)
      .catch((err: unknown) => ctx.log.error({ err: String(err) }, "registrar expiry failed"))
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
  });
  const ctx: RegistrarContext = {
    domain: o.domain,
    serverName: o.serverName,
    serviceRoute: o.serviceRoute,
    limits: o.limits,
    cx: o.cx,
    bindings,
    challenges: new ChallengeStore(o.clock, { lifetime: o.nonceLifetimeMs }),
    clock: o.clock,
    log: o.log,
  };
  return {
    ctx,
    pending: async () => {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
    close: () => bindings.clear(),
  };
}
