import { type Clock, type Logger, type PacketTap, ImsError, silentLogger, systemClock } from "@ims/runtime";
import { type Resolver, NetTransport, SipStack, literalResolver } from "@ims/sip";
import { type PcscfConfig, registrationLimits, validateConfig } from "./config.js";
import { type AttachedPcscf, attachPcscf } from "./pcscf.js";
import type { MediaAnchor } from "./media/anchor.js";

export interface PcscfStartDeps {
  /** The node's logger (the lab passes nodeLogger("pcscf1")). */
  readonly logger?: Logger;
  /** Packet tap handed to the SIP transport (the lab's capture). */
  readonly tap?: PacketTap;
  readonly clock?: Clock;
  /**
   * RFC 3263 resolver (the lab wraps packages/dns): finds the I-CSCF from sip:<domain> and every
   * other next hop. Default: the literal one (numeric hosts only; set `icscfUri` then).
   */
  readonly resolver?: Resolver;
  /** The media relay (the lab adapts an ng client): SDP is rewritten so RTP/RTCP flows through it. */
  readonly media?: MediaAnchor;
}

/** "ready": SIP bound on UDP+TCP; "stopped". */
export type PcscfState = "ready" | "stopped";

export interface RunningPcscf {
  stop(): Promise<void>;
  state(): PcscfState;
  /** Registrations, keys and settings, for tests and the lab's status page. */
  readonly pcscf: AttachedPcscf;
  /** Where it listens (the real port when the config asked for 0). */
  readonly local: { readonly address: string; readonly port: number };
}

/**
 * Starts a P-CSCF: SIP on its own address (UDP+TCP, one pino debug line per message in/out from
 * the transport), the registration procedure attached. Throws ImsError("config") naming the key
 * of a wrong config value, ImsError("bind-failed") when the address cannot be bound.
 */
export async function startPcscf(config: PcscfConfig, deps: PcscfStartDeps = {}): Promise<RunningPcscf> {
  const valid = validateConfig(config);
  if (!valid.ok) throw new ImsError("config", valid.error.reason);
  const log = deps.logger ?? silentLogger();
  const clock = deps.clock ?? systemClock;
  const resolver = deps.resolver ?? literalResolver;
  const transport = await NetTransport.open({
    address: config.sip.address,
    port: config.sip.port,
    logger: log,
    clock,
    ...(deps.tap === undefined ? {} : { tap: deps.tap }),
  });
  const hosts = [...(config.sip.hosts ?? []), ...(config.advertisedHost === undefined ? [] : [config.advertisedHost])];
  const stack = new SipStack({ transport, clock, logger: log, hosts, resolver });
  let pcscf: AttachedPcscf;
  try {
    pcscf = attachPcscf({
      stack,
      domain: config.domain,
      name: config.name,
      log,
      clock,
      resolver,
      registration: registrationLimits(config),
      ...(deps.media === undefined ? {} : { media: deps.media }),
      ...(config.advertisedHost === undefined ? {} : { advertisedHost: config.advertisedHost }),
      ...(config.visitedNetworkId === undefined ? {} : { visitedNetworkId: config.visitedNetworkId }),
      ...(config.icscfUri === undefined ? {} : { icscfUri: config.icscfUri }),
    });
  } catch (e) {
    await stack.close();
    throw e;
  }
  let stopped = false;
  const local = transport.local;
  log.info(
    { sip: `${local.address}:${local.port}`, advertised: pcscf.context.advertised.host, icscf: config.icscfUri ?? `sip:${config.domain}` },
    "pcscf started",
  );
  return {
    pcscf,
    local,
    state: () => (stopped ? "stopped" : "ready"),
    stop: async () => {
      if (stopped) return;
      stopped = true;
      pcscf.clear();
      await stack.close();
      log.info("pcscf stopped");
    },
  };
}
