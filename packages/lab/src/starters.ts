import { type Logger, type PacketTap, systemClock } from "@ims/runtime";
import type { LabConfig } from "./config.js";
import type { NodeSpec, Role } from "./nodes.js";
import { configPath, fqdn, pcscfAddress } from "./config.js";
import { dnsResolver } from "./sip-resolver.js";
import { labZoneConfig } from "./zone.js";
import { ngMediaAnchor } from "./media-anchor.js";

/** A started node, as the lab sees it. */
export interface RunningNode {
  /** One word for the table: "ready", "open" (Diameter peers up)... */
  state(): string;
  /** Stops cleanly: DPR to Diameter peers, sockets closed. */
  stop(): Promise<void>;
}

export interface StartContext {
  readonly config: LabConfig;
  readonly spec: NodeSpec;
  readonly logger: Logger;
  readonly tap: PacketTap | undefined;
}

export type Starter = (ctx: StartContext) => Promise<RunningNode>;

// Each starter imports its node's package when it runs: a node process loads its own role's code,
// not every node's (the HSS's database layers are megabytes of heap the CSCFs' collector would mark).

const startDns: Starter = async ({ config, logger, tap }) => {
  const { buildLabZone, startResponder } = await import("@ims/dns");
  const responder = await startResponder({
    zones: buildLabZone(labZoneConfig(config)),
    address: config.dns.address,
    port: config.dns.port,
    logger,
    ...(tap === undefined ? {} : { tap }),
  });
  return { state: () => "ready", stop: () => responder.stop() };
};

const startHssNode: Starter = async ({ config, logger, tap }) => {
  const h = config.hss;
  const { startHss } = await import("@ims/hss");
  const hss = await startHss(
    {
      address: h.address,
      diameterPort: h.diameterPort,
      httpPort: h.httpPort,
      realm: config.domain,
      host: fqdn(config, h.name),
      database: configPath(config, h.database),
      token: h.token,
      subscribersFile: configPath(config, h.subscribers),
    },
    { logger, ...(tap === undefined ? {} : { tap }) },
  );
  return { state: () => "ready", stop: () => hss.stop() };
};

/**
 * The SIP trust domain (TS 24.229 §4.4): the lab's own CSCFs. Only they may send originating
 * requests to an S-CSCF or assert an identity.
 */
function cscfAddresses(config: LabConfig): string[] {
  return [...config.pcscf.map((p) => pcscfAddress(config, p.name)), config.icscf.address, ...config.scscf.map((s) => s.address)];
}

/** The HSS as every Diameter client of the lab sees it. */
function hssPeer(config: LabConfig): { host: string; address: string; port: number } {
  return { host: fqdn(config, config.hss.name), address: config.hss.address, port: config.hss.diameterPort };
}

const startIcscfNode: Starter = async ({ config, logger, tap }) => {
  const i = config.icscf;
  const { startIcscf } = await import("@ims/icscf");
  return startIcscf(
    {
      name: i.name,
      domain: config.domain,
      sip: { address: i.address, port: i.port, hosts: [fqdn(config, i.name)] },
      diameter: { host: fqdn(config, i.name), realm: config.domain, hss: hssPeer(config) },
      scscfs: config.scscf.map((s) => ({ uri: `sip:${fqdn(config, s.name)}:${s.port}`, capabilities: s.capabilities })),
      trustedAddresses: cscfAddresses(config),
    },
    {
      logger,
      ...(tap === undefined ? {} : { tap }),
      resolver: dnsResolver(config.dns, systemClock, i.address, tap),
    },
  );
};

const startScscfNode: Starter = async ({ config, spec, logger, tap }) => {
  const s = config.scscf.find((x) => x.name === spec.name);
  if (s === undefined) throw new Error(`no S-CSCF ${spec.name} in the config`);
  const host = fqdn(config, s.name);
  const { startScscf } = await import("@ims/scscf");
  return startScscf(
    {
      name: s.name,
      domain: config.domain,
      sip: { address: s.address, port: s.port, uri: `sip:${host}:${s.port}`, hosts: [host] },
      diameter: { host, realm: config.domain },
      hss: hssPeer(config),
      // Home-domain requests go on to the I-CSCF by a Route of their own (TS 24.229 §5.4.3.2).
      icscfUri: `sip:${fqdn(config, config.icscf.name)}:${config.icscf.port}`,
      trustedAddresses: cscfAddresses(config),
    },
    {
      logger,
      ...(tap === undefined ? {} : { tap }),
      // Path (P-CSCF), I-CSCF (SRV of the domain) and AS next hops by the lab's DNS.
      resolver: dnsResolver(config.dns, systemClock, s.address, tap),
    },
  );
};

const startPcscfNode: Starter = async ({ config, spec, logger, tap }) => {
  const p = config.pcscf.find((x) => x.name === spec.name);
  if (p === undefined) throw new Error(`no P-CSCF ${spec.name} in the config`);
  const address = pcscfAddress(config, p.name);
  const { startPcscf } = await import("@ims/pcscf");
  // With the relay on, the P-CSCF anchors media in it over ng, sent from its own address.
  const ng = config.rtp.enabled
    ? await (await import("@ims/rtp-relay")).NgClient.open({ address: config.rtp.address, port: config.rtp.controlPort, localAddress: address, retryMs: 250, retries: 2 })
    : undefined;
  const started = startPcscf(
    {
      name: p.name,
      domain: config.domain,
      sip: { address, port: p.port, hosts: [fqdn(config, p.name)] },
      // Path and Record-Route name the P-CSCF as the tutorial's Kamailio does (pcscf1.<domain>), or
      // by the LAN address clients on other machines reach it at.
      advertisedHost: config.advertisedAddress ?? fqdn(config, p.name),
    },
    {
      logger,
      ...(tap === undefined ? {} : { tap }),
      resolver: dnsResolver(config.dns, systemClock, address, tap),
      ...(ng === undefined ? {} : { media: ngMediaAnchor(ng) }),
    },
  );
  const pcscf = await started.catch((e: unknown) => {
    ng?.close();
    throw e;
  });
  return {
    state: () => pcscf.state(),
    stop: async () => {
      await pcscf.stop();
      ng?.close();
    },
  };
};

const startRtpNode: Starter = async ({ config, logger, tap }) => {
  const r = config.rtp;
  const { startRtpRelay } = await import("@ims/rtp-relay");
  const relay = await startRtpRelay({
    address: r.address,
    controlPort: r.controlPort,
    portMin: r.portMin,
    portMax: r.portMax,
    logger,
    ...(tap === undefined ? {} : { tap }),
  });
  return { state: () => "ready", stop: () => relay.stop() };
};

/**
 * How each role is started inside its process. Each entry maps the lab config onto the node
 * package's own start function; the node packages know nothing of the lab.
 */
export const starters: Partial<Record<Role, Starter>> = {
  dns: startDns,
  hss: startHssNode,
  icscf: startIcscfNode,
  scscf: startScscfNode,
  pcscf: startPcscfNode,
  rtp: startRtpNode,
};
