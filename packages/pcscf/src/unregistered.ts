import type { RequestContext } from "@ims/sip";
import type { PcscfContext } from "./context.js";

/**
 * Requests other than REGISTER. Until originating.ts / terminating.ts exist, the P-CSCF serves
 * none: a UE that is not registered through us is refused (TS 24.229 §5.2.6.3.1: the P-CSCF only
 * accepts requests from registered UEs), and so is a registered one, for now, with 501.
 */
export function handleUnregistered(ctx: RequestContext, p: PcscfContext): void {
  const s = ctx.source;
  const registered = p.registrations.fromSource(s.transport, s.address, s.port).length > 0;
  if (!registered) {
    p.log.debug({ method: ctx.method, src: `${s.transport}:${s.address}:${s.port}` }, "request from unregistered UE");
    ctx.respond(403, { reason: "Forbidden - not registered" });
    return;
  }
  ctx.respond(501, { reason: "Not Implemented - calls through this P-CSCF are not served yet" });
}
