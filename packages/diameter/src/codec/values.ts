import { isUtf8 } from "node:buffer";
import { ImsError } from "@ims/runtime";
import type { AvpDataType, AvpValueOfType } from "../dictionary/index.js";
import { addressLengthOk, decodeAddress, encodeAddress } from "./address.js";

/** Seconds between the NTP epoch (1900) and the Unix epoch (RFC 6733 §4.3.1 Time). */
const NTP_UNIX_OFFSET = 2_208_988_800;
/** RFC 4330 §3: NTP seconds with the top bit clear are in era 1 (from 2036-02-07 06:28:16 UTC). */
const NTP_ERA = 4_294_967_296;

const FIXED_LENGTH: Partial<Record<AvpDataType, number>> = {
  Integer32: 4,
  Unsigned32: 4,
  Enumerated: 4,
  Float32: 4,
  Time: 4,
  Integer64: 8,
  Unsigned64: 8,
  Float64: 8,
};

/** Minimum payload of a type (zero-filled in the Failed-AVP of DIAMETER_MISSING_AVP, RFC 6733 §7.5). */
export function minimumLength(type: AvpDataType): number {
  return FIXED_LENGTH[type] ?? (type === "Address" ? 6 : 0);
}

function u32(n: number): Uint8Array {
  const b = Buffer.allocUnsafe(4);
  b.writeUInt32BE(n >>> 0, 0);
  return b;
}

/**
 * Encodes a value of a data type (Grouped is encoded by the caller). A value that cannot be encoded
 * (a malformed address, an out-of-range number) is a programmer error: it throws ImsError.
 */
export function encodeValue(type: Exclude<AvpDataType, "Grouped">, value: AvpValueOfType[AvpDataType]): Uint8Array {
  switch (type) {
    case "UTF8String":
    case "DiameterIdentity":
    case "DiameterURI":
      return Buffer.from(value as string, "utf8");
    case "OctetString":
      return value as Uint8Array;
    case "Unsigned32":
      return u32(checkInt(value as number, 0, 0xffffffff, type));
    case "Integer32":
    case "Enumerated": {
      const b = Buffer.allocUnsafe(4);
      b.writeInt32BE(checkInt(value as number, -0x80000000, 0x7fffffff, type), 0);
      return b;
    }
    case "Unsigned64": {
      const b = Buffer.allocUnsafe(8);
      b.writeBigUInt64BE(value as bigint, 0);
      return b;
    }
    case "Integer64": {
      const b = Buffer.allocUnsafe(8);
      b.writeBigInt64BE(value as bigint, 0);
      return b;
    }
    case "Float32": {
      const b = Buffer.allocUnsafe(4);
      b.writeFloatBE(value as number, 0);
      return b;
    }
    case "Float64": {
      const b = Buffer.allocUnsafe(8);
      b.writeDoubleBE(value as number, 0);
      return b;
    }
    case "Time": {
      const seconds = Math.floor((value as Date).getTime() / 1000) + NTP_UNIX_OFFSET;
      return u32(seconds % NTP_ERA);
    }
    case "Address": {
      const b = encodeAddress(value as string);
      if (b === undefined) throw new ImsError("diameter-encode", `not an IPv4/IPv6 address: ${String(value)}`);
      return b;
    }
  }
}

function checkInt(n: number, lo: number, hi: number, type: string): number {
  if (!Number.isInteger(n) || n < lo || n > hi) throw new ImsError("diameter-encode", `${n} is not a valid ${type}`);
  return n;
}

/**
 * Checks a received payload `buf[start, end)` against its type: "length" → DIAMETER_INVALID_AVP_LENGTH
 * (5014), "value" → DIAMETER_INVALID_AVP_VALUE (5004), undefined when fine. Grouped is the decoder's.
 */
export function checkValueAt(type: AvpDataType, buf: Buffer, start: number, end: number): "length" | "value" | undefined {
  const fixed = FIXED_LENGTH[type];
  if (fixed !== undefined) return end - start === fixed ? undefined : "length";
  if (type === "Address") return addressLengthOk(buf.subarray(start, end)) ? undefined : "length";
  if (type === "UTF8String") {
    for (let i = start; i < end; i++) {
      if ((buf[i] as number) >= 0x80) return isUtf8(buf.subarray(start, end)) ? undefined : "value";
    }
  }
  return undefined;
}

export function checkValue(type: AvpDataType, data: Uint8Array): "length" | "value" | undefined {
  return checkValueAt(type, asBuffer(data), 0, data.length);
}

function asBuffer(data: Uint8Array): Buffer {
  return Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.length);
}

/** Decodes a payload already accepted by `checkValue`; undefined if it does not fit the type. */
export function decodeValue(type: AvpDataType, data: Uint8Array): AvpValueOfType[AvpDataType] | undefined {
  return decodeValueAt(type, asBuffer(data), 0, data.length);
}

/** `decodeValue` on `buf[start, end)` without making a view first (the decoder's fast path). */
export function decodeValueAt(type: AvpDataType, b: Buffer, start: number, end: number): AvpValueOfType[AvpDataType] | undefined {
  const fixed = FIXED_LENGTH[type];
  if (fixed !== undefined && end - start !== fixed) return undefined;
  switch (type) {
    case "UTF8String":
    case "DiameterIdentity":
    case "DiameterURI":
      return b.toString("utf8", start, end);
    case "OctetString":
      return b.subarray(start, end);
    case "Unsigned32":
      return b.readUInt32BE(start);
    case "Integer32":
    case "Enumerated":
      return b.readInt32BE(start);
    case "Unsigned64":
      return b.readBigUInt64BE(start);
    case "Integer64":
      return b.readBigInt64BE(start);
    case "Float32":
      return b.readFloatBE(start);
    case "Float64":
      return b.readDoubleBE(start);
    case "Time": {
      const ntp = b.readUInt32BE(start);
      const seconds = (ntp >= 0x80000000 ? ntp : ntp + NTP_ERA) - NTP_UNIX_OFFSET;
      return new Date(seconds * 1000);
    }
    case "Address":
      return decodeAddress(b.subarray(start, end));
    case "Grouped":
      return undefined;
  }
}
