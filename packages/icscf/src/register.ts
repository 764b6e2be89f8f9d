import { type CxClient, USER_AUTHORIZATION_TYPE, isDeregistration, readRegister } from "@ims/ims";
import type { Logger } from "@ims/runtime";
import { type RequestContext, getPVisitedNetworkIds } from "@ims/sip";
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
  deps.log.debug({ impu: reg.impu, candidates }, "REGISTER to S-CSCF");
  await ctx.forward(
    candidates.map((uri) => ({ routes: [`<${uri};lr>`] })),
    { mode: "sequential", tryNextOn: unanswered, branchTimeout: deps.scscfTimeout ?? 5_000 },
  );
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
    return [...new Set([serverName, ...configured.map((s) => s.uri)])];
  }
  return rankScscfs(capabilities ?? { mandatory: [], optional: [], serverNames: [] }, configured);
}
