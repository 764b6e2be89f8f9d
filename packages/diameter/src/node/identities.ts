import type { Avp, DiameterMessage } from "../codec/index.js";

/** The routing AVPs of a request (RFC 6733 §6.3–6.6), read in one pass over the top-level AVPs. */
export interface RoutingIdentities {
  originHost: string | undefined;
  destinationHost: string | undefined;
  destinationRealm: string | undefined;
}

const ORIGIN_HOST = 264;
const DESTINATION_REALM = 283;
const DESTINATION_HOST = 293;

function text(a: Avp): string {
  const d = a.data;
  return (Buffer.isBuffer(d) ? d : Buffer.from(d.buffer, d.byteOffset, d.length)).toString("utf8");
}

/**
 * First Origin-Host, Destination-Host and Destination-Realm (base AVPs, vendor 0). Without
 * `withOrigin`, Origin-Host is left undefined (not decoded).
 */
export function routingIdentities(m: DiameterMessage, withOrigin = true): RoutingIdentities {
  const out: RoutingIdentities = { originHost: undefined, destinationHost: undefined, destinationRealm: undefined };
  const avps = m.avps;
  for (let i = 0; i < avps.length; i++) {
    const a = avps[i] as Avp;
    if (a.vendorId !== 0) continue;
    if (a.code === ORIGIN_HOST) {
      if (withOrigin) out.originHost ??= text(a);
    } else if (a.code === DESTINATION_HOST) out.destinationHost ??= text(a);
    else if (a.code === DESTINATION_REALM) out.destinationRealm ??= text(a);
  }
  return out;
}
