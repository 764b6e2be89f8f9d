import { identityOfParsedUri } from "@ims/ims";
import { type ForwardTarget, type RequestContext, type SipRequest, getFrom, getNameAddrs, getTo, parseUri } from "@ims/sip";
import type { PcscfContext } from "./context.js";
import type { UeRegistration } from "./storage/registrations.js";
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
  const mine = senderRegistration(p.registrations.fromSource(s.transport, s.address, s.port), ctx.request);
  if (mine !== undefined) return handleOriginating(ctx, p, mine);
  const target = registrationForTarget(ctx.request.uri, p, getTo(ctx.request)?.tag !== undefined);
  if (target !== undefined) return handleTerminating(ctx, p, target);
  p.log.debug({ method: ctx.method, src: `${s.transport}:${s.address}:${s.port}` }, "request from unregistered UE");
  ctx.respond(403, { reason: "Forbidden - not registered" });
}

/** An ACK for a 2xx with no Route left, to a UE registered through us, goes where the UE really is. */
export function routeAck(ack: SipRequest, forward: (target?: ForwardTarget) => Promise<void>, p: PcscfContext): void {
  const ruri = parseUri(ack.uri);
  if (ruri.ok && p.stack.isLocal(ruri.value)) return; // an ACK for a 2xx of ours ends here
  const routed = ack.headers.some((h) => h.name.toLowerCase() === "route");
  const ue = routed ? undefined : registrationForTarget(ack.uri, p, true);
  // An ACK with SDP answers an offer a 2xx made; still routed on, it comes from our UE (orig pass).
  const anchored = p.media === undefined ? Promise.resolve("none" as const) : p.media.request(ack, routed ? "orig" : "term");
  anchored
    .then(() => forward(ue === undefined ? undefined : { destination: ueDestination(ue) }))
    .catch((e: unknown) => p.log.debug({ err: String(e) }, "ACK not forwarded"));
}

/**
 * Which of the registrations behind a source sent this request: several users may share one source
 * (a NAT, a SIPp instance), so the one whose identities hold the From URI (or the
 * P-Preferred-Identity) wins; with one registration, that one.
 */
export function senderRegistration(candidates: readonly UeRegistration[], req: SipRequest): UeRegistration | undefined {
  if (candidates.length <= 1) return candidates[0];
  const wanted = [...(getNameAddrs(req, "p-preferred-identity") ?? []), ...(getFrom(req) === undefined ? [] : [getFrom(req)!])]
    .map((na) => identityOfParsedUri(na.uri));
  for (const id of wanted) {
    const hit = candidates.find((r) => r.aor === id || r.impus.includes(id));
    if (hit !== undefined) return hit;
  }
  return candidates[0];
}
