import { type SipRequest, getFirstVia, replaceTopVia, serializeVia } from "@ims/sip";

/** How the P-CSCF names itself towards the UEs and the core (Via sent-by, Path, Record-Route). */
export interface Advertised {
  readonly host: string;
  readonly port: number;
}

/** RFC 3327 §4: the P-CSCF's Path entry; user "term" marks requests that come back over it (TS 24.229 §5.2.2.1). */
export const pathValue = (a: Advertised): string => `<sip:term@${a.host}:${a.port};lr>`;

/**
 * Our Via (the top one of a forwarded copy) names the advertised host instead of the bound
 * address. Responses still reach us: the next hop adds received= with the address the request
 * really came from (RFC 3261 §18.2.1) and answers there.
 */
export function advertiseVia(req: SipRequest, a: Advertised, bound: string): void {
  if (a.host === bound) return;
  const via = getFirstVia(req);
  if (via === undefined || via.host !== bound) return;
  replaceTopVia(req, serializeVia({ ...via, host: a.host }));
}

/** Record-Route of the P-CSCF for dialogs it stays in (RFC 3261 §16.6 step 4, TS 24.229 §5.2.6.3). */
export const recordRouteValue = (a: Advertised): string => `<sip:${a.host}:${a.port};lr>`;
