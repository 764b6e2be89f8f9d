import type { Clock, Logger } from "@ims/runtime";
import type { RegistrationLimits } from "../config.js";
import type { CxClient } from "../cx/cx-client.js";
import type { BindingStore } from "../storage/bindings.js";
import type { ChallengeStore } from "../storage/challenges.js";

/** What the registrar procedures share: settings, the HSS, and the two stores. */
export interface RegistrarContext {
  /** Home domain: realm of AKA challenges and of bare user names. */
  readonly domain: string;
  /** This S-CSCF's SIP URI, sent as Server-Name (TS 29.229 §6.3.20). */
  readonly serverName: string;
  /** Service-Route value returned in the 200 OK (RFC 3608). */
  readonly serviceRoute: string;
  readonly limits: RegistrationLimits;
  readonly cx: CxClient;
  readonly bindings: BindingStore;
  readonly challenges: ChallengeStore;
  readonly clock: Clock;
  readonly log: Logger;
}
