import { type ForwardOptions, type RequestContext } from "@ims/sip";
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
 * Anchors the SDP of each response through the relay. The proxy waits for the returned Promise
 * before it relays the response, and holds the branch's later responses until then.
 * A failure final (≥300) to an initial INVITE ends the session (a failed re-INVITE keeps it).
 */
function responseHook(ctx: RequestContext, media: MediaSessions, leg: MediaLeg, offered: boolean, initial: boolean): NonNullable<ForwardOptions["onResponse"]> {
  return (res) => {
    if (res.status >= 300) {
      if (initial && ctx.request.method === "INVITE") media.end(res, leg, `final ${res.status}`);
      return undefined;
    }
    const work = media.response(res, leg, offered);
    return work === undefined || work === "done" ? undefined : work;
  };
}
