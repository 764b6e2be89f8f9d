import {
  DEFAULT_HANDLING,
  type IfcRequest,
  type ImsSubscription,
  type InitialFilterCriteria,
  PROFILE_PART,
  SESSION_CASES,
  matchingIfcs,
} from "@ims/ims";
import { type ForwardTarget, type RequestContext, type SipRequest, addHeader, getHeader, getHeaders, removeFirstValue, removeHeaders } from "@ims/sip";
import { impuKey } from "../storage/bindings.js";
import type { IfcProgress } from "./odi-store.js";
import { type SessionContext, odiRoute } from "./session-context.js";

/** A chain of iFCs to run for one served user, from just after `afterPriority`. */
export type IfcChain = Omit<IfcProgress, "returned">;

/**
 * The iFCs of a served identity: those of the service profile listing it (TS 29.228 §B.2.1; the
 * implicit set may span profiles), else of the first profile.
 */
export function ifcsOf(sub: ImsSubscription | undefined, identity: string): readonly InitialFilterCriteria[] {
  if (sub === undefined) return [];
  const key = impuKey(identity);
  const profile = sub.serviceProfiles.find((p) => p.publicIdentities.some((pi) => impuKey(pi.identity) === key)) ?? sub.serviceProfiles[0];
  return profile?.initialFilterCriteria ?? [];
}

/** What the iFC evaluation may look at in a SIP request (TS 29.228 §B.2.2). */
export function ifcRequest(req: SipRequest): IfcRequest {
  const type = (getHeader(req, "content-type") ?? "").toLowerCase();
  const sdpLines = type.startsWith("application/sdp") ? req.body.toString("utf8").split(/\r?\n/).filter((l) => l.length > 0) : [];
  return { method: req.method, requestUri: req.uri, headers: (name) => getHeaders(req, name), sdpLines };
}

/** The next iFC of the chain that matches the request, in priority order. */
export function nextIfc(chain: IfcChain, req: SipRequest): InitialFilterCriteria | undefined {
  return matchingIfcs(chain.ifcs, ifcRequest(req), chain.sessionCase, chain.profilePart).find((f) => f.priority > chain.afterPriority);
}

const looseRoute = (uri: string): string => (/;lr(;|=|$)/i.test(uri) ? `<${uri}>` : `<${uri};lr>`);

/**
 * P-Served-User for the AS (RFC 5502, TS 24.229 §5.4.3.2 step 4): whom the request is served for,
 * the session case and the registration state. One per request: a previous AS's is replaced.
 */
export function setServedUser(req: SipRequest, chain: IfcChain): void {
  removeHeaders(req, "p-served-user");
  const orig = chain.sessionCase === SESSION_CASES.ORIGINATING_SESSION || chain.sessionCase === SESSION_CASES.ORIGINATING_UNREGISTERED;
  const reg = chain.profilePart === PROFILE_PART.REGISTERED ? "reg" : "unreg";
  addHeader(req, "P-Served-User", `<${chain.servedUser}>;sescase=${orig ? "orig" : "term"};regstate=${reg}`, "last");
}

/** Finals that trigger an AS's default handling (TS 24.229 §5.4.3.4: no answer, 408, 5xx). */
export const asFailed = (status: number): boolean => status === 408 || (status >= 500 && status < 600);

/**
 * Runs the iFC chain (TS 24.229 §5.4.3.2 step 4, §5.4.3.3 step 3; TS 23.218 §6.4): when an iFC
 * matches, the request goes to its AS with Route `<AS;lr>, <us;lr;odi=TOKEN>` so that it comes
 * back to us (and on to the next iFC). Returns false when no iFC is left: the caller routes on.
 *
 * Default handling SESSION_CONTINUED: if the AS fails (408, 5xx, or an INVITE gets no answer within
 * asTimeoutMs) before sending the request back, it is sent to ourselves along the same ODI Route,
 * as if the AS had returned it untouched. SESSION_TERMINATED: the AS's error goes upstream.
 */
export async function runIfcs(ctx: RequestContext, s: SessionContext, chain: IfcChain): Promise<boolean> {
  const req = ctx.request;
  const ifc = nextIfc(chain, req);
  if (ifc === undefined) return false;
  const token = s.odi.add({ ...chain, afterPriority: ifc.priority });
  const as = ifc.applicationServer;
  const continued = (as.defaultHandling ?? DEFAULT_HANDLING.SESSION_CONTINUED) === DEFAULT_HANDLING.SESSION_CONTINUED;
  // Pushed on the request itself (not per branch) so that the loop hash of this pass differs from
  // the one the request has when it comes back with only our ODI Route (a spiral, not a loop).
  addHeader(req, "Route", odiRoute(s.serverName, token), "first");
  addHeader(req, "Route", looseRoute(as.serverName), "first");
  setServedUser(req, chain);
  const toAs: ForwardTarget = {};
  const skipAs: ForwardTarget = { destination: { transport: "udp", address: s.local.address, port: s.local.port } };
  s.log.debug({ servedUser: chain.servedUser, sessionCase: chain.sessionCase, priority: ifc.priority, as: as.serverName, continued }, "scscf iFC matched");
  await ctx.forward(continued ? [toAs, skipAs] : [toAs], {
    mode: "sequential",
    tryNextOn: (r) => s.odi.get(token)?.returned !== true && asFailed(r.status),
    onBranchRequest: (r, target) => {
      if (target === skipAs) removeFirstValue(r, "route");
    },
    ...(req.method === "INVITE" ? { branchTimeout: s.asTimeoutMs } : {}),
  });
  return true;
}
