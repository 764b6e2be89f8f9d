import type { Result, TaggedError } from "@ims/runtime";

/**
 * One media session as a relay knows it (rtpengine ng keys call-id, from-tag, to-tag): `fromTag` is
 * the tag of the party whose SDP was the offer, `toTag` the answerer's.
 */
export interface MediaSessionIds {
  readonly callId: string;
  readonly fromTag: string;
  readonly toTag?: string;
}

export type MediaAnchorErrorTag = "unavailable" | "refused";
export interface MediaAnchorError extends TaggedError<MediaAnchorErrorTag> {}

/**
 * The media relay as the P-CSCF sees it (injected: the lab adapts an ng client to it, unit tests a
 * fake). Each call returns the SDP to forward in place of the one given: connection address and
 * ports of the relay (c=, m=, a=rtcp).
 */
export interface MediaAnchor {
  /** The offerer's SDP; returns the SDP for the answerer. */
  offer(ids: MediaSessionIds, sdp: string): Promise<Result<string, MediaAnchorError>>;
  /** The answerer's SDP (`toTag` set); returns the SDP for the offerer. */
  answer(ids: MediaSessionIds & { readonly toTag: string }, sdp: string): Promise<Result<string, MediaAnchorError>>;
  /** Ends the session and frees its ports. */
  delete(ids: MediaSessionIds): Promise<Result<void, MediaAnchorError>>;
}
