/**
 * The ACK a client INVITE transaction sends for a non-2xx final response (RFC 3261 §17.1.1.3):
 * same Request-URI, Call-ID, From, CSeq number (method ACK), the To of the response, only the top
 * Via of the INVITE (same branch) and the INVITE's Route headers.
 */
import { type SipRequest, type SipResponse, createRequest, getHeader, getHeaders } from "../message/index.js";
import { getCSeq, getFirstVia, serializeVia } from "../headers/index.js";

export function ackForNon2xx(invite: SipRequest, response: SipResponse): SipRequest {
  const topVia = getFirstVia(invite);
  const firstVia = topVia === undefined ? [] : [["Via", serializeVia(topVia)] as const];
  const seq = getCSeq(invite)?.seq ?? 1;
  return createRequest({
    method: "ACK",
    uri: invite.uri,
    headers: [
      ...firstVia,
      ["Max-Forwards", "70"],
      ["From", getHeader(invite, "from") ?? ""],
      ["To", getHeader(response, "to") ?? getHeader(invite, "to") ?? ""],
      ["Call-ID", getHeader(invite, "call-id") ?? ""],
      ["CSeq", `${seq} ACK`],
      ...getHeaders(invite, "route").map((r) => ["Route", r] as const),
    ],
  });
}
