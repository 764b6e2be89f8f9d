/** The Diameter message model (RFC 6733 §3 header, §4 AVPs). */

/** Command flag bits (RFC 6733 §3). */
export const CMD_FLAG = { R: 0x80, P: 0x40, E: 0x20, T: 0x10, RESERVED: 0x0f } as const;

/** Length of the fixed header (RFC 6733 §3). */
export const HEADER_LENGTH = 20;

/**
 * One AVP. `data` is the payload without padding (for a decoded message, a view into the received
 * bytes: do not mutate the input afterwards). `avps` holds the members of a Grouped AVP the
 * dictionary knows; unknown AVPs keep only `data` and are re-encoded exactly as received.
 */
export interface Avp {
  readonly code: number;
  /** V/M/P bits as on the wire (the codec sets V when vendorId != 0). */
  readonly flags: number;
  /** 0 when the V bit is clear. */
  readonly vendorId: number;
  readonly data: Uint8Array;
  readonly avps?: readonly Avp[] | undefined;
}

export interface DiameterHeader {
  /** R/P/E/T bits (CMD_FLAG). */
  readonly flags: number;
  readonly commandCode: number;
  readonly applicationId: number;
  readonly hopByHop: number;
  readonly endToEnd: number;
}

export interface DiameterMessage extends DiameterHeader {
  readonly avps: readonly Avp[];
}

/** Something AVPs can be read from: a message, a Grouped AVP, or a list of AVPs. */
export type AvpContainer = DiameterMessage | Avp | readonly Avp[];

export function isRequest(h: DiameterHeader): boolean {
  return (h.flags & CMD_FLAG.R) !== 0;
}

export function isError(h: DiameterHeader): boolean {
  return (h.flags & CMD_FLAG.E) !== 0;
}

export function membersOf(c: AvpContainer): readonly Avp[] {
  if (Array.isArray(c)) return c as readonly Avp[];
  return (c as DiameterMessage | Avp).avps ?? [];
}
