/** Domain names on the wire (RFC 1035 §3.1, §4.1.4 compression) and in presentation form (RFC 4343 §2.1). */
import { type Result, ok, err, ImsError } from "@ims/runtime";
import { LIMITS } from "./types.js";

const BACKSLASH = 0x5c;
const DOT = 0x2e;

function labelToText(bytes: Uint8Array, start: number, end: number): string {
  let s = "";
  for (let i = start; i < end; i++) {
    const b = bytes[i] as number;
    if (b === DOT || b === BACKSLASH) s += "\\" + String.fromCharCode(b);
    else if (b <= 0x20 || b >= 0x7f) s += "\\" + String(b).padStart(3, "0");
    else s += String.fromCharCode(b);
  }
  return s;
}

/** Splits a presentation-form name into label bytes; undefined if it breaks RFC 1035 §2.3.4 limits. */
export function nameToLabels(name: string): Uint8Array[] | undefined {
  const labels: Uint8Array[] = [];
  if (name === "" || name === ".") return labels;
  const text = name.endsWith(".") && !name.endsWith("\\.") ? name.slice(0, -1) : name;
  let current: number[] = [];
  let total = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === BACKSLASH) {
      const digits = text.slice(i + 1, i + 4);
      if (/^\d{3}$/.test(digits)) {
        const v = Number(digits);
        if (v > 255) return undefined;
        current.push(v);
        i += 3;
      } else if (i + 1 < text.length) {
        current.push(text.charCodeAt(i + 1) & 0xff);
        i += 1;
      } else return undefined;
    } else if (c === DOT) {
      if (current.length === 0 || current.length > LIMITS.label) return undefined;
      labels.push(Uint8Array.from(current));
      total += current.length + 1;
      current = [];
    } else {
      if (c > 0xff) return undefined;
      current.push(c);
    }
  }
  if (current.length === 0 || current.length > LIMITS.label) return undefined;
  labels.push(Uint8Array.from(current));
  total += current.length + 1;
  return total > LIMITS.name ? undefined : labels;
}

/** A name decoded from a message, and the offset just past it in the original position. */
export interface DecodedName {
  readonly name: string;
  readonly next: number;
}

/**
 * Reads a possibly compressed name. A pointer must point strictly backwards (before the label that
 * holds it), which makes loops impossible; the expanded name must fit 255 octets.
 */
export function readName(bytes: Uint8Array, offset: number): Result<DecodedName, string> {
  const parts: string[] = [];
  let pos = offset;
  let next = -1;
  let wireLength = 1;
  let floor = offset;
  for (;;) {
    if (pos >= bytes.length) return err("name runs past the end of the message");
    const len = bytes[pos] as number;
    if (len === 0) {
      if (next < 0) next = pos + 1;
      return ok({ name: parts.join("."), next });
    }
    const kind = len & 0xc0;
    if (kind === 0xc0) {
      if (pos + 1 >= bytes.length) return err("truncated compression pointer");
      const target = ((len & 0x3f) << 8) | (bytes[pos + 1] as number);
      if (target >= floor) return err("compression pointer does not point backwards");
      if (next < 0) next = pos + 2;
      pos = target;
      floor = target;
      continue;
    }
    if (kind !== 0) return err("reserved label type"); // RFC 6891 §5: extended label types are deprecated
    if (pos + 1 + len > bytes.length) return err("label runs past the end of the message");
    wireLength += len + 1;
    if (wireLength > LIMITS.name) return err("name longer than 255 octets");
    parts.push(labelToText(bytes, pos + 1, pos + 1 + len));
    pos += 1 + len;
  }
}

/** Growable output buffer with RFC 1035 §4.1.4 name compression. */
export class WireWriter {
  private buf: Uint8Array;
  private view: DataView;
  length = 0;
  private readonly names = new Map<string, number>();

  constructor(initial = 512) {
    this.buf = new Uint8Array(initial);
    this.view = new DataView(this.buf.buffer);
  }

  private ensure(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const bigger = new Uint8Array(Math.max(this.buf.length * 2, this.length + n));
    bigger.set(this.buf.subarray(0, this.length));
    this.buf = bigger;
    this.view = new DataView(bigger.buffer);
  }

  u8(v: number): void {
    this.ensure(1);
    this.buf[this.length++] = v & 0xff;
  }
  u16(v: number): void {
    this.ensure(2);
    this.view.setUint16(this.length, v & 0xffff);
    this.length += 2;
  }
  u32(v: number): void {
    this.ensure(4);
    this.view.setUint32(this.length, v >>> 0);
    this.length += 4;
  }
  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }
  patchU16(at: number, v: number): void {
    this.view.setUint16(at, v & 0xffff);
  }

  /** Writes a name, compressed against earlier names unless `compress` is false (RFC 3403 §4.1 replacement). */
  name(name: string, compress = true): void {
    const labels = nameToLabels(name);
    if (labels === undefined) throw new ImsError("dns-bad-name", `cannot encode the name "${name}"`);
    const keys = suffixKeys(labels);
    for (let i = 0; i < labels.length; i++) {
      const key = keys[i] as string;
      const known = compress ? this.names.get(key) : undefined;
      if (known !== undefined) {
        this.u16(0xc000 | known);
        return;
      }
      if (this.length < 0x3fff && !this.names.has(key)) this.names.set(key, this.length);
      const label = labels[i] as Uint8Array;
      this.u8(label.length);
      this.bytes(label);
    }
    this.u8(0);
  }

  result(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

function suffixKeys(labels: readonly Uint8Array[]): string[] {
  const keys: string[] = new Array<string>(labels.length);
  let acc = "";
  for (let i = labels.length - 1; i >= 0; i--) {
    const label = labels[i] as Uint8Array;
    let s = "";
    for (const b of label) s += String.fromCharCode(b >= 0x41 && b <= 0x5a ? b + 32 : b);
    acc = s.length + ":" + s + "|" + acc;
    keys[i] = acc;
  }
  return keys;
}
