import { type ForwardOptions, type RequestContext, type SipResponse, cloneMessage } from "@ims/sip";
import type { MediaLeg, MediaSessions } from "./media-sessions.js";

/**
 * Runs before a request is forwarded on `leg`: its SDP goes through the relay, a BYE ends the
 * session, and an initial INVITE's CANCEL ends it too. Returns the `onResponse` hook that anchors
 * the SDP of the responses (undefined without media anchoring).
 */
export async function anchorRequest(
  ctx: RequestContext,
  media: MediaSessions | undefined,
  leg: MediaLeg,
  initial: boolean,
): Promise<ForwardOptions["onResponse"]> {
  if (media === undefined) return undefined;
  const req = ctx.request;
  if (req.method === "BYE") {
    media.end(req, leg, "BYE");
    return undefined;
  }
  const kind = await media.request(req, leg);
  if (initial && req.method === "INVITE") ctx.onCancel(() => media.end(req, leg, "CANCEL"));
  if (kind === "failed" || kind === "answer") return undefined;
  return responseHook(ctx, media, leg, kind === "offer", initial);
}

/**
 * The proxy relays a response as soon as its `onResponse` hook returns, while the relay answers
 * asynchronously. So a response whose SDP needs the relay is held back: a provisional is dropped
 * and sent upstream by us once rewritten; a 2xx is turned into a provisional the proxy drops (a
 * dropped final would count as a 408) and the rewritten copy is sent through the server
 * transaction (which passes 2xx in Accepted; our stack then retransmits it until the ACK). A
 * retransmitted 2xx finds its answer cached and passes the proxy normally, which ends the branch.
 * Responses after a held one are held too and sent in order.
 * A failure final (≥300) to an initial INVITE ends the session (a failed re-INVITE keeps it).
 */
function responseHook(ctx: RequestContext, media: MediaSessions, leg: MediaLeg, offered: boolean, initial: boolean): NonNullable<ForwardOptions["onResponse"]> {
  // Responses held for the relay, in arrival order: a 180 must not overtake the 183 before it.
  let chain: Promise<void> | undefined;
  return (res) => {
    if (res.status >= 300) {
      if (initial && ctx.request.method === "INVITE") media.end(res, leg, `final ${res.status}`);
      return undefined;
    }
    const held: SipResponse = cloneMessage(res);
    const work = media.response(held, leg, offered);
    if (chain === undefined && (work === undefined || work === "done")) {
      res.headers = held.headers;
      res.body = held.body;
      return undefined;
    }
    const mine: Promise<void> = (chain ?? Promise.resolve())
      .then(() => (work === undefined || work === "done" ? undefined : work))
      .then(() => {
        if (held.status >= 200 || !ctx.transaction.answered) ctx.send(held);
      })
      .catch(() => undefined)
      .finally(() => {
        if (chain === mine) chain = undefined;
      });
    chain = mine;
    if (res.status >= 200) res.status = 199; // see above: keeps the branch open instead of a 408
    return "drop";
  };
}
