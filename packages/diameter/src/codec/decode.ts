import { type Result, err, ok } from "@ims/runtime";
import { type Dictionary, standardDictionary } from "../dictionary/index.js";
import { type DiameterError, diameterError } from "./errors.js";
import { type Avp, type DiameterHeader, type DiameterMessage, CMD_FLAG, HEADER_LENGTH } from "./types.js";
import { checkValueAt } from "./values.js";
import { DecodedAvp } from "./decoded-avp.js";

export interface DecodeOptions {
  readonly dictionary?: Dictionary;
  /** Deepest nesting of Grouped AVPs accepted (default 16); deeper → DIAMETER_INVALID_AVP_VALUE. */
  readonly maxDepth?: number;
}

export const DEFAULT_MAX_DEPTH = 16;

const RC = {
  UNSUPPORTED_VERSION: 5011,
  INVALID_MESSAGE_LENGTH: 5015,
  INVALID_HDR_BITS: 3008,
  INVALID_AVP_BITS: 3009,
  AVP_UNSUPPORTED: 5001,
  INVALID_AVP_VALUE: 5004,
  INVALID_AVP_LENGTH: 5014,
} as const;

const AVP_V = 0x80;
const AVP_M = 0x40;
const AVP_RESERVED = 0x1f;
const FAILED_AVP = 279;

function u32(b: Uint8Array, o: number): number {
  return (((b[o] as number) << 24) | ((b[o + 1] as number) << 16) | ((b[o + 2] as number) << 8) | (b[o + 3] as number)) >>> 0;
}

function asBuffer(input: Uint8Array): Buffer {
  return Buffer.isBuffer(input) ? input : Buffer.from(input.buffer, input.byteOffset, input.length);
}

/** Reads the 20-byte header (RFC 6733 §3) without checking the length against the input. */
export function decodeHeader(input: Uint8Array): Result<DiameterHeader, DiameterError> {
  const e = checkHeader(input);
  return e === undefined ? ok(headerOf(input)) : err(e);
}

/** What is wrong with the header (version, command flags), without building it when nothing is. */
function checkHeader(input: Uint8Array): DiameterError | undefined {
  if (input.length < HEADER_LENGTH) return diameterError(RC.INVALID_MESSAGE_LENGTH, "shorter than a header");
  if (input[0] !== 1) return diameterError(RC.UNSUPPORTED_VERSION, `version ${input[0]}`, { header: headerOf(input) });
  const f = input[4] as number;
  const request = (f & CMD_FLAG.R) !== 0;
  if ((f & CMD_FLAG.RESERVED) !== 0 || (request && (f & CMD_FLAG.E) !== 0) || (!request && (f & CMD_FLAG.T) !== 0)) {
    return diameterError(RC.INVALID_HDR_BITS, `command flags 0x${f.toString(16)}`, { header: headerOf(input) });
  }
  return undefined;
}

interface Ctx {
  buf: Buffer;
  dict: Dictionary;
  maxDepth: number;
  /** Whether `buf` is a whole message (its header then goes into an error). */
  message: boolean;
  /** Top-level AVPs read so far (for the error answer). */
  top: Avp[];
  /** Skip dictionary checks (inside Failed-AVP, whose members may be anything). */
  lenient: boolean;
  error: DiameterError | undefined;
}

const EMPTY = Buffer.alloc(0);
const NO_AVPS: Avp[] = [];
/**
 * The context of `decodeMessage`, reused: decoding is synchronous and never re-enters it, so one object
 * serves every message (its references are dropped when a decode ends).
 */
const shared: Ctx = { buf: EMPTY, dict: standardDictionary, maxDepth: DEFAULT_MAX_DEPTH, message: true, top: NO_AVPS, lenient: false, error: undefined };

/** The header of a message whose header has been checked (built only for an error). */
function headerOf(buf: Uint8Array): DiameterHeader {
  return { flags: buf[4] as number, commandCode: u32(buf, 4) & 0xffffff, applicationId: u32(buf, 8), hopByHop: u32(buf, 12), endToEnd: u32(buf, 16) };
}

function fail(ctx: Ctx, code: number, reason: string, failedAvp: Avp | undefined): undefined {
  ctx.error = diameterError(code, reason, { failedAvp, header: ctx.message ? headerOf(ctx.buf) : undefined, avps: ctx.top });
  return undefined;
}

function readAvps(ctx: Ctx, start: number, end: number, depth: number, out: Avp[]): Avp[] | undefined {
  const { buf, dict } = ctx;
  let o = start;
  while (o < end) {
    if (end - o < 8) {
      const code = end - o >= 4 ? u32(buf, o) : 0;
      return fail(ctx, RC.INVALID_AVP_LENGTH, "truncated AVP header", { code, flags: 0, vendorId: 0, data: buf.subarray(o, o) });
    }
    const code = u32(buf, o);
    const flags = buf[o + 4] as number;
    const length = ((buf[o + 5] as number) << 16) | ((buf[o + 6] as number) << 8) | (buf[o + 7] as number);
    const vendor = (flags & AVP_V) !== 0;
    const hdr = vendor ? 12 : 8;
    if (length < hdr || o + length > end) {
      const vendorId = vendor && end - o >= 12 ? u32(buf, o + 8) : 0;
      const data = buf.subarray(Math.min(o + hdr, end), Math.min(o + Math.max(length, hdr), end));
      return fail(ctx, RC.INVALID_AVP_LENGTH, `AVP ${code} length ${length}`, { code, flags, vendorId, data });
    }
    const vendorId = vendor ? u32(buf, o + 8) : 0;
    const at = o;
    const next = o + ((length + 3) & ~3);
    o = next > end ? end : next;
    if ((flags & AVP_RESERVED) !== 0 && !ctx.lenient) {
      return fail(ctx, RC.INVALID_AVP_BITS, `AVP ${code} flags 0x${flags.toString(16)}`, { code, flags, vendorId, data: buf.subarray(at + hdr, at + length) });
    }
    const def = dict.avp(code, vendorId);
    let members: Avp[] | undefined;
    if (def === undefined) {
      if ((flags & AVP_M) !== 0 && !ctx.lenient) {
        return fail(ctx, RC.AVP_UNSUPPORTED, `unknown mandatory AVP ${vendorId}:${code}`, { code, flags, vendorId, data: buf.subarray(at + hdr, at + length) });
      }
    } else if (def.type === "Grouped") {
      if (depth >= ctx.maxDepth) {
        return fail(ctx, RC.INVALID_AVP_VALUE, `${def.name} nested deeper than ${ctx.maxDepth}`, { code, flags, vendorId, data: buf.subarray(at + hdr, at + length) });
      }
      const dataStart = at + hdr;
      if (code === FAILED_AVP && vendorId === 0) {
        members = readLenient(ctx, dataStart, at + length, depth + 1);
      } else {
        members = readAvps(ctx, dataStart, at + length, depth + 1, []);
        if (members === undefined) return undefined;
      }
    } else if (!ctx.lenient) {
      const bad = checkValueAt(def.type, buf, at + hdr, at + length);
      if (bad !== undefined) {
        const rc = bad === "length" ? RC.INVALID_AVP_LENGTH : RC.INVALID_AVP_VALUE;
        return fail(ctx, rc, `${def.name}: invalid ${bad}`, { code, flags, vendorId, data: buf.subarray(at + hdr, at + length) });
      }
    }
    out.push(new DecodedAvp(code, flags, vendorId, buf.subarray(at + hdr, at + length), members));
  }
  return out;
}

/** Members of a Failed-AVP: whatever parses; a structural fault leaves them unparsed (raw data only). */
function readLenient(ctx: Ctx, start: number, end: number, depth: number): Avp[] | undefined {
  const inner: Ctx = { ...ctx, lenient: true, error: undefined };
  return readAvps(inner, start, end, depth, []);
}

/**
 * Decodes one complete message (exactly `input.length` bytes, as the framer delivers it). Never
 * throws: a fault is a DiameterError carrying its Result-Code and Failed-AVP.
 */
export function decodeMessage(input: Uint8Array, options?: DecodeOptions): Result<DiameterMessage, DiameterError> {
  const buf = asBuffer(input);
  const h = checkHeader(buf);
  if (h !== undefined) return err(h);
  const length = ((buf[1] as number) << 16) | ((buf[2] as number) << 8) | (buf[3] as number);
  if (length !== buf.length || (length & 3) !== 0) {
    return err(diameterError(RC.INVALID_MESSAGE_LENGTH, `length field ${length}, ${buf.length} bytes`, { header: headerOf(buf) }));
  }
  const top: Avp[] = [];
  const ctx = shared;
  ctx.buf = buf;
  ctx.dict = options?.dictionary ?? standardDictionary;
  ctx.maxDepth = options?.maxDepth ?? DEFAULT_MAX_DEPTH;
  ctx.top = top;
  ctx.error = undefined;
  let avps: Avp[] | undefined;
  let error: DiameterError | undefined;
  try {
    avps = readAvps(ctx, HEADER_LENGTH, length, 0, top);
    error = ctx.error;
  } finally {
    ctx.buf = EMPTY;
    ctx.top = NO_AVPS;
    ctx.error = undefined;
  }
  if (avps === undefined) return err(error ?? diameterError(RC.INVALID_AVP_VALUE, "undecodable", { header: headerOf(buf) }));
  return ok({
    flags: buf[4] as number,
    commandCode: u32(buf, 4) & 0xffffff,
    applicationId: u32(buf, 8),
    hopByHop: u32(buf, 12),
    endToEnd: u32(buf, 16),
    avps,
  });
}

/** Decodes a sequence of AVPs (the payload of a Grouped AVP the dictionary does not know). */
export function decodeAvps(data: Uint8Array, options?: DecodeOptions): Result<Avp[], DiameterError> {
  const buf = asBuffer(data);
  const ctx: Ctx = {
    buf,
    dict: options?.dictionary ?? standardDictionary,
    maxDepth: options?.maxDepth ?? DEFAULT_MAX_DEPTH,
    message: false,
    top: [],
    lenient: false,
    error: undefined,
  };
  const avps = readAvps(ctx, 0, buf.length, 0, []);
  return avps === undefined ? err(ctx.error ?? diameterError(RC.INVALID_AVP_VALUE, "undecodable")) : ok(avps);
}
