import { type SipRequest, removeHeaders } from "@ims/sip";

/**
 * Headers a UE may not set: only nodes of the IMS trust domain (RFC 3325 §2.3, TS 24.229 §4.4)
 * write them, so the P-CSCF removes whatever a UE sent before it adds its own.
 * - P-Asserted-Identity: asserted by the P-CSCF itself (RFC 3325 §5).
 * - P-Charging-Vector, P-Charging-Function-Addresses: charging data of the network (RFC 7315 §5.6).
 * - P-Visited-Network-ID: inserted by the P-CSCF (TS 24.229 §5.2.2.1).
 * - Path: a UE-inserted Path would steer terminating requests past the P-CSCF (RFC 3327 §5.1:
 *   the UA does not insert Path).
 */
export const UNTRUSTED_FROM_UE = {
  REGISTER: ["p-asserted-identity", "p-charging-vector", "p-charging-function-addresses", "p-visited-network-id", "path"],
  other: ["p-asserted-identity", "p-charging-vector", "p-charging-function-addresses"],
} as const;

/** Removes what a UE may not assert; returns how many header lines went. */
export function removeUntrusted(req: SipRequest): number {
  const names = req.method === "REGISTER" ? UNTRUSTED_FROM_UE.REGISTER : UNTRUSTED_FROM_UE.other;
  let n = 0;
  for (const name of names) n += removeHeaders(req, name);
  return n;
}
