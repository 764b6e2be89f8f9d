import type { Clock, Logger } from "@ims/runtime";
import { type SipMessage, getCallId, getContentType, getFrom, getTo, setBody } from "@ims/sip";
import type { MediaAnchor, MediaAnchorError } from "./anchor.js";

/**
 * Which pass of the P-CSCF a message belongs to. When caller and callee are both registered here,
 * an INVITE crosses the P-CSCF twice (towards the S-CSCF, then back towards the callee) with the
 * same Call-ID and tags: each pass is its own relay session (the terminating one under
 * `<call-id>-term`), so the media goes through the relay twice, each session seeing only its own
 * offer and answer.
 */
export type MediaLeg = "orig" | "term";

export const relayCallId = (callId: string, leg: MediaLeg): string => (leg === "orig" ? callId : `${callId}-term`);

/** An SDP body (RFC 3264 offer or answer) of a message, if it carries one. */
export function sdpOf(msg: SipMessage): string | undefined {
  if (msg.body.length === 0) return undefined;
  const ct = getContentType(msg);
  if (ct === undefined || ct.type.toLowerCase() !== "application" || ct.subtype.toLowerCase() !== "sdp") return undefined;
  return msg.body.toString("utf8");
}

interface Session {
  /** An offer that came in a response (late offer: 2xx to an INVITE without SDP), by the callee's tag. */
  responseOfferBy?: string;
  /** The last answer rewritten: a retransmitted 2xx carries the same SDP and is rewritten at once. */
  lastAnswer?: { readonly input: string; readonly output: string };
}

/**
 * Media anchoring state of one P-CSCF: which sessions the relay holds, and the offer/answer
 * exchange through it (RFC 3264 over RFC 3261 §13.2.1: offer in the INVITE and answer in the
 * 183/200, or offer in the 2xx and answer in the ACK; re-INVITE, UPDATE and PRACK alike).
 *
 * When the relay fails (no reply, an error), the message goes on unchanged and a warning is logged:
 * a relay outage then costs media anchoring, not every call; UEs that can reach each other (the lab,
 * a LAN) still talk. A session whose offer failed is not anchored, so its answer is not sent either.
 * A relay that does not answer at all is left alone for `retryAfterMs` (new offers pass unanchored
 * at once instead of each waiting for the timeout), then tried again.
 */
export class MediaSessions {
  private readonly sessions = new Map<string, Session>();
  /** clock.now() before which the relay counts as down. */
  private downUntil = -Infinity;

  constructor(
    private readonly anchor: MediaAnchor,
    private readonly log: Logger,
    private readonly clock: Clock,
    private readonly options: { readonly limit?: number; readonly retryAfterMs?: number } = {},
  ) {}

  /** True while the relay counts as down after it failed to answer. */
  get relayDown(): boolean {
    return this.clock.now() < this.downUntil;
  }

  /** How many sessions the relay holds for us. */
  get size(): number {
    return this.sessions.size;
  }

  has(callId: string, leg: MediaLeg): boolean {
    return this.sessions.has(relayCallId(callId, leg));
  }

  /**
   * A request carrying SDP (INVITE, re-INVITE, UPDATE, PRACK, ACK): its offer (or the answer to an
   * offer a 2xx made) goes through the relay and the body is replaced. Resolves with "offer" when
   * the request carried an offer that is now anchored, so the caller knows the responses carry answers;
   * "failed" when the relay did not take it (the responses then pass untouched).
   */
  async request(req: SipMessage, leg: MediaLeg): Promise<"offer" | "answer" | "none" | "failed"> {
    const sdp = sdpOf(req);
    const callId = getCallId(req);
    const fromTag = getFrom(req)?.tag;
    if (sdp === undefined || callId === undefined || fromTag === undefined) return "none";
    const key = relayCallId(callId, leg);
    const session = this.sessions.get(key);
    const toTag = getTo(req)?.tag;
    if (session?.responseOfferBy !== undefined && toTag === session.responseOfferBy) {
      delete session.responseOfferBy;
      const r = await this.anchor.answer({ callId: key, fromTag: toTag, toTag: fromTag }, sdp);
      if (!r.ok) return this.failed("answer", key, r.error, "failed");
      setBody(req, r.value);
      return "answer";
    }
    const refused = this.refuseOffer(session, key);
    if (refused) return "failed";
    const r = await this.anchor.offer({ callId: key, fromTag, ...(toTag === undefined ? {} : { toTag }) }, sdp);
    if (!r.ok) return this.failed("offer", key, r.error, "failed");
    if (session === undefined) this.sessions.set(key, {});
    else delete session.lastAnswer; // a new offer: its answer goes to the relay even if it repeats the last
    setBody(req, r.value);
    return "offer";
  }

  /**
   * A response carrying SDP to a request forwarded on `leg`: the answer to the request's offer, or
   * an offer when the request had none (answered later in the ACK or PRACK). Returns undefined when
   * there is nothing to do, "done" when the body was rewritten at once (a retransmission of an
   * answer already anchored), or the promise of the rewrite.
   */
  response(res: SipMessage, leg: MediaLeg, requestOffered: boolean): undefined | "done" | Promise<void> {
    const sdp = sdpOf(res);
    const callId = getCallId(res);
    const fromTag = getFrom(res)?.tag;
    const toTag = getTo(res)?.tag;
    if (sdp === undefined || callId === undefined || fromTag === undefined || toTag === undefined) return undefined;
    const key = relayCallId(callId, leg);
    const session = this.sessions.get(key);
    if (requestOffered) {
      if (session === undefined) return undefined;
      if (session.lastAnswer?.input === sdp) {
        setBody(res, session.lastAnswer.output);
        return "done";
      }
      return this.anchor.answer({ callId: key, fromTag, toTag }, sdp).then((r) => {
        if (!r.ok) return void this.failed("answer", key, r.error, undefined);
        session.lastAnswer = { input: sdp, output: r.value };
        setBody(res, r.value);
      });
    }
    if (this.refuseOffer(session, key)) return undefined;
    return this.anchor.offer({ callId: key, fromTag: toTag, toTag: fromTag }, sdp).then((r) => {
      if (!r.ok) return void this.failed("offer", key, r.error, undefined);
      const s = this.sessions.get(key) ?? {};
      s.responseOfferBy = toTag;
      this.sessions.set(key, s);
      setBody(res, r.value);
    });
  }

  /** The dialog ended (BYE), or the INVITE failed or was cancelled: the relay frees the ports. */
  end(msg: SipMessage, leg: MediaLeg, why: string): void {
    const callId = getCallId(msg);
    const fromTag = getFrom(msg)?.tag;
    if (callId === undefined || fromTag === undefined) return;
    const key = relayCallId(callId, leg);
    if (!this.sessions.delete(key)) return;
    const toTag = getTo(msg)?.tag;
    this.log.debug({ callId: key, why }, "media session deleted");
    this.anchor
      .delete({ callId: key, fromTag, ...(toTag === undefined ? {} : { toTag }) })
      .then((r) => {
        if (!r.ok) this.log.warn({ callId: key, reason: r.error.reason }, "media relay: delete failed");
      })
      .catch(() => undefined);
  }

  /** Forgets every session (stop); the relay's own timeouts reclaim them. */
  clear(): void {
    this.sessions.clear();
  }

  /** A new session is not offered to a relay that is down, nor beyond the session limit. */
  private refuseOffer(session: Session | undefined, key: string): boolean {
    if (session !== undefined) return false;
    if (this.relayDown) {
      this.log.debug({ callId: key }, "media relay down: SDP forwarded unchanged");
      return true;
    }
    if (this.sessions.size < (this.options.limit ?? 100_000)) return false;
    this.failed("offer", key, { tag: "refused", reason: "too many sessions" }, undefined);
    return true;
  }

  private failed<T>(what: string, callId: string, e: MediaAnchorError, value: T): T {
    if (e.tag === "unavailable") this.downUntil = this.clock.now() + (this.options.retryAfterMs ?? 30_000);
    this.log.warn({ callId, reason: e.reason }, `media relay: ${what} failed, SDP forwarded unchanged (media not anchored)`);
    return value;
  }
}

