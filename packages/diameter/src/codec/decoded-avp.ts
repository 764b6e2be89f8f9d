import type { AvpDataType, AvpValueOfType } from "../dictionary/index.js";
import type { Avp } from "./types.js";
import { decodeValueAt } from "./values.js";

/**
 * An AVP as decoded: it points into the received bytes and makes its `data` view only when asked,
 * and reads values straight from the buffer, so decoding allocates one object per AVP.
 */
export class DecodedAvp implements Avp {
  readonly #buf: Buffer;
  readonly #start: number;
  readonly #end: number;
  #view: Buffer | undefined;

  constructor(
    readonly code: number,
    readonly flags: number,
    readonly vendorId: number,
    buf: Buffer,
    start: number,
    end: number,
    readonly avps: readonly Avp[] | undefined,
  ) {
    this.#buf = buf;
    this.#start = start;
    this.#end = end;
    this.#view = undefined;
  }

  get data(): Buffer {
    if (this.#view === undefined) this.#view = this.#buf.subarray(this.#start, this.#end);
    return this.#view;
  }

  /** The payload decoded as `type` (undefined if it does not fit). */
  valueAs(type: AvpDataType): AvpValueOfType[AvpDataType] | undefined {
    return decodeValueAt(type, this.#buf, this.#start, this.#end);
  }
}
