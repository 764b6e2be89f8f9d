import { buildLir, buildMar, buildSar, buildUar, type ServerAssignmentType, type UserAuthorizationType } from "@ims/ims";
import type { DiameterMessage, MessageIds } from "@ims/diameter";

/** Builds Cx requests the way an I-/S-CSCF does, with @ims/ims's typed builders (tests, bench). */
export interface CxPeer {
  readonly originHost: string;
  readonly originRealm: string;
  readonly destinationRealm: string;
}

let session = 0;
const base = (peer: CxPeer) => ({ ...peer, sessionId: `${peer.originHost};${Date.now()};${++session}` });

export function uarRequest(peer: CxPeer, ids: MessageIds, o: { impi: string; impu: string; vni?: string; type?: number }): DiameterMessage {
  return buildUar(
    { ...base(peer), userName: o.impi, publicIdentity: o.impu, visitedNetworkIdentifier: o.vni ?? peer.originRealm, userAuthorizationType: (o.type ?? 0) as UserAuthorizationType },
    ids,
  );
}

export function marRequest(peer: CxPeer, ids: MessageIds, o: { impi: string; impu: string; serverName: string; scheme?: string; count?: number; authorization?: Uint8Array }): DiameterMessage {
  return buildMar(
    {
      ...base(peer),
      userName: o.impi,
      publicIdentity: o.impu,
      serverName: o.serverName,
      numberAuthItems: o.count ?? 1,
      authData: { scheme: o.scheme ?? "Unknown", ...(o.authorization === undefined ? {} : { authorization: o.authorization }) },
    },
    ids,
  );
}

export function sarRequest(peer: CxPeer, ids: MessageIds, o: { impi?: string; impus: string[]; serverName: string; type: number; dataAvailable?: boolean }): DiameterMessage {
  return buildSar(
    {
      ...base(peer),
      ...(o.impi === undefined ? {} : { userName: o.impi }),
      publicIdentities: o.impus,
      serverName: o.serverName,
      serverAssignmentType: o.type as ServerAssignmentType,
      userDataAlreadyAvailable: o.dataAvailable === true,
    },
    ids,
  );
}

export function lirRequest(peer: CxPeer, ids: MessageIds, o: { impu: string }): DiameterMessage {
  return buildLir({ ...base(peer), publicIdentity: o.impu }, ids);
}
