import type { CxClient } from "@ims/ims";
import type { Endpoint, Logger } from "@ims/runtime";
import { type SipStack, getRequestUri, isLocalUri, removeHeaders } from "@ims/sip";
import { handleRegister } from "./register.js";
import type { ConfiguredScscf } from "./scscf-selection.js";
import { handleTerminating } from "./terminating.js";

export interface IcscfDeps {
  readonly stack: SipStack;
  readonly cx: Pick<CxClient, "uar" | "lir">;
  readonly domain: string;
  readonly scscfs: readonly ConfiguredScscf[];
  readonly log: Logger;
  /** Where the I-CSCF listens and the names it goes by, to recognise requests addressed to it. */
  readonly local: Endpoint;
  readonly hosts: readonly string[];
  /** Sources whose P-Asserted-Identity is believed; absent: all. */
  readonly trustedAddresses?: readonly string[];
}

/** Methods the I-CSCF routes to a terminating S-CSCF (dialog-creating and standalone requests). */
const ALLOW = "INVITE, ACK, CANCEL, BYE, OPTIONS, MESSAGE, REGISTER, UPDATE, PRACK, INFO, SUBSCRIBE, NOTIFY, REFER";

/**
 * The I-CSCF's request handling: REGISTER by UAR (register.ts), requests to home users by LIR
 * (terminating.ts), OPTIONS addressed to the I-CSCF itself answered here. The I-CSCF keeps no
 * dialog state and does not Record-Route.
 */
export function attachIcscf(deps: IcscfDeps): void {
  const trusted = deps.trustedAddresses === undefined ? undefined : new Set(deps.trustedAddresses);
  deps.stack.onRequest(async (ctx) => {
    // RFC 3325 §5, TS 24.229 §5.3.2.1: an identity asserted from outside the trust domain is not passed on.
    if (trusted !== undefined && !trusted.has(ctx.source.address)) removeHeaders(ctx.request, "p-asserted-identity");
    if (ctx.method === "REGISTER") return handleRegister(ctx, deps);
    if (ctx.method === "OPTIONS" && isLocalUri(getRequestUri(ctx.request), deps.local, deps.hosts)) {
      ctx.respond(200, { headers: [["Allow", ALLOW]] });
      return;
    }
    return handleTerminating(ctx, deps);
  });
}
