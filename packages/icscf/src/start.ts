import { DiameterNode } from "@ims/diameter";
import { DiameterCxClient } from "@ims/ims";
import { type Clock, type Logger, type PacketTap, systemClock } from "@ims/runtime";
import { NetTransport, type Resolver, SipStack } from "@ims/sip";
import type { IcscfConfig } from "./config.js";
import { attachIcscf } from "./icscf.js";

export interface IcscfStartDeps {
  readonly logger: Logger;
  readonly tap?: PacketTap;
  readonly clock?: Clock;
  /** RFC 3263 resolution of next hops (the lab passes its DNS resolver); default: literal hosts. */
  readonly resolver?: Resolver;
}

export interface RunningIcscf {
  state(): string;
  stop(): Promise<void>;
}

/**
 * Starts an I-CSCF: SIP on its own address (UDP+TCP), a Diameter client to the HSS. Resolves once
 * SIP is bound and the Cx peer is open, or after `hssWaitMs` with state() "hss-down" (requests
 * then get 480 until the HSS comes up; the node keeps reconnecting).
 */
export async function startIcscf(config: IcscfConfig, deps: IcscfStartDeps, hssWaitMs = 10_000): Promise<RunningIcscf> {
  const clock = deps.clock ?? systemClock;
  const log = deps.logger;
  const transport = await NetTransport.open({
    address: config.sip.address,
    port: config.sip.port,
    clock,
    logger: log,
    ...(deps.tap === undefined ? {} : { tap: deps.tap }),
  });
  let node: DiameterNode;
  try {
    node = await DiameterNode.start({
      originHost: config.diameter.host,
      originRealm: config.diameter.realm,
      bindAddress: config.sip.address,
      peers: [{ host: config.diameter.hss.host, address: config.diameter.hss.address, port: config.diameter.hss.port, connect: true }],
      productName: "ims-core I-CSCF",
      clock,
      logger: log,
      ...(deps.tap === undefined ? {} : { tap: deps.tap }),
    });
  } catch (e) {
    await transport.close();
    throw e;
  }
  const stack = new SipStack({
    transport,
    clock,
    logger: log,
    hosts: config.sip.hosts ?? [],
    ...(deps.resolver === undefined ? {} : { resolver: deps.resolver }),
  });
  const cx = new DiameterCxClient({
    node,
    destinationRealm: config.diameter.realm,
    ...(config.diameter.requestTimeout === undefined ? {} : { timeoutMs: config.diameter.requestTimeout }),
  });
  attachIcscf({
    stack,
    cx,
    domain: config.domain,
    scscfs: config.scscfs,
    log,
    local: { address: config.sip.address, port: config.sip.port },
    hosts: config.sip.hosts ?? [],
    ...(config.trustedAddresses === undefined ? {} : { trustedAddresses: config.trustedAddresses }),
  });
  const open = await node.waitForPeerOpen(config.diameter.hss.host, hssWaitMs);
  log.info({ sip: `${config.sip.address}:${config.sip.port}`, hss: open ? "open" : "down" }, "I-CSCF started");
  return {
    state: () => {
      const peer = node.peerStatus(config.diameter.hss.host)?.state;
      return peer === "I-Open" || peer === "R-Open" ? "ready" : "hss-down";
    },
    stop: async () => {
      await node.stop("REBOOTING");
      await transport.close();
    },
  };
}
