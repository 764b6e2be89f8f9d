import type { Logger } from "@ims/runtime";
import type { AkaProvider } from "../auth/aka-provider.js";
import type { HssDb } from "../store/open-db.js";

/** What every Cx procedure needs. */
export interface CxContext {
  readonly hss: HssDb;
  /** Home network realm: a UAR from it is never refused as roaming. */
  readonly homeRealm: string;
  readonly aka: AkaProvider;
  readonly logger: Logger;
}
