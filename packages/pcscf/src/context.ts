import type { Clock, Logger } from "@ims/runtime";
import type { Destination, Resolver, SipStack, SipUri } from "@ims/sip";
import type { Advertised } from "./advertised.js";
import type { PcscfRegistrationLimits } from "./config.js";
import type { RegistrationStore } from "./storage/registrations.js";
import type { SecurityKeyStore } from "./storage/security-keys.js";
import type { MediaSessions } from "./media/media-sessions.js";

/** What every P-CSCF procedure (register.ts, later originating.ts / terminating.ts) works with. */
export interface PcscfContext {
  readonly name: string;
  readonly stack: SipStack;
  readonly clock: Clock;
  readonly log: Logger;
  /** Home domain: the Request-URI of the REGISTERs we accept. */
  readonly domain: string;
  readonly advertised: Advertised;
  /** P-Visited-Network-ID value and orig-ioi. */
  readonly visitedNetworkId: string;
  /** The URI resolved to find the I-CSCF: the configured override, else sip:<home domain>. */
  readonly icscf: SipUri;
  readonly resolver: Resolver;
  readonly registrations: RegistrationStore;
  readonly keys: SecurityKeyStore;
  readonly limits: PcscfRegistrationLimits;
  /** Fresh icid-value for P-Charging-Vector. */
  readonly newIcid: () => string;
  /** Media anchoring through the relay (absent: SDP passes untouched). */
  readonly media?: MediaSessions;
}

/** Key of a registration in the security-key store: the IMPU and where the UE is. */
export const registrationKey = (impu: string, source: Destination): string =>
  `${impu}|${source.transport}:${source.address}:${source.port}`;
