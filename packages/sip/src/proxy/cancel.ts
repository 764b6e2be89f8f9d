/**
 * The CANCEL of a request (RFC 3261 §9.1): same Request-URI, Call-ID, From, To, CSeq number and
 * Route set, method CANCEL, and a single Via equal to the request's top Via (so it matches the
 * INVITE's server transaction downstream).
 */
import { getCSeq, getFirstVia, serializeVia } from "../headers/index.js";
import { type SipRequest, createRequest, getHeader, getHeaders } from "../message/index.js";

export function buildCancel(request: SipRequest, reason?: string): SipRequest {
  const via = getFirstVia(request);
  return createRequest({
    method: "CANCEL",
    uri: request.uri,
    headers: [
      ...(via === undefined ? [] : [["Via", serializeVia(via)] as const]),
      ["Max-Forwards", "70"],
      ["From", getHeader(request, "from") ?? ""],
      ["To", getHeader(request, "to") ?? ""],
      ["Call-ID", getHeader(request, "call-id") ?? ""],
      ["CSeq", `${getCSeq(request)?.seq ?? 1} CANCEL`],
      ...getHeaders(request, "route").map((r) => ["Route", r] as const),
      ...(reason === undefined ? [] : [["Reason", reason] as const]),
    ],
  });
}
