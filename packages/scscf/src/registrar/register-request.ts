import { type RegisterRequest, readRegister as readShared } from "@ims/ims";
import { type SipRequest, getHeaders } from "@ims/sip";
import { type Result, err } from "@ims/runtime";
import { type SipReply, reply } from "./sip-reply.js";

export { type RegisterRequest, isDeregistration } from "@ims/ims";

/**
 * Reads a REGISTER with the CSCFs' shared reader (@ims/ims), plus what only the registrar acts on:
 * a single, well-formed Expires header (RFC 3261 §20.19). The error is the answer to send.
 */
export function readRegister(req: SipRequest, domain: string): Result<RegisterRequest, SipReply> {
  const expires = getHeaders(req, "expires");
  if (expires.length > 1 || (expires.length === 1 && !/^\s*\d+\s*$/.test(expires[0] ?? ""))) {
    return err(reply(400, "Bad Expires Header"));
  }
  const r = readShared(req, domain);
  return r.ok ? r : err(reply(r.error.status, r.error.reason));
}
