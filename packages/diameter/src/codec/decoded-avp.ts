import type { AvpDataType, AvpValueOfType } from "../dictionary/index.js";
import type { Avp } from "./types.js";
import { decodeValueAt } from "./values.js";

/**
 * An AVP as decoded. `data` is a view into the received bytes (an own property, so `{...avp}` keeps
 * it); values are read straight from the buffer by offset, without going through the view.
 */
export class DecodedAvp implements Avp {
  readonly data: Buffer;
  readonly #buf: Buffer;
  readonly #start: number;
  readonly #end: number;

  constructor(
    readonly code: number,
    readonly flags: number,
    readonly vendorId: number,
    buf: Buffer,
    start: number,
    end: number,
    readonly avps: readonly Avp[] | undefined,
  ) {
    this.data = buf.subarray(start, end);
    this.#buf = buf;
    this.#start = start;
    this.#end = end;
  }

  /** The payload decoded as `type` (undefined if it does not fit). */
  valueAs(type: AvpDataType): AvpValueOfType[AvpDataType] | undefined {
    return decodeValueAt(type, this.#buf, this.#start, this.#end);
  }
}
