import { avp, createRequest, CX_APPLICATION_ID, VENDOR_3GPP, type Avp, type DiameterMessage, type MessageIds } from "@ims/diameter";

/** Builds Cx requests the way an I-/S-CSCF does (tests and the bench). */
export interface CxPeer {
  readonly originHost: string;
  readonly originRealm: string;
  readonly destinationRealm: string;
}

let session = 0;
function head(peer: CxPeer): Avp[] {
  session++;
  return [
    avp("Session-Id", `${peer.originHost};${Date.now()};${session}`),
    avp("Vendor-Specific-Application-Id", [avp("Vendor-Id", VENDOR_3GPP), avp("Auth-Application-Id", CX_APPLICATION_ID)]),
    avp("Auth-Session-State", 1),
    avp("Origin-Host", peer.originHost),
    avp("Origin-Realm", peer.originRealm),
    avp("Destination-Realm", peer.destinationRealm),
  ];
}

export function uarRequest(peer: CxPeer, ids: MessageIds, o: { impi: string; impu: string; vni?: string; type?: number }): DiameterMessage {
  return createRequest("UAR", [...head(peer), avp("User-Name", o.impi), avp("Public-Identity", o.impu), avp("Visited-Network-Identifier", Buffer.from(o.vni ?? peer.originRealm)), avp("User-Authorization-Type", o.type ?? 0)], ids);
}

export function marRequest(peer: CxPeer, ids: MessageIds, o: { impi: string; impu: string; serverName: string; scheme?: string; count?: number; authorization?: Uint8Array }): DiameterMessage {
  return createRequest(
    "MAR",
    [
      ...head(peer),
      avp("User-Name", o.impi),
      avp("Public-Identity", o.impu),
      avp("SIP-Number-Auth-Items", o.count ?? 1),
      avp("SIP-Auth-Data-Item", [avp("SIP-Authentication-Scheme", o.scheme ?? "Unknown"), ...(o.authorization === undefined ? [] : [avp("SIP-Authorization", o.authorization)])]),
      avp("Server-Name", o.serverName),
    ],
    ids,
  );
}

export function sarRequest(peer: CxPeer, ids: MessageIds, o: { impi?: string; impus: string[]; serverName: string; type: number; dataAvailable?: boolean }): DiameterMessage {
  return createRequest(
    "SAR",
    [
      ...head(peer),
      ...(o.impi === undefined ? [] : [avp("User-Name", o.impi)]),
      ...o.impus.map((u) => avp("Public-Identity", u)),
      avp("Server-Name", o.serverName),
      avp("Server-Assignment-Type", o.type),
      avp("User-Data-Already-Available", o.dataAvailable === true ? 1 : 0),
    ],
    ids,
  );
}

export function lirRequest(peer: CxPeer, ids: MessageIds, o: { impu: string }): DiameterMessage {
  return createRequest("LIR", [...head(peer), avp("Public-Identity", o.impu)], ids);
}
