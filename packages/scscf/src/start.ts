import { CX_APPLICATION_ID, DiameterNode } from "@ims/diameter";
import { DiameterCxClient, RTR_COMMAND } from "@ims/ims";
import { type Clock, type Logger, type PacketTap, ImsError, silentLogger, systemClock } from "@ims/runtime";
import { NetTransport, type Resolver, SipStack, parseUri } from "@ims/sip";
import { type ScscfConfig, registrationLimits, serviceRouteOf, validateConfig } from "./config.js";
import { answerRtr } from "./cx/rtr-handler.js";
import { type Registrar, createRegistrar } from "./registrar/registrar.js";
import { createRouter } from "./router.js";
import { createSessions } from "./session/session.js";

export interface ScscfDeps {
  readonly logger?: Logger;
  /** Packet tap handed to the SIP and Diameter transports (the lab's capture). */
  readonly tap?: PacketTap;
  readonly clock?: Clock;
  /**
   * RFC 3263 resolution of next hops (the lab passes its DNS resolver): the P-CSCF of a stored Path,
   * the I-CSCF, an application server. Default: literal hosts.
   */
  readonly resolver?: Resolver;
}

/** "ready": SIP bound and the HSS peer open; "hss-down": SIP bound, no Cx; "stopped". */
export type ScscfState = "ready" | "hss-down" | "stopped";

export interface RunningScscf {
  stop(): Promise<void>;
  state(): ScscfState;
  /** The registrar's state, for tests and the lab's status page. */
  readonly registrar: Registrar;
}

/**
 * Starts an S-CSCF: SIP on its own address (UDP+TCP), a Diameter client to the HSS, the registrar.
 * Resolves once SIP is bound and the HSS peer is open, or after `hssWaitMs` with state "hss-down"
 * (the peer keeps reconnecting; REGISTERs meanwhile get 500 "HSS Unreachable").
 */
export async function startScscf(config: ScscfConfig, deps: ScscfDeps = {}): Promise<RunningScscf> {
  const valid = validateConfig(config);
  if (!valid.ok) throw new ImsError("config", valid.error.reason);
  const log = deps.logger ?? silentLogger();
  const clock = deps.clock ?? systemClock;
  const tap = deps.tap === undefined ? {} : { tap: deps.tap };
  const uri = parseUri(config.sip.uri);
  const uriHost = uri.ok && uri.value.kind === "sip" ? [uri.value.host] : [];

  const transport = await NetTransport.open({ address: config.sip.address, port: config.sip.port, logger: log, clock, ...tap });
  let node: DiameterNode;
  try {
    node = await DiameterNode.start({
      originHost: config.diameter.host,
      originRealm: config.diameter.realm,
      bindAddress: config.diameter.address ?? config.sip.address,
      peers: [{ host: config.hss.host, address: config.hss.address, port: config.hss.port, connect: true }],
      requestTimeoutMs: config.cxTimeoutMs ?? 5_000,
      logger: log,
      clock,
      ...tap,
    });
  } catch (e) {
    await transport.close();
    throw e;
  }
  const origin = { originHost: config.diameter.host, originRealm: config.diameter.realm };
  const cx = new DiameterCxClient({
    node,
    destinationRealm: config.hss.realm ?? config.diameter.realm,
    destinationHost: config.hss.host,
    timeoutMs: config.cxTimeoutMs ?? 5_000,
  });
  const registrar = createRegistrar({
    domain: config.domain,
    serverName: config.sip.uri,
    serviceRoute: serviceRouteOf(config.sip.uri),
    limits: registrationLimits(config),
    nonceLifetimeMs: config.nonceLifetimeMs ?? 30_000,
    cx,
    clock,
    log,
  });
  node.handle(CX_APPLICATION_ID, RTR_COMMAND, (req) => answerRtr(registrar.ctx, origin, req));

  const stack = new SipStack({
    transport,
    clock,
    logger: log,
    hosts: [...uriHost, ...(config.sip.hosts ?? [])],
    ...(deps.resolver === undefined ? {} : { resolver: deps.resolver }),
  });
  const sessions = createSessions({
    domain: config.domain,
    serverName: config.sip.uri,
    ...(config.icscfUri === undefined ? {} : { icscfUri: config.icscfUri }),
    ...(config.asTimeoutMs === undefined ? {} : { asTimeoutMs: config.asTimeoutMs }),
    ...(config.trustedAddresses === undefined ? {} : { trustedAddresses: config.trustedAddresses }),
    stack,
    bindings: registrar.ctx.bindings,
    cx,
    clock,
    log,
  });
  stack.onRequest(createRouter(registrar.ctx, log, sessions));

  const opened = await node.waitForPeerOpen(config.hss.host, config.hssWaitMs ?? 3_000);
  const hssOpen = () => {
    const s = node.peerStatus(config.hss.host)?.state;
    return s === "I-Open" || s === "R-Open";
  };
  let stopped = false;
  log.info({ sip: `${transport.local.address}:${transport.local.port}`, hss: opened ? "open" : "down" }, "scscf started");
  return {
    registrar,
    state: () => (stopped ? "stopped" : hssOpen() ? "ready" : "hss-down"),
    stop: async () => {
      if (stopped) return;
      stopped = true;
      registrar.close();
      sessions.close();
      await node.stop("REBOOTING");
      await stack.close();
      log.info("scscf stopped");
    },
  };
}
