import { type CxClient, identityOfUri } from "@ims/ims";
import type { Logger } from "@ims/runtime";
import type { RequestContext } from "@ims/sip";
import { refusalForCxError, refusalForTerminating } from "./cx-outcome.js";
import { scscfCandidates } from "./register.js";
import type { ConfiguredScscf } from "./scscf-selection.js";

export interface TerminatingDeps {
  readonly cx: Pick<CxClient, "lir">;
  readonly scscfs: readonly ConfiguredScscf[];
  readonly log: Logger;
}

/**
 * I-CSCF for a request to a user of the home network (TS 24.229 §5.3.2.1): LIR for the Request-URI,
 * then on to the S-CSCF the HSS names (or one chosen by capabilities for a user with services for
 * unregistered users). User unknown → 404; not registered → 480.
 */
export async function handleTerminating(ctx: RequestContext, deps: TerminatingDeps): Promise<void> {
  const impu = identityOfUri(ctx.request.uri);
  if (impu === undefined) {
    ctx.respond(416, { reason: "Unsupported URI Scheme" });
    return;
  }
  const lia = await deps.cx.lir({ publicIdentity: impu });
  if (!lia.ok) {
    const r = refusalForCxError(lia.error);
    ctx.respond(r.status, { reason: r.reason });
    return;
  }
  const refusal = refusalForTerminating(lia.value.result);
  if (refusal !== undefined) {
    ctx.respond(refusal.status, { reason: refusal.reason });
    return;
  }
  const candidates = scscfCandidates(lia.value.serverName, lia.value.serverCapabilities, deps.scscfs);
  if (candidates.length === 0) {
    ctx.respond(480, { reason: "Temporarily Unavailable - no S-CSCF for this user" });
    return;
  }
  deps.log.debug({ impu, candidates }, "terminating request to S-CSCF");
  await ctx.forward(
    candidates.map((uri) => ({ routes: [`<${uri};lr>`] })),
    { mode: "sequential", tryNextOn: (r) => r.status === 408 || r.status === 503 },
  );
}
