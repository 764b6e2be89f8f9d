import { ok, type Result } from "@ims/runtime";
import { akaFail, type AkaError } from "./errors.js";

/** Field sizes in octets (TS 33.102 §6.3.7, TS 35.206 §2). */
export const AKA_LENGTHS = {
  k: 16,
  op: 16,
  opc: 16,
  rand: 16,
  sqn: 6,
  amf: 2,
  mac: 8,
  res: 8,
  ck: 16,
  ik: 16,
  ak: 6,
  autn: 16,
  auts: 14,
} as const;

export type AkaField = keyof typeof AKA_LENGTHS;

/** Hex text or raw octets; hex may use either case. */
export type BytesInput = Uint8Array | string;

const HEX = /^(?:[0-9a-fA-F]{2})*$/;

/**
 * Reads a field as exactly `AKA_LENGTHS[field]` octets. The error names the field and the lengths,
 * never the content.
 */
export function field(name: AkaField, input: BytesInput): Result<Buffer, AkaError<"aka-malformed">> {
  const want = AKA_LENGTHS[name];
  let b: Buffer;
  if (typeof input === "string") {
    if (!HEX.test(input)) return akaFail("aka-malformed", `${name} is not hex`);
    b = Buffer.from(input, "hex");
  } else {
    b = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  }
  if (b.length !== want) return akaFail("aka-malformed", `${name} must be ${want} octets, got ${b.length}`);
  return ok(Buffer.from(b));
}

export function xor(a: Uint8Array, b: Uint8Array): Buffer {
  const n = Math.min(a.length, b.length);
  const out = Buffer.alloc(n);
  for (let i = 0; i < n; i++) out[i] = a[i]! ^ b[i]!;
  return out;
}
