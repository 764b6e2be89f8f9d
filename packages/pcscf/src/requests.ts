import { type ForwardTarget, type RequestContext, type SipRequest, parseUri } from "@ims/sip";
import type { PcscfContext } from "./context.js";
import { handleOriginating } from "./originating.js";
import { handleTerminating, registrationForTarget, ueDestination } from "./terminating.js";

/**
 * Requests other than REGISTER, told apart by where they come from (TS 24.229 §5.2.6):
 * - from a UE registered through us (its REGISTER's source) → originating.ts;
 * - addressed to the contact of a UE registered through us (over the Path or a dialog's route
 *   set, from the core) → terminating.ts;
 * - anything else is a UE that is not registered: 403 (§5.2.6.3.1).
 */
export async function handleRequest(ctx: RequestContext, p: PcscfContext): Promise<void> {
  const s = ctx.source;
  const mine = p.registrations.fromSource(s.transport, s.address, s.port)[0];
  if (mine !== undefined) return handleOriginating(ctx, p, mine);
  const target = registrationForTarget(ctx.request.uri, p);
  if (target !== undefined) return handleTerminating(ctx, p, target);
  p.log.debug({ method: ctx.method, src: `${s.transport}:${s.address}:${s.port}` }, "request from unregistered UE");
  ctx.respond(403, { reason: "Forbidden - not registered" });
}

/** An ACK for a 2xx with no Route left, to a UE registered through us, goes where the UE really is. */
export function routeAck(ack: SipRequest, forward: (target?: ForwardTarget) => Promise<void>, p: PcscfContext): void {
  const ruri = parseUri(ack.uri);
  if (ruri.ok && p.stack.isLocal(ruri.value)) return; // an ACK for a 2xx of ours ends here
  const routed = ack.headers.some((h) => h.name.toLowerCase() === "route");
  const ue = routed ? undefined : registrationForTarget(ack.uri, p);
  forward(ue === undefined ? undefined : { destination: ueDestination(ue) }).catch((e: unknown) =>
    p.log.debug({ err: String(e) }, "ACK not forwarded"),
  );
}
