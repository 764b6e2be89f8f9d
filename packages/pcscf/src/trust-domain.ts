import { type SipRequest, removeHeaders } from "@ims/sip";

/**
 * Headers a UE may not set: only nodes of the IMS trust domain (RFC 3325 §2.3, TS 24.229 §4.4)
 * write them, so the P-CSCF removes whatever a UE sent before it adds its own.
 * - P-Asserted-Identity: asserted by the P-CSCF itself (RFC 3325 §5).
 * - P-Charging-Vector, P-Charging-Function-Addresses: charging data of the network (RFC 7315 §5.6).
 * - P-Visited-Network-ID: inserted by the P-CSCF (TS 24.229 §5.2.2.1).
 * - Path: a UE-inserted Path would steer terminating requests past the P-CSCF (RFC 3327 §5.1:
 *   the UA does not insert Path).
 * - Security-Client / Security-Verify: hop by hop between the UE and its first hop (RFC 3329 §2.3.1;
 *   TS 24.228 §6.2 R1-1c shows the P-CSCF removing them). A UE that insists on sec-agree in
 *   Proxy-Require gets 420 from the stack: this P-CSCF sets up no IPsec yet.
 */
const UNTRUSTED_ALWAYS = [
  "p-asserted-identity",
  "p-charging-vector",
  "p-charging-function-addresses",
  "security-client",
  "security-verify",
] as const;

export const UNTRUSTED_FROM_UE = {
  REGISTER: [...UNTRUSTED_ALWAYS, "p-visited-network-id", "path"],
  other: UNTRUSTED_ALWAYS,
} as const;

/** Removes what a UE may not assert; returns how many header lines went. */
export function removeUntrusted(req: SipRequest): number {
  const names = req.method === "REGISTER" ? UNTRUSTED_FROM_UE.REGISTER : UNTRUSTED_FROM_UE.other;
  let n = 0;
  for (const name of names) n += removeHeaders(req, name);
  return n;
}
