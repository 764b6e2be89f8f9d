import { type SipHeader, type SipRequest, keyOf } from "@ims/sip";

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

/** The canonical keys to remove and the name lengths they can have (none has a compact form). */
interface Untrusted {
  readonly keys: ReadonlySet<string>;
  readonly lengths: ReadonlySet<number>;
}

const untrusted = (names: readonly string[]): Untrusted => ({ keys: new Set(names), lengths: new Set(names.map((n) => n.length)) });
const FROM_REGISTER = untrusted(UNTRUSTED_FROM_UE.REGISTER);
const FROM_OTHER = untrusted(UNTRUSTED_FROM_UE.other);

/**
 * A header whose name is one of `u`. The length test first: it turns down nearly every line of a
 * request (Via, From, To, ...) without computing its key.
 */
const isUntrusted = (h: SipHeader, u: Untrusted): boolean => u.lengths.has(h.name.length) && u.keys.has(keyOf(h));

/**
 * Removes what a UE may not assert; returns how many header lines went. One pass over the lines;
 * the header list is rebuilt only when a line goes (a UE rarely sends any).
 */
export function removeUntrusted(req: SipRequest): number {
  const u = req.method === "REGISTER" ? FROM_REGISTER : FROM_OTHER;
  const hs = req.headers;
  let first = -1;
  for (let i = 0; i < hs.length; i++) {
    if (isUntrusted(hs[i]!, u)) {
      first = i;
      break;
    }
  }
  if (first < 0) return 0;
  const kept = hs.slice(0, first);
  for (let i = first + 1; i < hs.length; i++) if (!isUntrusted(hs[i]!, u)) kept.push(hs[i]!);
  req.headers = kept;
  return hs.length - kept.length;
}
