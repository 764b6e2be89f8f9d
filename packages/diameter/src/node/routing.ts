import type { DiameterMessage } from "../codec/index.js";
import type { PeerStateMachine } from "../peer/index.js";
import { routingIdentities } from "./identities.js";

/** What the router needs of a peer. */
export interface Routable {
  readonly fsm: PeerStateMachine;
}

/**
 * Request routing of a node that is not a relay (RFC 6733 §6.1): to the Destination-Host when it is
 * a peer, else round robin over the peers of the Destination-Realm. A peer qualifies when it is open,
 * its watchdog is OKAY (RFC 3539 failover) and it advertised the request's application (or is a
 * relay); base-protocol requests (application 0) go to any open peer.
 */
export class Router<P extends Routable> {
  private rr = 0;

  constructor(private readonly peers: ReadonlyMap<string, P>) {}

  choose(m: DiameterMessage, forced: string | undefined): P | undefined {
    if (forced !== undefined) {
      // The caller chose the peer: only its being open (and OKAY) is checked.
      const p = this.peers.get(forced);
      return p?.fsm.isAvailable === true ? p : undefined;
    }
    const app = m.applicationId;
    const ids = routingIdentities(m, false);
    if (ids.destinationHost !== undefined) {
      const p = this.peers.get(ids.destinationHost);
      if (p !== undefined && usable(p, app)) return p;
    }
    // Round robin over the peers that qualify, counted first and then walked to (no list built).
    const realm = ids.destinationRealm;
    let count = 0;
    for (const p of this.peers.values()) if (usable(p, app) && inRealm(p, realm)) count++;
    if (count === 0) return undefined;
    this.rr = (this.rr + 1) % 0x40000000;
    let k = this.rr % count;
    for (const p of this.peers.values()) {
      if (usable(p, app) && inRealm(p, realm) && k-- === 0) return p;
    }
    return undefined;
  }
}

function usable(p: Routable, app: number): boolean {
  if (!p.fsm.isAvailable) return false;
  const caps = p.fsm.capabilities;
  return app === 0 || caps === undefined || caps.relay || caps.commonApplicationIds.includes(app);
}

function inRealm(p: Routable, realm: string | undefined): boolean {
  return realm === undefined || p.fsm.capabilities?.originRealm === realm;
}
