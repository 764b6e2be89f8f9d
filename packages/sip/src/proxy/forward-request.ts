/**
 * Building the request of one proxy branch (RFC 3261 §16.6 steps 1-8, RFC 3327/3608 route pushes):
 * copy, new Request-URI, Max-Forwards decremented, Record-Route, pushed Routes, strict-route
 * fix-up, next hop, and our Via with a loop-detecting branch.
 */
import type { Endpoint } from "@ims/runtime";
import { getMaxForwards } from "../headers/index.js";
import { type SipRequest, addHeader, cloneMessage, setHeader } from "../message/index.js";
import type { Destination } from "../transport/types.js";
import { proxyBranch, pushVia } from "./branch.js";
import { type Resolver, nextHopUri } from "./routing.js";

/** Where and how one branch goes. */
export interface ForwardTarget {
  /** New Request-URI (a registered contact, a resolved target); default: unchanged. */
  readonly uri?: string;
  /** Route values pushed on top of the request's Route set for this branch (Path, Service-Route, an AS). */
  readonly routes?: readonly string[];
  /** Send here instead of resolving the next hop (an outbound proxy, a flow of RFC 5626). */
  readonly destination?: Destination;
  /** Extra header lines for this branch. */
  readonly headers?: readonly (readonly [string, string])[];
}

export interface BranchBuild {
  /** Record-Route: true inserts `<sip:our-address:port;lr>`, a string inserts that value. */
  readonly recordRoute?: boolean | string | undefined;
  readonly local: Endpoint;
  /** Host written in Via sent-by (default: our address). */
  readonly viaHost?: string;
  /** Loop hash of the request as received (see branch.ts). */
  readonly loopHash: string;
  readonly resolver: Resolver;
}

export interface PreparedBranch {
  readonly request: SipRequest;
  readonly destination: Destination | undefined;
}

/**
 * Steps 1-7 of one branch: the copy of `original` with its new Request-URI, Max-Forwards,
 * Record-Route, pushed Routes and extra headers; strict-route fix-up when it resolves the next hop.
 */
export function buildBranchRequest(original: SipRequest, target: ForwardTarget, b: BranchBuild): SipRequest {
  const req = cloneMessage(original);
  if (target.uri !== undefined) req.uri = target.uri;
  const mf = getMaxForwards(req);
  setHeader(req, "Max-Forwards", String(mf === undefined ? 70 : Math.max(0, mf - 1)));
  if (b.recordRoute !== undefined && b.recordRoute !== false) {
    const rr = b.recordRoute === true ? `<sip:${b.local.address}:${b.local.port};lr>` : b.recordRoute;
    addHeader(req, "Record-Route", rr, "first");
  }
  const routes = target.routes;
  if (routes !== undefined) for (let i = routes.length - 1; i >= 0; i--) addHeader(req, "Route", routes[i]!, "first");
  const extra = target.headers;
  if (extra !== undefined) for (const [name, value] of extra) addHeader(req, name, value, "last");
  return req;
}

/**
 * Where a branch request goes: the target's destination, else its next hop (§16.6 steps 6-7, which
 * may rewrite a strict route) through the resolver. A Promise only when the resolver returns one.
 */
export function branchDestination(
  req: SipRequest,
  target: ForwardTarget,
  resolver: Resolver,
): Destination | undefined | Promise<Destination | undefined> {
  if (target.destination !== undefined) return target.destination;
  const hop = nextHopUri(req);
  return hop === undefined ? undefined : resolver(hop);
}

/** Step 8: our Via on top, with a branch carrying the loop hash (transport UDP when no destination). */
export function addBranchVia(req: SipRequest, destination: Destination | undefined, b: BranchBuild): void {
  const sentBy = b.viaHost === undefined ? b.local : { address: b.local.address, port: b.local.port, host: b.viaHost };
  pushVia(req, destination?.transport ?? "udp", sentBy, proxyBranch(b.loopHash));
}

export async function prepareBranch(original: SipRequest, target: ForwardTarget, b: BranchBuild): Promise<PreparedBranch> {
  const req = buildBranchRequest(original, target, b);
  const destination = await branchDestination(req, target, b.resolver);
  addBranchVia(req, destination, b);
  return { request: req, destination };
}
