import { createCipheriv } from "node:crypto";
import { ok, type Result } from "@ims/runtime";
import { field, xor, type BytesInput } from "./bytes.js";
import type { AkaError } from "./errors.js";

/**
 * MILENAGE (3GPP TS 35.206 §4.1) over AES-128 from node:crypto. Every exported function checks its
 * input lengths and returns a typed error instead of throwing. Hex strings or octets are accepted.
 */

/** Rotation amounts r1..r5 in bits and constants c1..c5 (last octet; the rest is zero), TS 35.206 §4.1. */
const R = { r1: 64, r2: 0, r3: 32, r4: 64, r5: 96 } as const;
const C = { c1: 0x00, c2: 0x01, c3: 0x02, c4: 0x04, c5: 0x08 } as const;

type Malformed = AkaError<"aka-malformed">;

/** E_K: one AES-128 block encryption. */
function aesBlock(k: Buffer): (block: Uint8Array) => Buffer {
  const cipher = createCipheriv("aes-128-ecb", k, null);
  cipher.setAutoPadding(false);
  // ECB with whole blocks: each update() yields exactly the encrypted block; final() is never needed.
  return (block) => cipher.update(block);
}

/** Cyclic left rotation of a 128-bit value by r bits (r a multiple of 8). */
function rot(x: Buffer, r: number): Buffer {
  const s = r / 8;
  const out = Buffer.alloc(16);
  for (let i = 0; i < 16; i++) out[i] = x[(i + s) % 16]!;
  return out;
}

function withConstant(x: Buffer, c: number): Buffer {
  x[15] = x[15]! ^ c;
  return x;
}

/** OPc = OP ⊕ E_K(OP). */
export function computeOpc(k: BytesInput, op: BytesInput): Result<Buffer, Malformed> {
  const kb = field("k", k);
  if (!kb.ok) return kb;
  const opb = field("op", op);
  if (!opb.ok) return opb;
  return ok(xor(opb.value, aesBlock(kb.value)(opb.value)));
}

/** f1 and f1* share OUT1: MAC-A is its first half, MAC-S its second half. */
export interface F1Output {
  readonly macA: Buffer;
  readonly macS: Buffer;
}

/** f2..f5 and f5* outputs for one RAND. */
export interface F2345Output {
  readonly res: Buffer;
  readonly ck: Buffer;
  readonly ik: Buffer;
  readonly ak: Buffer;
  readonly akStar: Buffer;
}

interface Prepared {
  readonly e: (block: Uint8Array) => Buffer;
  readonly opc: Buffer;
  /** TEMP = E_K(RAND ⊕ OPc) */
  readonly temp: Buffer;
}

function prepare(k: BytesInput, opc: BytesInput, rand: BytesInput): Result<Prepared, Malformed> {
  const kb = field("k", k);
  if (!kb.ok) return kb;
  const ob = field("opc", opc);
  if (!ob.ok) return ob;
  const rb = field("rand", rand);
  if (!rb.ok) return rb;
  const e = aesBlock(kb.value);
  return ok({ e, opc: ob.value, temp: e(xor(rb.value, ob.value)) });
}

/** OUTi = E_K(rot(TEMP ⊕ OPc, ri) ⊕ ci) ⊕ OPc for i = 2..5. */
function out(p: Prepared, r: number, c: number): Buffer {
  return xor(p.e(withConstant(rot(xor(p.temp, p.opc), r), c)), p.opc);
}

/** f1 (MAC-A) and f1* (MAC-S) for SQN and AMF (TS 35.206 §4.1). */
export function f1Both(k: BytesInput, opc: BytesInput, rand: BytesInput, sqn: BytesInput, amf: BytesInput): Result<F1Output, Malformed> {
  const p = prepare(k, opc, rand);
  if (!p.ok) return p;
  const sb = field("sqn", sqn);
  if (!sb.ok) return sb;
  const ab = field("amf", amf);
  if (!ab.ok) return ab;
  const in1 = Buffer.concat([sb.value, ab.value, sb.value, ab.value]);
  const out1 = xor(p.value.e(withConstant(xor(p.value.temp, rot(xor(in1, p.value.opc), R.r1)), C.c1)), p.value.opc);
  return ok({ macA: out1.subarray(0, 8), macS: out1.subarray(8, 16) });
}

/** f2 (RES), f3 (CK), f4 (IK), f5 (AK) and f5* (AK*) for one RAND (TS 35.206 §4.1). */
export function f2345(k: BytesInput, opc: BytesInput, rand: BytesInput): Result<F2345Output, Malformed> {
  const p = prepare(k, opc, rand);
  if (!p.ok) return p;
  const out2 = out(p.value, R.r2, C.c2);
  return ok({
    res: out2.subarray(8, 16),
    ak: out2.subarray(0, 6),
    ck: out(p.value, R.r3, C.c3),
    ik: out(p.value, R.r4, C.c4),
    akStar: out(p.value, R.r5, C.c5).subarray(0, 6),
  });
}

type Out = Result<Buffer, Malformed>;
const pick = <T, K extends keyof T>(r: Result<T, Malformed>, key: K): Result<T[K], Malformed> => (r.ok ? ok(r.value[key]) : r);

/** f1: network authentication code MAC-A. */
export const f1 = (k: BytesInput, opc: BytesInput, rand: BytesInput, sqn: BytesInput, amf: BytesInput): Out => pick(f1Both(k, opc, rand, sqn, amf), "macA");
/** f1*: resynchronisation authentication code MAC-S. */
export const f1Star = (k: BytesInput, opc: BytesInput, rand: BytesInput, sqn: BytesInput, amf: BytesInput): Out => pick(f1Both(k, opc, rand, sqn, amf), "macS");
/** f2: user response RES (64 bits). */
export const f2 = (k: BytesInput, opc: BytesInput, rand: BytesInput): Out => pick(f2345(k, opc, rand), "res");
/** f3: cipher key CK. */
export const f3 = (k: BytesInput, opc: BytesInput, rand: BytesInput): Out => pick(f2345(k, opc, rand), "ck");
/** f4: integrity key IK. */
export const f4 = (k: BytesInput, opc: BytesInput, rand: BytesInput): Out => pick(f2345(k, opc, rand), "ik");
/** f5: anonymity key AK. */
export const f5 = (k: BytesInput, opc: BytesInput, rand: BytesInput): Out => pick(f2345(k, opc, rand), "ak");
/** f5*: anonymity key AK* used in resynchronisation. */
export const f5Star = (k: BytesInput, opc: BytesInput, rand: BytesInput): Out => pick(f2345(k, opc, rand), "akStar");
