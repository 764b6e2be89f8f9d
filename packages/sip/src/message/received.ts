import type { SipHeader, SipRequest, SipResponse } from "./types.js";

/**
 * Messages made by the parser remember the bytes they came from, so that serializing a message
 * nobody changed costs a few pointer comparisons and returns those bytes (start line to end of
 * body; leading CRLFs and trailing octets excluded). Any change to the start line, the header list
 * (in place or replaced) or the body is seen and the message is serialized from the model.
 */
class Snapshot {
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
}

export class ReceivedRequest implements SipRequest {
  readonly kind = "request" as const;
  method: string;
  uri: string;
  headers: SipHeader[];
  body: Buffer;
  readonly #snap: Snapshot | undefined;
  readonly #method: string;
  readonly #uri: string;

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
}

export class ReceivedResponse implements SipResponse {
  readonly kind = "response" as const;
  status: number;
  reason: string;
  headers: SipHeader[];
  body: Buffer;
  readonly #snap: Snapshot | undefined;
  readonly #status: number;
  readonly #reason: string;

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
}
