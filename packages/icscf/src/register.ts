import { type CxClient, USER_AUTHORIZATION_TYPE, isDeregistration, readRegister } from "@ims/ims";
import type { Logger } from "@ims/runtime";
import { type ForwardOptions, type ForwardTarget, type RequestContext, getPVisitedNetworkIds } from "@ims/sip";
import { refusalForCxError, refusalForRegistration } from "./cx-outcome.js";
import { type ConfiguredScscf, rankScscfs } from "./scscf-selection.js";

export interface RegisterDeps {
  readonly cx: Pick<CxClient, "uar">;
  readonly domain: string;
  readonly scscfs: readonly ConfiguredScscf[];
  readonly log: Logger;
  /** How long an S-CSCF may stay silent before the next is tried (ms, default 5000). */
  readonly scscfTimeout?: number;
}

/** Failover to the next S-CSCF only when one does not answer, never after its 401 or 403. */
const unanswered = (r: { status: number }): boolean => r.status === 408 || r.status === 503;

/**
 * I-CSCF registration procedure (TS 24.229 §5.3.1.2): UAR for the identities of the REGISTER, then
 * the S-CSCF named by the HSS (a re-registration) or chosen from the configured ones by
 * Server-Capabilities (a first registration); the REGISTER goes there with a Route, and on to the
 * next candidate when one does not answer.
 */
export async function handleRegister(ctx: RequestContext, deps: RegisterDeps): Promise<void> {
  const read = readRegister(ctx.request, deps.domain);
  if (!read.ok) {
    ctx.respond(read.error.status, { reason: read.error.reason });
    return;
  }
  const reg = read.value;
  const visited = getPVisitedNetworkIds(ctx.request)?.[0]?.value ?? deps.domain;
  const type = isDeregistration(reg) ? USER_AUTHORIZATION_TYPE.DE_REGISTRATION : USER_AUTHORIZATION_TYPE.REGISTRATION;
  const uaa = await deps.cx.uar({
    userName: reg.impi,
    publicIdentity: reg.impu,
    visitedNetworkIdentifier: visited,
    userAuthorizationType: type,
  });
  if (!uaa.ok) {
    const r = refusalForCxError(uaa.error);
    deps.log.warn({ impu: reg.impu, error: uaa.error.tag }, "UAR failed");
    ctx.respond(r.status, { reason: r.reason });
    return;
  }
  const refusal = refusalForRegistration(uaa.value.result);
  if (refusal !== undefined) {
    ctx.respond(refusal.status, { reason: refusal.reason });
    return;
  }
  const candidates = scscfCandidates(uaa.value.serverName, uaa.value.serverCapabilities, deps.scscfs);
  if (candidates.length === 0) {
    ctx.respond(600, { reason: "Busy Everywhere - no S-CSCF has the capabilities this user needs" });
    return;
  }
  if (deps.log.isLevelEnabled("debug")) deps.log.debug({ impu: reg.impu, candidates }, "REGISTER to S-CSCF");
  const cached = forwarding(deps);
  await ctx.forward(targetsFor(cached, candidates), cached.options);
}

interface Forwarding {
  readonly options: ForwardOptions;
  /** Targets by candidate list (joined): the same few lists for every REGISTER. */
  readonly targets: Map<string, readonly ForwardTarget[]>;
}

const forwardings = new WeakMap<RegisterDeps, Forwarding>();

/** The forward options and targets of one I-CSCF, built once (the proxy only reads them). */
function forwarding(deps: RegisterDeps): Forwarding {
  let f = forwardings.get(deps);
  if (f === undefined) {
    f = { options: { mode: "sequential", tryNextOn: unanswered, branchTimeout: deps.scscfTimeout ?? 5_000 }, targets: new Map() };
    forwardings.set(deps, f);
  }
  return f;
}

function targetsFor(f: Forwarding, candidates: readonly string[]): readonly ForwardTarget[] {
  const key = candidates.length === 1 ? candidates[0]! : candidates.join("\n");
  let t = f.targets.get(key);
  if (t === undefined) {
    t = candidates.map((uri) => ({ routes: [`<${uri};lr>`] }));
    // HSS-named S-CSCFs outside the configured ones could make this grow: keep a bounded few
    if (f.targets.size < 64) f.targets.set(key, t);
  }
  return t;
}

/**
 * The S-CSCFs to try, best first: the one the HSS names, then (failover) the configured ones; or,
 * with capabilities only, the configured ones ranked by them.
 */
export function scscfCandidates(
  serverName: string | undefined,
  capabilities: { mandatory: readonly number[]; optional: readonly number[]; serverNames: readonly string[] } | undefined,
  configured: readonly ConfiguredScscf[],
): string[] {
  if (serverName !== undefined && serverName.length > 0) {
    const out = [serverName];
    for (const s of configured) if (!out.includes(s.uri)) out.push(s.uri);
    return out;
  }
  return rankScscfs(capabilities ?? { mandatory: [], optional: [], serverNames: [] }, configured);
}
