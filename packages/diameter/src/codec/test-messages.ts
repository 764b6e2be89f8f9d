import { avp } from "./build.js";
import { createRequest, answerTo } from "./build.js";
import type { DiameterMessage } from "./types.js";

/** Sample messages shared by the codec tests (not exported from the package). */
export const IDS = { hopByHop: 0x0a0b0c0d, endToEnd: 0x01020304 } as const;

export function sampleCer(): DiameterMessage {
  return createRequest(
    "CER",
    [
      avp("Origin-Host", "scscf1.domain.imsprovider.org"),
      avp("Origin-Realm", "domain.imsprovider.org"),
      avp("Host-IP-Address", "127.0.0.11"),
      avp("Vendor-Id", 0),
      avp("Product-Name", "ims-core"),
      avp("Vendor-Specific-Application-Id", [avp("Vendor-Id", 10415), avp("Auth-Application-Id", 16777216)]),
    ],
    IDS,
  );
}

export function sampleMar(): DiameterMessage {
  return createRequest(
    "MAR",
    [
      avp("Session-Id", "scscf1.domain.imsprovider.org;1;2"),
      avp("Vendor-Specific-Application-Id", [avp("Vendor-Id", 10415), avp("Auth-Application-Id", 16777216)]),
      avp("Auth-Session-State", 1),
      avp("Origin-Host", "scscf1.domain.imsprovider.org"),
      avp("Origin-Realm", "domain.imsprovider.org"),
      avp("Destination-Realm", "domain.imsprovider.org"),
      avp("User-Name", "a@domain.imsprovider.org"),
      avp("Public-Identity", "sip:a@domain.imsprovider.org"),
      avp("SIP-Auth-Data-Item", [avp("SIP-Authentication-Scheme", "Digest-AKAv1-MD5")]),
      avp("SIP-Number-Auth-Items", 1),
      avp("Server-Name", "sip:scscf1.domain.imsprovider.org:6060"),
    ],
    IDS,
  );
}

export function sampleMaa(): DiameterMessage {
  return answerTo(sampleMar(), [
    avp("Vendor-Specific-Application-Id", [avp("Vendor-Id", 10415), avp("Auth-Application-Id", 16777216)]),
    avp("Result-Code", 2001),
    avp("Auth-Session-State", 1),
    avp("Origin-Host", "hss.domain.imsprovider.org"),
    avp("Origin-Realm", "domain.imsprovider.org"),
    avp("User-Name", "a@domain.imsprovider.org"),
    avp("Public-Identity", "sip:a@domain.imsprovider.org"),
    avp("SIP-Number-Auth-Items", 1),
    avp("SIP-Auth-Data-Item", [
      avp("SIP-Item-Number", 1),
      avp("SIP-Authentication-Scheme", "Digest-AKAv1-MD5"),
      avp("SIP-Authenticate", Buffer.alloc(32, 0xab)),
      avp("SIP-Authorization", Buffer.alloc(8, 0xcd)),
      avp("Confidentiality-Key", Buffer.alloc(16, 1)),
      avp("Integrity-Key", Buffer.alloc(16, 2)),
    ]),
  ]);
}
