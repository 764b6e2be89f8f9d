import type { TaggedError } from "@ims/runtime";
import type { Avp, DiameterHeader } from "./types.js";

/**
 * Why a message cannot be accepted, with the Result-Code to answer (RFC 6733 §7.1) and the AVP to
 * put in Failed-AVP (§7.5). Protocol errors (3xxx) are answered with the E bit (§7.2). `header` is
 * present when the 20-byte header could be read (so the answer can reuse its ids), `avps` holds the
 * top-level AVPs read before the fault (Session-Id, Origin-Host...).
 */
export interface DiameterError extends TaggedError<"diameter"> {
  readonly resultCode: number;
  readonly failedAvp?: Avp;
  readonly header?: DiameterHeader;
  readonly avps: readonly Avp[];
}

export function diameterError(
  resultCode: number,
  reason: string,
  extra?: { failedAvp?: Avp | undefined; header?: DiameterHeader | undefined; avps?: readonly Avp[] },
): DiameterError {
  const e: { -readonly [K in keyof DiameterError]: DiameterError[K] } = {
    tag: "diameter",
    resultCode,
    reason,
    avps: extra?.avps ?? [],
  };
  if (extra?.failedAvp !== undefined) e.failedAvp = extra.failedAvp;
  if (extra?.header !== undefined) e.header = extra.header;
  return e;
}

/** RFC 6733 §7.1.3: 3xxx codes are protocol errors, answered with the E bit set. */
export function isProtocolError(resultCode: number): boolean {
  return resultCode >= 3000 && resultCode < 4000;
}
