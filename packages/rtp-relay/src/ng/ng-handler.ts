/**
 * The relay side of the ng protocol: one datagram in, one reply out. Commands run one at a time
 * (an offer's socket binding is asynchronous, and two commands for a call must not interleave).
 * A command re-sent with the same cookie — the proxy retransmitting over UDP — is answered from a
 * cache with the first reply, as rtpengine does, instead of being run twice.
 */
import type { Clock, Logger } from "@ims/runtime";
import type { CallTable } from "../call/call-table.js";
import { callReport } from "../call/call-report.js";
import { dictString, type BDict } from "./bencode.js";
import { encodeNgMessage, ngErrorReply, parseNgMessage } from "./ng-message.js";

export const NG_COMMANDS = ["ping", "offer", "answer", "delete", "query", "list"] as const;
export type NgCommand = (typeof NG_COMMANDS)[number];

export interface NgHandlerOptions {
  readonly calls: CallTable;
  readonly clock: Clock;
  readonly logger?: Logger;
  /** How long a reply stays in the cookie cache (rtpengine keeps them 30 s). */
  readonly cacheMs?: number;
}

const MAX_CACHE = 50_000;

export class NgHandler {
  private readonly cache = new Map<string, { reply: Promise<Buffer>; at: number }>();
  private queue: Promise<unknown> = Promise.resolve();
  commands = 0;
  errors = 0;

  constructor(private readonly opts: NgHandlerOptions) {}

  /** Returns the reply datagram, or undefined when the message has no readable cookie. */
  handle(bytes: Uint8Array): Promise<Buffer | undefined> {
    const msg = parseNgMessage(bytes);
    if (!msg.ok) {
      this.errors++;
      this.opts.logger?.debug({ reason: msg.error.reason }, "ng: malformed message");
      const cookie = msg.error.cookie;
      return Promise.resolve(cookie === undefined ? undefined : encodeNgMessage(cookie, ngErrorReply(msg.error.reason)));
    }
    const { cookie, dict } = msg.value;
    const cached = this.cache.get(cookie);
    if (cached !== undefined) return cached.reply;
    const reply = this.enqueue(() => this.run(dict)).then((d) => encodeNgMessage(cookie, d));
    if (this.cache.size >= MAX_CACHE) this.sweepCache(true);
    this.cache.set(cookie, { reply, at: this.opts.clock.now() });
    return reply;
  }

  /** Drops cached replies older than the cache time (all of them when `all`). */
  sweepCache(all = false): void {
    const limit = this.opts.clock.now() - (this.opts.cacheMs ?? 30_000);
    for (const [k, v] of this.cache) if (all || v.at <= limit) this.cache.delete(k);
  }

  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    const next = this.queue.then(task, task);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async run(dict: BDict): Promise<BDict> {
    this.commands++;
    const command = dictString(dict, "command");
    const reply = await this.dispatch(command, dict);
    if (reply["result"] === "error") this.errors++;
    this.opts.logger?.debug({ command, callId: dictString(dict, "call-id"), result: reply["result"] }, "ng command");
    return reply;
  }

  private async dispatch(command: string | undefined, d: BDict): Promise<BDict> {
    const calls = this.opts.calls;
    if (command === undefined) return ngErrorReply("No command in message");
    if (!(NG_COMMANDS as readonly string[]).includes(command)) return ngErrorReply("Unrecognized command");
    const cmd = command as NgCommand;
    if (cmd === "ping") return { result: "pong" };
    if (cmd === "list") {
      const limit = typeof d["limit"] === "number" ? d["limit"] : 32;
      return { result: "ok", calls: calls.list().slice(0, Math.max(0, limit)) };
    }
    const callId = dictString(d, "call-id");
    if (callId === undefined || callId === "") return ngErrorReply("No call-id in message");
    if (cmd === "query" || cmd === "delete") {
      const call = calls.get(callId);
      if (call === undefined) return ngErrorReply("Unknown call-id");
      const report = callReport(call);
      if (cmd === "delete") calls.delete(callId);
      return { result: "ok", ...report };
    }
    const fromTag = dictString(d, "from-tag");
    if (fromTag === undefined || fromTag === "") return ngErrorReply("No from-tag in message");
    const sdp = dictString(d, "sdp");
    if (sdp === undefined) return ngErrorReply("No SDP body in message");
    let r;
    if (cmd === "offer") {
      r = await calls.offer(callId, fromTag, sdp);
    } else {
      const toTag = dictString(d, "to-tag");
      if (toTag === undefined || toTag === "") return ngErrorReply("No to-tag in message");
      r = await calls.answer(callId, fromTag, toTag, sdp);
    }
    return r.ok ? { result: "ok", sdp: r.value } : ngErrorReply(r.error.reason);
  }
}
