import type { MediaAnchor, MediaAnchorError } from "@ims/pcscf";
import type { NgClient, NgClientError } from "@ims/rtp-relay";
import { type Result, err, ok } from "@ims/runtime";

/**
 * rtpengine ng flags the P-CSCF sends with each offer and answer, as Kamailio's tutorial config
 * does (`rtpengine_manage("replace-origin replace-session-connection")`): the o= line and a
 * session-level c= name the relay too, so the whole SDP points at it.
 */
const NG_FLAGS = { replace: ["origin", "session-connection"] } as const;

const toAnchorError = (e: NgClientError): MediaAnchorError => ({
  tag: e.tag === "ng-error" ? "refused" : "unavailable",
  reason: `${e.tag}: ${e.reason}`,
});

/**
 * The P-CSCF's MediaAnchor over the rtpengine ng protocol: our relay (packages/rtp-relay) or a
 * real rtpengine. The lab owns the adapter so the P-CSCF never imports the relay's package.
 */
export function ngMediaAnchor(ng: NgClient): MediaAnchor {
  const flags = { replace: [...NG_FLAGS.replace] };
  return {
    offer: async (ids, sdp): Promise<Result<string, MediaAnchorError>> => {
      const r = await ng.offer(ids, sdp, flags);
      return r.ok ? ok(r.value.sdp) : err(toAnchorError(r.error));
    },
    answer: async (ids, sdp) => {
      const r = await ng.answer(ids, sdp, flags);
      return r.ok ? ok(r.value.sdp) : err(toAnchorError(r.error));
    },
    delete: async (ids) => {
      const r = await ng.delete(ids);
      return r.ok ? ok(undefined) : err(toAnchorError(r.error));
    },
  };
}
