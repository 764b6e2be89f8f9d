import type { DiameterMessage, MessageIds } from "@ims/diameter";

/** How the HSS sends its own requests (RTR, PPR) to an S-CSCF: the Diameter node behind a seam. */
export interface CxSender {
  /** Hop-by-hop and end-to-end ids for a new request. */
  nextIds(): MessageIds;
  /** A new Session-Id (RFC 6733 §8.8). */
  nextSessionId(): string;
  /** Sends a request to the peer named in its Destination-Host and resolves with the answer. */
  send(request: DiameterMessage): Promise<DiameterMessage>;
}
