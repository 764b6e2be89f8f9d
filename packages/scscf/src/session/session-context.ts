import type { Clock, Endpoint, Logger } from "@ims/runtime";
import type { SipUri } from "@ims/sip";
import type { CxClient } from "../cx/cx-client.js";
import type { BindingStore } from "../storage/bindings.js";
import type { OdiStore } from "./odi-store.js";

/** What the session procedures (TS 24.229 §5.4.3) share. */
export interface SessionContext {
  /** Home domain: a Request-URI in it goes to the I-CSCF after the originating iFCs. */
  readonly domain: string;
  /** This S-CSCF's SIP URI ("sip:scscf1.domain.imsprovider.org:6060"), Server-Name in SAR. */
  readonly serverName: string;
  /** Our Record-Route value: `<serverName;lr>`. */
  readonly recordRoute: string;
  /** The I-CSCF's URI, if configured (else home-domain requests are routed by Request-URI). */
  readonly icscfUri?: string;
  /** INVITE to an AS with no answer at all for this long: the iFC's default handling applies. */
  readonly asTimeoutMs: number;
  /** Our own transport address: where a request skipping a failed AS is sent (to ourselves). */
  readonly local: Endpoint;
  readonly bindings: BindingStore;
  readonly cx: Pick<CxClient, "sar">;
  readonly odi: OdiStore;
  /** Does this URI name us? */
  isLocal(uri: SipUri): boolean;
  /** Is this source address inside the trust domain (a P-CSCF, an I-CSCF)? */
  isTrusted(address: string): boolean;
  readonly clock: Clock;
  readonly log: Logger;
}

/** Our URI with `lr` and an ODI parameter: the Route an AS sends the request back along. */
export function odiRoute(serverName: string, token: string): string {
  return `<${serverName};lr;odi=${token}>`;
}
