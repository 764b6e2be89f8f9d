import type { AvpDataType, AvpValueOfType } from "../dictionary/index.js";
import type { Avp } from "./types.js";
import { decodeValueAt } from "./values.js";

/**
 * An AVP as decoded. `data` is a view into the received bytes (an own property, so `{...avp}` keeps
 * it); values are read straight from that view, so an AVP costs this object and its view only.
 */
export class DecodedAvp implements Avp {
  constructor(
    readonly code: number,
    readonly flags: number,
    readonly vendorId: number,
    readonly data: Buffer,
    readonly avps: readonly Avp[] | undefined,
  ) {}

  /** The payload decoded as `type` (undefined if it does not fit). */
  valueAs(type: AvpDataType): AvpValueOfType[AvpDataType] | undefined {
    return decodeValueAt(type, this.data, 0, this.data.length);
  }
}
