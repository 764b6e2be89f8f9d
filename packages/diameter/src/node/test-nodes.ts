import type { Clock } from "@ims/runtime";
import { type DiameterMessage, type MessageIds, answerTo, avp, createRequest } from "../codec/index.js";
import type { StreamTransport } from "../transport/index.js";
import type { DiameterNodeConfig } from "./config.js";
import { DiameterNode } from "./node.js";

/** Fixtures for node tests (not exported from the package). */
export const REALM = "domain.imsprovider.org";
export const HSS = `hss.${REALM}`;
export const SCSCF = `scscf1.${REALM}`;
export const CX_APP = 16777216;
export const MAR = 303;

export const flush = async (rounds = 6): Promise<void> => {
  for (let i = 0; i < rounds; i++) await new Promise((r) => setImmediate(r));
};

export function mar(ids: MessageIds, extra: { destinationHost?: string; userName?: boolean } = {}): DiameterMessage {
  return createRequest(
    "MAR",
    [
      avp("Session-Id", `${SCSCF};1;${ids.endToEnd}`),
      avp("Vendor-Specific-Application-Id", [avp("Vendor-Id", 10415), avp("Auth-Application-Id", CX_APP)]),
      avp("Auth-Session-State", 1),
      avp("Origin-Host", SCSCF),
      avp("Origin-Realm", REALM),
      avp("Destination-Realm", REALM),
      ...(extra.destinationHost === undefined ? [] : [avp("Destination-Host", extra.destinationHost)]),
      ...(extra.userName === false ? [] : [avp("User-Name", "a@domain.imsprovider.org")]),
      avp("Public-Identity", "sip:a@domain.imsprovider.org"),
      avp("SIP-Auth-Data-Item", [avp("SIP-Authentication-Scheme", "SIP Digest")]),
      avp("SIP-Number-Auth-Items", 1),
      avp("Server-Name", "sip:scscf1.domain.imsprovider.org:6060"),
    ],
    ids,
  );
}

export function maa(request: DiameterMessage, resultCode = 2001): DiameterMessage {
  return answerTo(request, [
    avp("Vendor-Specific-Application-Id", [avp("Vendor-Id", 10415), avp("Auth-Application-Id", CX_APP)]),
    avp("Result-Code", resultCode),
    avp("Auth-Session-State", 1),
    avp("Origin-Host", HSS),
    avp("Origin-Realm", REALM),
  ]);
}

export interface Pair {
  readonly hss: DiameterNode;
  readonly scscf: DiameterNode;
}

/** An HSS-like server (accepts scscf1) and an S-CSCF-like client connecting to it. */
export async function startPair(
  options: { clock: Clock; transport?: StreamTransport; hssAddress: string; scscfAddress: string; port: number } & Partial<DiameterNodeConfig>,
): Promise<Pair> {
  const { clock, transport, hssAddress, scscfAddress, port, ...rest } = options;
  const common = { clock, ...(transport === undefined ? {} : { transport }), ...rest };
  const hss = await DiameterNode.start({
    ...common,
    originHost: HSS,
    originRealm: REALM,
    bindAddress: hssAddress,
    listenPort: port,
    peers: [{ host: SCSCF, address: scscfAddress, connect: false }],
  });
  const scscf = await DiameterNode.start({
    ...common,
    originHost: SCSCF,
    originRealm: REALM,
    bindAddress: scscfAddress,
    peers: [{ host: HSS, address: hssAddress, port, connect: true }],
  });
  return { hss, scscf };
}
