import type { Clock, Logger } from "@ims/runtime";
import { type RequestContext, type SipRequest, type SipStack, parseUri, topRouteUri } from "@ims/sip";
import type { CxClient } from "../cx/cx-client.js";
import type { BindingStore } from "../storage/bindings.js";
import { OdiStore } from "./odi-store.js";
import type { SessionContext } from "./session-context.js";
import { handleSession } from "./session-router.js";

export interface SessionOptions {
  readonly domain: string;
  /** Our SIP URI ("sip:scscf1.domain.imsprovider.org:6060"): Record-Route, ODI Route, SAR Server-Name. */
  readonly serverName: string;
  readonly icscfUri?: string;
  readonly asTimeoutMs?: number;
  /** Sources allowed to send originating requests and assert identities; absent: all. */
  readonly trustedAddresses?: readonly string[];
  /** The stack the session procedures run on. */
  readonly stack: SipStack;
  /** The registrar's bindings (contacts, Path, the user profile with its iFCs). */
  readonly bindings: BindingStore;
  readonly cx: Pick<CxClient, "sar">;
  readonly clock: Clock;
  readonly log: Logger;
}

/** The S-CSCF's session side: what the router hands every request but REGISTER. */
export interface Sessions {
  readonly ctx: SessionContext;
  handle(rc: RequestContext): Promise<void>;
  /** A request addressed to this S-CSCF itself (Request-URI names us, no Route left): OPTIONS ping. */
  isForUs(req: SipRequest): boolean;
  close(): void;
}

export function createSessions(o: SessionOptions): Sessions {
  const trusted = o.trustedAddresses === undefined ? undefined : new Set(o.trustedAddresses);
  const ctx: SessionContext = {
    domain: o.domain,
    serverName: o.serverName,
    recordRoute: `<${o.serverName};lr>`,
    ...(o.icscfUri === undefined ? {} : { icscfUri: o.icscfUri }),
    asTimeoutMs: o.asTimeoutMs ?? 5_000,
    local: o.stack.transport.local,
    bindings: o.bindings,
    cx: o.cx,
    odi: new OdiStore(o.clock),
    isLocal: (uri) => o.stack.isLocal(uri),
    isTrusted: (address) => trusted === undefined || trusted.has(address),
    clock: o.clock,
    log: o.log,
  };
  return {
    ctx,
    handle: (rc) => handleSession(rc, ctx),
    isForUs: (req) => {
      const u = parseUri(req.uri);
      return u.ok && u.value.kind === "sip" && u.value.user === undefined && o.stack.isLocal(u.value) && topRouteUri(req) === undefined;
    },
    close: () => ctx.odi.clear(),
  };
}
