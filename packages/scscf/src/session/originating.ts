import { PROFILE_PART, SESSION_CASES } from "@ims/ims";
import { type RequestContext, type SipRequest, addHeader, getNameAddrs, parseUri, serializeUri } from "@ims/sip";
import { ifcsOf, runIfcs } from "./ifc-routing.js";
import type { SessionContext } from "./session-context.js";

/** The served user of an originating request: its (first SIP, else first) P-Asserted-Identity. */
export function assertedUser(req: SipRequest): string | undefined {
  const ids = (getNameAddrs(req, "p-asserted-identity") ?? []).map((na) => na.uri);
  const chosen = ids.find((u) => u.kind === "sip") ?? ids.find((u) => u.kind === "tel");
  return chosen === undefined ? undefined : serializeUri(chosen);
}

/**
 * An initial request from a served user (TS 24.229 §5.4.3.2), arriving along the Service-Route
 * (`sip:orig@...`): the asserted identity must be registered here (else 403), then the originating
 * iFCs run, then the request goes on (see `routeOriginating`).
 */
export async function handleOriginating(ctx: RequestContext, s: SessionContext): Promise<void> {
  const served = assertedUser(ctx.request);
  if (served === undefined) {
    ctx.respond(403, { reason: "Forbidden - No P-Asserted-Identity" });
    return;
  }
  const reg = s.bindings.find(served);
  if (reg === undefined) {
    s.log.debug({ served, method: ctx.method }, "scscf originating request from an unregistered identity");
    ctx.respond(403, { reason: "Forbidden - Not Registered" });
    return;
  }
  const chain = {
    servedUser: served,
    sessionCase: SESSION_CASES.ORIGINATING_SESSION,
    profilePart: PROFILE_PART.REGISTERED,
    ifcs: ifcsOf(reg.subscription, served),
    afterPriority: Number.NEGATIVE_INFINITY,
  };
  if (await runIfcs(ctx, s, chain)) return;
  await routeOriginating(ctx, s);
}

/**
 * After the originating iFCs (§5.4.3.2 step 10-12): a tel URI or a SIP URI of the home domain goes
 * to the I-CSCF (which finds the callee's S-CSCF by LIR), any other is routed by its Request-URI
 * (RFC 3263). We stay on the path (Record-Route) for the dialog. Without `icscfUri` a home-domain
 * request is routed by its Request-URI too; if that reaches an I-CSCF that sends it back to us the
 * stack takes the second pass for a loop (482): configure `icscfUri` when one S-CSCF serves both.
 */
export async function routeOriginating(ctx: RequestContext, s: SessionContext): Promise<void> {
  const u = parseUri(ctx.request.uri);
  if (!u.ok || u.value.kind === "absolute") {
    ctx.respond(416, { reason: "Unsupported URI Scheme" });
    return;
  }
  const home = u.value.kind === "tel" || u.value.host.toLowerCase() === s.domain.toLowerCase();
  s.log.debug({ ruri: ctx.request.uri, home, method: ctx.method }, "scscf originating request onwards");
  if (home && s.icscfUri !== undefined) {
    // On the request itself, not per branch: when the callee is served here too the I-CSCF sends
    // it back to us, and the Route makes this pass's loop hash differ from that one's (a spiral).
    addHeader(ctx.request, "Route", `<${s.icscfUri};lr>`, "first");
    await ctx.forward({}, { recordRoute: s.recordRoute });
    return;
  }
  if (u.value.kind === "tel") {
    ctx.respond(404, { reason: "Not Found - No Route For Tel URI" });
    return;
  }
  await ctx.forward({}, { recordRoute: s.recordRoute });
}
