import { type Clock, type Logger, silentLogger } from "@ims/runtime";
import { type Resolver, type SipStack, literalResolver, parseUri } from "@ims/sip";
import { newIcid } from "./charging.js";
import { DEFAULT_REGISTRATION_LIMITS, type PcscfRegistrationLimits } from "./config.js";
import { type PcscfContext, registrationKey } from "./context.js";
import { handleRegister } from "./register.js";
import { RegistrationStore } from "./storage/registrations.js";
import { SecurityKeyStore } from "./storage/security-keys.js";
import { handleRequest, routeAck } from "./requests.js";
import type { MediaAnchor } from "./media/anchor.js";
import { MediaSessions } from "./media/media-sessions.js";

export interface PcscfDeps {
  readonly stack: SipStack;
  /** Home domain ("domain.imsprovider.org"). */
  readonly domain: string;
  /** Node name for logs and icid-values (default "pcscf"). */
  readonly name?: string;
  readonly log?: Logger;
  /** Default: the stack's clock. */
  readonly clock?: Clock;
  /** RFC 3263 resolver used to find the I-CSCF (default: the literal one, host/port of the URI). */
  readonly resolver?: Resolver;
  /** Host in Via and Path (default: the stack's address). */
  readonly advertisedHost?: string;
  /** Default: the home domain. */
  readonly visitedNetworkId?: string;
  /** The I-CSCF to send REGISTERs to instead of resolving sip:<domain>. */
  readonly icscfUri?: string;
  readonly registration?: Partial<PcscfRegistrationLimits>;
  /** icid-value generator (tests pass a fixed one). */
  readonly newIcid?: () => string;
  /** The media relay: when given, SDP offers and answers are rewritten so RTP/RTCP flows through it. */
  readonly media?: MediaAnchor;
}

/** A P-CSCF attached to a stack: its state, for `state()`, tests and later procedures. */
export interface AttachedPcscf {
  readonly context: PcscfContext;
  /** Forgets every registration and key (stop). */
  clear(): void;
}

/**
 * Attaches the P-CSCF's request handling to a stack (pure of I/O: the stack may run on a
 * FakeNetwork). REGISTER → register.ts; other requests → requests.ts (originating.ts for a
 * registered UE, terminating.ts towards one, 403 for a UE that is not registered).
 */
export function attachPcscf(deps: PcscfDeps): AttachedPcscf {
  const name = deps.name ?? "pcscf";
  const log = deps.log ?? silentLogger();
  const clock = deps.clock ?? deps.stack.clock;
  const local = deps.stack.transport.local;
  const icscfText = deps.icscfUri ?? `sip:${deps.domain}`;
  const icscf = parseUri(icscfText);
  if (!icscf.ok || icscf.value.kind !== "sip") throw new Error(`pcscf: icscfUri ${icscfText} is not a SIP URI`);
  const keys = new SecurityKeyStore(clock);
  const registrations = new RegistrationStore(clock, (r) => {
    log.debug({ impu: r.aor, contact: r.contact }, "registration expired");
    const key = registrationKey(r.aor, r);
    if (!registrations.forAor(r.aor).some((o) => registrationKey(o.aor, o) === key)) keys.delete(key);
  });
  const context: PcscfContext = {
    name,
    stack: deps.stack,
    clock,
    log,
    domain: deps.domain,
    advertised: { host: deps.advertisedHost ?? local.address, port: local.port },
    visitedNetworkId: deps.visitedNetworkId ?? deps.domain,
    icscf: icscf.value,
    resolver: deps.resolver ?? literalResolver,
    registrations,
    keys,
    limits: { ...DEFAULT_REGISTRATION_LIMITS, ...deps.registration },
    newIcid: deps.newIcid ?? (() => newIcid(name)),
    ...(deps.media === undefined ? {} : { media: new MediaSessions(deps.media, log, clock) }),
  };
  deps.stack.onRequest((ctx) => {
    if (ctx.method === "REGISTER") return handleRegister(ctx, context);
    return handleRequest(ctx, context);
  });
  deps.stack.onAck((ack, forward) => routeAck(ack, forward, context));
  return {
    context,
    clear: () => {
      registrations.clear();
      keys.clear();
      context.media?.clear();
    },
  };
}
