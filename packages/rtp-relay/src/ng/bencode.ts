/**
 * Bencode (the BitTorrent encoding, BEP 3) as used by rtpengine's "ng" control protocol.
 * Byte strings are carried as JS strings with one char per byte (latin1), so any payload — an SDP
 * with UTF-8 in it included — survives decode → encode byte for byte. `decode` never throws.
 */
import { err, ok, type Result, type TaggedError } from "@ims/runtime";

export type BValue = string | number | BList | BDict;
export type BList = readonly BValue[];
export interface BDict {
  readonly [key: string]: BValue;
}

export interface BencodeError extends TaggedError<"bencode"> {
  /** Byte offset where decoding failed. */
  readonly offset: number;
}

const MAX_DEPTH = 64;
const C_I = 0x69; // 'i'
const C_L = 0x6c; // 'l'
const C_D = 0x64; // 'd'
const C_E = 0x65; // 'e'
const C_COLON = 0x3a;
const C_MINUS = 0x2d;
const C_0 = 0x30;
const C_9 = 0x39;

class Fail {
  constructor(readonly offset: number, readonly reason: string) {}
}

/** Decodes exactly one bencoded value spanning all of `bytes`. */
export function decodeBencode(bytes: Uint8Array): Result<BValue, BencodeError> {
  const r = decodeBencodePrefix(bytes, 0);
  if (!r.ok) return r;
  if (r.value.end !== bytes.length) {
    return err({ tag: "bencode", reason: "trailing data after value", offset: r.value.end });
  }
  return ok(r.value.value);
}

/** Decodes one value starting at `start`; returns it with the offset just past it. */
export function decodeBencodePrefix(
  bytes: Uint8Array,
  start: number,
): Result<{ value: BValue; end: number }, BencodeError> {
  const p = { pos: start };
  const v = value(bytes, p, 0);
  if (v instanceof Fail) return err({ tag: "bencode", reason: v.reason, offset: v.offset });
  return ok({ value: v, end: p.pos });
}

function value(b: Uint8Array, p: { pos: number }, depth: number): BValue | Fail {
  if (depth > MAX_DEPTH) return new Fail(p.pos, "nesting too deep");
  const c = b[p.pos];
  if (c === undefined) return new Fail(p.pos, "unexpected end of input");
  if (c === C_I) return integer(b, p);
  if (c >= C_0 && c <= C_9) return byteString(b, p);
  if (c === C_L) {
    p.pos++;
    const list: BValue[] = [];
    for (;;) {
      if (b[p.pos] === C_E) {
        p.pos++;
        return list;
      }
      const item = value(b, p, depth + 1);
      if (item instanceof Fail) return item;
      list.push(item);
    }
  }
  if (c === C_D) {
    p.pos++;
    const dict: Record<string, BValue> = Object.create(null) as Record<string, BValue>;
    for (;;) {
      if (b[p.pos] === C_E) {
        p.pos++;
        return dict;
      }
      const keyAt = p.pos;
      const k = b[p.pos];
      if (k === undefined || k < C_0 || k > C_9) {
        return new Fail(keyAt, k === undefined ? "unexpected end of input" : "dictionary key is not a string");
      }
      const key = byteString(b, p);
      if (key instanceof Fail) return key;
      if (Object.prototype.hasOwnProperty.call(dict, key)) return new Fail(keyAt, `duplicate key "${key}"`);
      const v = value(b, p, depth + 1);
      if (v instanceof Fail) return v;
      dict[key] = v;
    }
  }
  return new Fail(p.pos, `unexpected byte 0x${c.toString(16).padStart(2, "0")}`);
}

function integer(b: Uint8Array, p: { pos: number }): number | Fail {
  const start = p.pos;
  let i = start + 1;
  const negative = b[i] === C_MINUS;
  if (negative) i++;
  const digitsAt = i;
  while (i < b.length && b[i]! >= C_0 && b[i]! <= C_9) i++;
  if (i === digitsAt) return new Fail(start, "integer without digits");
  if (b[i] !== C_E) return new Fail(i, "integer not terminated by 'e'");
  if (b[digitsAt] === C_0 && (i - digitsAt > 1 || negative)) return new Fail(start, "integer with leading zero or -0");
  if (i - digitsAt > 15) return new Fail(start, "integer too large");
  let n = 0;
  for (let j = digitsAt; j < i; j++) n = n * 10 + (b[j]! - C_0);
  p.pos = i + 1;
  return negative ? -n : n;
}

function byteString(b: Uint8Array, p: { pos: number }): string | Fail {
  const start = p.pos;
  let i = start;
  let len = 0;
  while (i < b.length && b[i]! >= C_0 && b[i]! <= C_9) {
    len = len * 10 + (b[i]! - C_0);
    if (i - start > 9) return new Fail(start, "string length too large");
    i++;
  }
  if (b[i] !== C_COLON) return new Fail(i, "string length not followed by ':'");
  if (b[start] === C_0 && i - start > 1) return new Fail(start, "string length with leading zero");
  const from = i + 1;
  if (from + len > b.length) return new Fail(start, "string runs past end of input");
  p.pos = from + len;
  return latin1(b, from, from + len);
}

function latin1(b: Uint8Array, from: number, to: number): string {
  return Buffer.from(b.buffer, b.byteOffset + from, to - from).toString("latin1");
}

/**
 * Encodes a value; dictionary keys are written in sorted (raw byte) order as BEP 3 requires.
 * Strings are byte strings (one char per byte); a string holding chars above 0xff is written as
 * UTF-8. Numbers must be safe integers (a programmer error otherwise).
 */
export function encodeBencode(v: BValue): Buffer {
  const parts: Buffer[] = [];
  write(v, parts);
  return Buffer.concat(parts);
}

function stringBytes(s: string): Buffer {
  // eslint-disable-next-line no-control-regex
  return /[^\u0000-\u00ff]/.test(s) ? Buffer.from(s, "utf8") : Buffer.from(s, "latin1");
}

function write(v: BValue, out: Buffer[]): void {
  if (typeof v === "string") {
    const bytes = stringBytes(v);
    out.push(Buffer.from(`${bytes.length}:`, "latin1"), bytes);
  } else if (typeof v === "number") {
    if (!Number.isSafeInteger(v)) throw new RangeError(`bencode: ${v} is not a safe integer`);
    out.push(Buffer.from(`i${v}e`, "latin1"));
  } else if (Array.isArray(v)) {
    out.push(Buffer.from("l", "latin1"));
    for (const item of v as BList) write(item, out);
    out.push(Buffer.from("e", "latin1"));
  } else {
    const dict = v as BDict;
    out.push(Buffer.from("d", "latin1"));
    const keys = Object.keys(dict).sort((a, b) => Buffer.compare(stringBytes(a), stringBytes(b)));
    for (const k of keys) {
      const item = dict[k];
      if (item === undefined) continue;
      write(k, out);
      write(item, out);
    }
    out.push(Buffer.from("e", "latin1"));
  }
}

/** Reads a string field of a dictionary (undefined when absent or not a string). */
export function dictString(d: BDict, key: string): string | undefined {
  const v = d[key];
  return typeof v === "string" ? v : undefined;
}

/** Reads a list-of-strings field (non-strings are skipped; a lone string counts as a list of one). */
export function dictStrings(d: BDict, key: string): string[] {
  const v = d[key];
  if (typeof v === "string") return [v];
  if (!Array.isArray(v)) return [];
  return (v as BList).filter((x): x is string => typeof x === "string");
}
