import { SESSION_CASES } from "@ims/ims";
import { type RequestContext, getHeader, getTo, parseUri, removeFirstValue, removeHeaders, topRouteUri } from "@ims/sip";
import { runIfcs } from "./ifc-routing.js";
import type { IfcProgress } from "./odi-store.js";
import { handleOriginating, routeOriginating } from "./originating.js";
import type { SessionContext } from "./session-context.js";
import { deliverToContacts, handleTerminating } from "./terminating.js";

/**
 * Every request other than REGISTER (and OPTIONS to us) — TS 24.229 §5.4.3: inside a dialog it
 * follows its Route set; an initial one is told apart by the Route it arrived with (ours, before the
 * stack removed it): `odi=` → back from an application server, user "orig" → originating
 * (§5.4.3.2), else terminating (§5.4.3.3).
 */
export async function handleSession(ctx: RequestContext, s: SessionContext): Promise<void> {
  const req = ctx.request;
  if (getTo(req)?.tag !== undefined) return inDialog(ctx, s);
  const route = ctx.localRoute;
  const odi = route?.params.get("odi");
  if (typeof odi === "string") {
    const progress = s.odi.get(odi);
    if (progress === undefined) {
      ctx.respond(400, { reason: "Bad Request - Unknown Original Dialog Identifier" });
      return;
    }
    return continueAfterAs(ctx, s, progress);
  }
  if (isRegEventSubscribe(ctx)) {
    // TS 24.229 §5.4.2.1: the S-CSCF is the notifier of the reg event package; not done yet.
    ctx.respond(489, { reason: "Bad Event - reg event package not supported yet" });
    return;
  }
  if (!s.isTrusted(ctx.source.address)) {
    // TS 24.229 §4.4: outside the trust domain nothing is originated and no identity is asserted.
    if (route?.user === "orig") {
      ctx.respond(403, { reason: "Forbidden - originating requests come through a P-CSCF" });
      return;
    }
    removeHeaders(req, "p-asserted-identity");
  }
  if (route?.user === "orig") return handleOriginating(ctx, s);
  return handleTerminating(ctx, s);
}

/** The request came back from an AS (or skipped a failed one): next iFC, else onwards (§5.4.3.2 step 4). */
async function continueAfterAs(ctx: RequestContext, s: SessionContext, progress: IfcProgress): Promise<void> {
  progress.returned = true;
  removeHeaders(ctx.request, "p-served-user"); // for the AS only: not beyond our trust domain's ASs
  const { returned: _, ...chain } = progress;
  if (await runIfcs(ctx, s, chain)) return;
  const originating = chain.sessionCase === SESSION_CASES.ORIGINATING_SESSION || chain.sessionCase === SESSION_CASES.ORIGINATING_UNREGISTERED;
  if (originating) return routeOriginating(ctx, s);
  return deliverToContacts(ctx, s, chain.servedUser);
}

/**
 * A request inside a dialog (RFC 3261 §16.12): along its Route set. When a request passed us twice
 * on the way in (originating and terminating S-CSCF are one node) its Route set names us twice in
 * a row: drop those too rather than send to ourselves.
 */
async function inDialog(ctx: RequestContext, s: SessionContext): Promise<void> {
  const req = ctx.request;
  for (let top = topRouteUri(req); top !== undefined && s.isLocal(top); top = topRouteUri(req)) removeFirstValue(req, "route");
  const ruri = parseUri(req.uri);
  if (topRouteUri(req) === undefined && ruri.ok && ruri.value.kind === "sip" && s.isLocal(ruri.value)) {
    ctx.respond(481, { reason: "Call/Transaction Does Not Exist" });
    return;
  }
  await ctx.forward({});
}

const isRegEventSubscribe = (ctx: RequestContext): boolean =>
  ctx.method === "SUBSCRIBE" && /^\s*reg\s*(;|$)/i.test(getHeader(ctx.request, "event") ?? "");
