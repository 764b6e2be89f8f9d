import type { Registration } from "../storage/bindings.js";
import type { RegistrarContext } from "./context.js";
import type { RegisterRequest } from "./register-request.js";
import { type SipReply, reply } from "./sip-reply.js";

/**
 * The 200 OK to a REGISTER (TS 24.229 §5.4.1.2.2 step f-i; RFC 3261 §10.3 step 8): every current
 * Contact of the AOR with its remaining lifetime, the Path as received (RFC 3327 §5.3), the
 * Service-Route of this S-CSCF (RFC 3608) and the implicit registration set in P-Associated-URI
 * (RFC 3455 §4.1), default identity first.
 */
export function okReply(ctx: RegistrarContext, r: RegisterRequest, reg: Registration | undefined): SipReply {
  const now = ctx.clock.now();
  const headers: [string, string][] = [];
  for (const b of reg === undefined ? [] : ctx.bindings.contacts(r.impu)) {
    const left = Math.max(0, Math.ceil((b.expiresAt - now) / 1000));
    headers.push(["Contact", `<${b.contact}>;expires=${left}${b.params}`]);
  }
  if (reg !== undefined) {
    for (const p of r.path) headers.push(["Path", p]);
    headers.push(["Service-Route", ctx.serviceRoute]);
    headers.push(["P-Associated-URI", reg.implicitSet.map((u) => `<${u}>`).join(", ")]);
  }
  if (r.supportsPath) headers.push(["Supported", "path"]);
  return reply(200, "OK", headers);
}
