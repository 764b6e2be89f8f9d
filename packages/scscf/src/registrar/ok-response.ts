import { type Binding, type Registration, liveBindings } from "../storage/bindings.js";
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
  const headers: [string, string][] = [];
  if (reg !== undefined) {
    const now = ctx.clock.now();
    // The registration's live bindings, best first, as `bindings.contacts(r.impu)` lists them (reg is
    // what the store holds for r.impu) without a copy when there is nothing to filter or sort.
    const live = liveBindings(reg.bindings, now);
    for (let i = 0; i < live.length; i++) {
      const b = live[i] as Binding;
      const left = Math.max(0, Math.ceil((b.expiresAt - now) / 1000));
      headers.push(["Contact", `<${b.contact}>;expires=${left}${b.params}`]);
    }
    for (const p of r.path) headers.push(["Path", p]);
    headers.push(["Service-Route", ctx.serviceRoute]);
    let associated = "";
    for (let i = 0; i < reg.implicitSet.length; i++) associated += `${i === 0 ? "" : ", "}<${reg.implicitSet[i] as string}>`;
    headers.push(["P-Associated-URI", associated]);
  }
  if (r.supportsPath) headers.push(["Supported", "path"]);
  return reply(200, "OK", headers);
}
