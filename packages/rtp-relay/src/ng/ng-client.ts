/**
 * An ng control client, for the P-CSCF: offer/answer/delete/query over UDP to our relay or to a
 * real rtpengine. Each request gets a fresh cookie; an unanswered request is re-sent with the same
 * cookie (the relay answers a duplicate from its cache, so an offer is never run twice) until the
 * retries are used up. SDP is passed as a normal (UTF-8) JS string.
 */
import { createSocket, type Socket } from "node:dgram";
import { randomBytes } from "node:crypto";
import { err, ok, systemClock, type Clock, type Result, type TaggedError, type TimerHandle } from "@ims/runtime";
import { dictString, type BDict, type BValue } from "./bencode.js";
import { encodeNgMessage, parseNgMessage } from "./ng-message.js";

export interface NgClientOptions {
  /** The relay's control address and port (rtpengine's --listen-ng). */
  readonly address: string;
  readonly port: number;
  /** Local address to send from (the P-CSCF's own address); any when absent. */
  readonly localAddress?: string;
  /** Wait this long for a reply before re-sending (default 500 ms). */
  readonly retryMs?: number;
  /** Re-sends after the first attempt (default 3), so the timeout is retryMs × (retries + 1). */
  readonly retries?: number;
  readonly clock?: Clock;
}

export type NgClientErrorTag = "timeout" | "ng-error" | "bad-reply" | "closed";
export interface NgClientError extends TaggedError<NgClientErrorTag> {}

export interface MediaSessionIds {
  readonly callId: string;
  readonly fromTag: string;
  readonly toTag?: string;
}

/** Extra ng keys passed through as given (rtpengine flags such as `ICE: "remove"`, `replace: [...]`). */
export type NgExtra = Readonly<Record<string, BValue>>;

interface Pending {
  readonly resolve: (r: Result<BDict, NgClientError>) => void;
  timer: TimerHandle;
}

const toWire = (s: string): string => Buffer.from(s, "utf8").toString("latin1");
const fromWire = (s: string): string => Buffer.from(s, "latin1").toString("utf8");

export class NgClient {
  private readonly pending = new Map<string, Pending>();
  private readonly prefix = randomBytes(4).toString("hex");
  private seq = 0;
  private closed = false;

  private constructor(private readonly socket: Socket, private readonly opts: NgClientOptions) {
    socket.on("message", (msg) => this.onReply(msg));
    socket.on("error", () => undefined);
  }

  static async open(opts: NgClientOptions): Promise<NgClient> {
    const socket = createSocket("udp4");
    await new Promise<void>((resolve, reject) => {
      socket.once("error", reject);
      socket.bind(0, opts.localAddress, () => {
        socket.off("error", reject);
        resolve();
      });
    });
    return new NgClient(socket, opts);
  }

  ping(): Promise<Result<BDict, NgClientError>> {
    return this.request({ command: "ping" });
  }

  /** Sends the offerer's SDP; returns the SDP to forward to the answerer. */
  async offer(ids: MediaSessionIds, sdp: string, extra: NgExtra = {}): Promise<Result<{ sdp: string; reply: BDict }, NgClientError>> {
    return this.withSdp(await this.request({ ...extra, ...idFields(ids), command: "offer", sdp: toWire(sdp) }));
  }

  /** Sends the answerer's SDP (`toTag` required); returns the SDP to forward to the offerer. */
  async answer(ids: MediaSessionIds & { readonly toTag: string }, sdp: string, extra: NgExtra = {}): Promise<Result<{ sdp: string; reply: BDict }, NgClientError>> {
    return this.withSdp(await this.request({ ...extra, ...idFields(ids), command: "answer", sdp: toWire(sdp) }));
  }

  delete(ids: MediaSessionIds, extra: NgExtra = {}): Promise<Result<BDict, NgClientError>> {
    return this.request({ ...extra, ...idFields(ids), command: "delete" });
  }

  query(ids: { readonly callId: string; readonly fromTag?: string }, extra: NgExtra = {}): Promise<Result<BDict, NgClientError>> {
    const d: Record<string, BValue> = { ...extra, command: "query", "call-id": toWire(ids.callId) };
    if (ids.fromTag !== undefined) d["from-tag"] = toWire(ids.fromTag);
    return this.request(d);
  }

  /** Sends any command; a `result: error` reply becomes an `ng-error` carrying its error-reason. */
  request(dict: BDict): Promise<Result<BDict, NgClientError>> {
    if (this.closed) return Promise.resolve(err({ tag: "closed", reason: "NgClient is closed" }));
    const cookie = `${this.prefix}_${++this.seq}`;
    const wire = encodeNgMessage(cookie, dict);
    const clock = this.opts.clock ?? systemClock;
    const retryMs = this.opts.retryMs ?? 500;
    let left = this.opts.retries ?? 3;
    return new Promise((resolve) => {
      const send = (): void => this.socket.send(wire, this.opts.port, this.opts.address, () => undefined);
      const onTimer = (): void => {
        if (left-- > 0) {
          send();
          entry.timer = clock.setTimer(retryMs, onTimer);
          return;
        }
        this.pending.delete(cookie);
        resolve(err({ tag: "timeout", reason: `no reply from ${this.opts.address}:${this.opts.port} to ${String(dict["command"])}` }));
      };
      const entry: Pending = { resolve, timer: clock.setTimer(retryMs, onTimer) };
      this.pending.set(cookie, entry);
      send();
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const [, p] of this.pending) {
      p.timer.cancel();
      p.resolve(err({ tag: "closed", reason: "NgClient closed" }));
    }
    this.pending.clear();
    this.socket.close();
  }

  private onReply(msg: Buffer): void {
    const parsed = parseNgMessage(msg);
    const cookie = parsed.ok ? parsed.value.cookie : parsed.error.cookie;
    const p = cookie === undefined ? undefined : this.pending.get(cookie);
    if (p === undefined || cookie === undefined) return; // late duplicate or stray datagram
    this.pending.delete(cookie);
    p.timer.cancel();
    if (!parsed.ok) {
      p.resolve(err({ tag: "bad-reply", reason: parsed.error.reason }));
      return;
    }
    const d = parsed.value.dict;
    if (d["result"] === "error") {
      p.resolve(err({ tag: "ng-error", reason: fromWire(dictString(d, "error-reason") ?? "error without error-reason") }));
      return;
    }
    p.resolve(ok(d));
  }

  private withSdp(r: Result<BDict, NgClientError>): Result<{ sdp: string; reply: BDict }, NgClientError> {
    if (!r.ok) return r;
    const sdp = dictString(r.value, "sdp");
    if (sdp === undefined) return err({ tag: "bad-reply", reason: "reply has no sdp" });
    return ok({ sdp: fromWire(sdp), reply: r.value });
  }
}

function idFields(ids: MediaSessionIds): Record<string, string> {
  const d: Record<string, string> = { "call-id": toWire(ids.callId), "from-tag": toWire(ids.fromTag) };
  if (ids.toTag !== undefined) d["to-tag"] = toWire(ids.toTag);
  return d;
}
