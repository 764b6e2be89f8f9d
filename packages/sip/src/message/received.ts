import type { SipHeader, SipRequest, SipResponse } from "./types.js";

/**
 * Messages made by the parser remember the bytes they came from, so that serializing a message
 * nobody changed costs a few pointer comparisons and returns those bytes (start line to end of
 * body; leading CRLFs and trailing octets excluded). Any change to the start line, the header list
 * (in place or replaced) or the body is seen and the message is serialized from the model, where
 * the header lines still shared with the received message are copied from its bytes.
 */
class Snapshot {
  /** Byte range of each header line in `raw` (start, end after CRLF); null when a line is folded. */
  #spans: Int32Array | null | undefined = undefined;

  constructor(
    readonly raw: Buffer,
    readonly headers: readonly SipHeader[],
    readonly body: Buffer,
  ) {}

  sameHeaders(now: readonly SipHeader[]): boolean {
    const was = this.headers;
    if (now.length !== was.length) return false;
    for (let i = 0; i < was.length; i++) if (now[i] !== was[i]) return false;
    return true;
  }

  /** One line per header, each ending in CRLF (else null: the model is serialized instead). */
  private spans(): Int32Array | null {
    if (this.#spans !== undefined) return this.#spans;
    const raw = this.raw;
    const n = this.headers.length;
    const end = raw.length - this.body.length - 2; // the empty line
    const spans = new Int32Array(n * 2);
    let pos = raw.indexOf(0x0a) + 1;
    let k = 0;
    for (; pos > 0 && pos < end; k++) {
      const lf = raw.indexOf(0x0a, pos);
      if (k >= n || raw[pos] === 0x20 || raw[pos] === 0x09 || lf < 0 || lf >= end || raw[lf - 1] !== 0x0d) return (this.#spans = null);
      spans[2 * k] = pos;
      spans[2 * k + 1] = lf + 1;
      pos = lf + 1;
    }
    return (this.#spans = k === n && pos === end ? spans : null);
  }

  /** Index in the snapshot of header object `h` (usually at `hint`), or -1. */
  private find(h: SipHeader, hint: number): number {
    const was = this.headers;
    if (hint < was.length && was[hint] === h) return hint;
    for (let i = 0; i < was.length; i++) if (was[i] === h) return i;
    return -1;
  }

  /**
   * The message serialized with the header lines it still shares with the received one copied from
   * the received bytes (runs of them in one copy) and only the others written from the model.
   */
  edited(startLine: string, hs: readonly SipHeader[], body: Buffer): Buffer | undefined {
    const spans = this.spans();
    if (spans === null) return undefined;
    let size = Buffer.byteLength(startLine, "utf8") + 2 + body.length;
    for (let i = 0, j = 0; i < hs.length; i++) {
      const h = hs[i]!;
      const k = this.find(h, j);
      if (k >= 0) {
        size += spans[2 * k + 1]! - spans[2 * k]!;
        j = k + 1;
      } else {
        size += Buffer.byteLength(h.name, "utf8") + Buffer.byteLength(h.value, "utf8") + 4;
      }
    }
    const raw = this.raw;
    const out = Buffer.allocUnsafe(size);
    let n = out.write(startLine, 0, "utf8");
    let runStart = -1;
    let runEnd = -1;
    for (let i = 0, j = 0; i < hs.length; i++) {
      const h = hs[i]!;
      const k = this.find(h, j);
      if (k >= 0) {
        j = k + 1;
        const s = spans[2 * k]!;
        if (s === runEnd) runEnd = spans[2 * k + 1]!;
        else {
          if (runStart >= 0) n += raw.copy(out, n, runStart, runEnd);
          runStart = s;
          runEnd = spans[2 * k + 1]!;
        }
        continue;
      }
      if (runStart >= 0) n += raw.copy(out, n, runStart, runEnd);
      runStart = runEnd = -1;
      n += out.write(h.name, n, "utf8");
      out[n++] = 0x3a;
      out[n++] = 0x20;
      n += out.write(h.value, n, "utf8");
      out[n++] = 0x0d;
      out[n++] = 0x0a;
    }
    if (runStart >= 0) n += raw.copy(out, n, runStart, runEnd);
    out[n++] = 0x0d;
    out[n++] = 0x0a;
    if (body.length > 0) n += body.copy(out, n);
    return n === size ? out : out.subarray(0, n);
  }
}

export class ReceivedRequest implements SipRequest {
  readonly kind = "request" as const;
  method: string;
  uri: string;
  headers: SipHeader[];
  body: Buffer;
  #snap: Snapshot | undefined;
  #method: string;
  #uri: string;

  constructor(method: string, uri: string, headers: SipHeader[], body: Buffer, raw: Buffer | undefined) {
    this.method = method;
    this.uri = uri;
    this.headers = headers;
    this.body = body;
    this.#method = method;
    this.#uri = uri;
    this.#snap = raw === undefined ? undefined : new Snapshot(raw, headers.slice(), body);
  }

  #uriCache: { readonly text: string; readonly uri: unknown } | undefined = undefined;

  /** Cache slot for the parsed Request-URI (used by getRequestUri; private, so invisible to copies). */
  get uriCache(): { readonly text: string; readonly uri: unknown } | undefined {
    return this.#uriCache;
  }
  set uriCache(v: { readonly text: string; readonly uri: unknown } | undefined) {
    this.#uriCache = v;
  }

  /** The received bytes if nothing changed since parsing, else undefined. */
  unchangedBytes(): Buffer | undefined {
    const s = this.#snap;
    if (s === undefined || this.method !== this.#method || this.uri !== this.#uri || this.body !== s.body) return undefined;
    return s.sameHeaders(this.headers) ? s.raw : undefined;
  }

  /** The message as it is now, reusing the received bytes of the header lines it still has. */
  editedBytes(): Buffer | undefined {
    return this.#snap?.edited(`${this.method} ${this.uri} SIP/2.0\r\n`, this.headers, this.body);
  }

  /** A copy (own header array) that still knows the received bytes. */
  copy(): ReceivedRequest {
    const c = new ReceivedRequest(this.method, this.uri, this.headers.slice(), this.body, undefined);
    c.#snap = this.#snap;
    c.#method = this.#method;
    c.#uri = this.#uri;
    return c;
  }
}

export class ReceivedResponse implements SipResponse {
  readonly kind = "response" as const;
  status: number;
  reason: string;
  headers: SipHeader[];
  body: Buffer;
  #snap: Snapshot | undefined;
  #status: number;
  #reason: string;

  constructor(status: number, reason: string, headers: SipHeader[], body: Buffer, raw: Buffer | undefined) {
    this.status = status;
    this.reason = reason;
    this.headers = headers;
    this.body = body;
    this.#status = status;
    this.#reason = reason;
    this.#snap = raw === undefined ? undefined : new Snapshot(raw, headers.slice(), body);
  }

  unchangedBytes(): Buffer | undefined {
    const s = this.#snap;
    if (s === undefined || this.status !== this.#status || this.reason !== this.#reason || this.body !== s.body) return undefined;
    return s.sameHeaders(this.headers) ? s.raw : undefined;
  }

  /** The message as it is now, reusing the received bytes of the header lines it still has. */
  editedBytes(): Buffer | undefined {
    return this.#snap?.edited(`SIP/2.0 ${this.status} ${this.reason}\r\n`, this.headers, this.body);
  }

  /** A copy (own header array) that still knows the received bytes. */
  copy(): ReceivedResponse {
    const c = new ReceivedResponse(this.status, this.reason, this.headers.slice(), this.body, undefined);
    c.#snap = this.#snap;
    c.#status = this.#status;
    c.#reason = this.#reason;
    return c;
  }
}
