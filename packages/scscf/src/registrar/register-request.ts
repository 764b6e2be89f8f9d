import { type RegisterRequest, readRegister as readShared } from "@ims/ims";
import { type SipRequest, isHeader } from "@ims/sip";
import { type Result, err } from "@ims/runtime";
import { type SipReply, reply } from "./sip-reply.js";

export { type RegisterRequest, isDeregistration } from "@ims/ims";

const EXPIRES = /^\s*\d+\s*$/;

/**
 * Reads a REGISTER with the CSCFs' shared reader (@ims/ims), plus what only the registrar acts on:
 * a single, well-formed Expires header (RFC 3261 §20.19). The error is the answer to send.
 */
export function readRegister(req: SipRequest, domain: string): Result<RegisterRequest, SipReply> {
  // A loop over the headers, not an array of the Expires values per REGISTER.
  let expires: string | undefined;
  const hs = req.headers;
  for (let i = 0; i < hs.length; i++) {
    const h = hs[i]!;
    if (!isHeader(h, "expires")) continue;
    if (expires !== undefined) return err(reply(400, "Bad Expires Header"));
    expires = h.value;
  }
  if (expires !== undefined && !EXPIRES.test(expires)) return err(reply(400, "Bad Expires Header"));
  const r = readShared(req, domain);
  return r.ok ? r : err(reply(r.error.status, r.error.reason));
}
