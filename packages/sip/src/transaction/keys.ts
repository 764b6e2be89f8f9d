/**
 * Transaction matching keys (RFC 3261 §17.1.3 for responses to client transactions, §17.2.3 for
 * requests to server transactions) and the CSeq read they need.
 */
import { getCSeq, getFirstVia, getFrom, getCallId } from "../headers/index.js";
import { BRANCH_MAGIC_COOKIE, type SipMessage, type SipRequest } from "../message/index.js";

/**
 * §17.1.3: a response matches the client transaction whose request had the same top Via branch and
 * whose method is the CSeq method (so a CANCEL's response does not match the INVITE).
 */
export function clientKey(msg: SipMessage): string | undefined {
  const branch = getFirstVia(msg)?.branch;
  const cseq = getCSeq(msg);
  if (branch === undefined || cseq === undefined) return undefined;
  return `${branch}|${cseq.method}`;
}

/**
 * §17.2.3: with an RFC 3261 branch, a request matches by branch, sent-by and method, an ACK
 * matching the INVITE. `asMethod` lets a CANCEL look up the INVITE it cancels. Without the magic
 * cookie (RFC 2543 peers) a coarser key of Call-ID, CSeq number, From tag and the top Via is used.
 */
export function serverKey(req: SipRequest, asMethod?: string): string | undefined {
  const via = getFirstVia(req);
  const cseq = getCSeq(req);
  if (via === undefined || cseq === undefined) return undefined;
  const raw = asMethod ?? req.method;
  const method = raw === "ACK" ? "INVITE" : raw;
  const sentBy = `${lower(via.host)}:${via.port ?? ""}`;
  if (via.branch !== undefined && via.branch.startsWith(BRANCH_MAGIC_COOKIE)) return `${via.branch}|${sentBy}|${method}`;
  return `2543|${getCallId(req) ?? ""}|${cseq.seq}|${getFrom(req)?.tag ?? ""}|${sentBy}|${via.branch ?? ""}|${method}`;
}

/** `s` lower-cased; `s` itself when it has no upper-case ASCII letter (an IP address, a usual host name). */
function lower(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 65 && c <= 90) || c > 127) return s.toLowerCase();
  }
  return s;
}
