/** Wires a SipResolver for a node from its config: DNS server, or in-process zones, or static hosts; always cached. */
import { type Clock, ImsError } from "@ims/runtime";
import type { Zone } from "../zone/zone.js";
import { type CacheOptions, CachingSource } from "./cache.js";
import { type DnsServerConfig, DnsClient } from "./dns-client.js";
import { type DnsSource, type StaticHosts, HostsSource, ZoneSource } from "./source.js";
import { type SipTransport, SipResolver } from "./sip-resolver.js";

export interface SipResolverConfig {
  readonly clock: Clock;
  /** The DNS server to ask (the lab's responder). */
  readonly server?: DnsServerConfig;
  /** Without a server: answer from these zones in memory (e.g. `buildLabZone(labConfig)`). */
  readonly zones?: readonly Zone[];
  /** Static names (A/AAAA), consulted before the server or zones, like /etc/hosts. */
  readonly hosts?: StaticHosts;
  readonly transports?: readonly SipTransport[];
  readonly families?: readonly (4 | 6)[];
  readonly random?: () => number;
  readonly cache?: CacheOptions;
}

export function createSipResolver(config: SipResolverConfig): SipResolver {
  let base: DnsSource | undefined;
  if (config.server !== undefined) base = new DnsClient(config.server, config.clock);
  else if (config.zones !== undefined) base = new ZoneSource(config.zones);
  if (config.hosts !== undefined) base = new HostsSource(config.hosts, base);
  if (base === undefined) throw new ImsError("dns-config", "resolver: configure a DNS server, zones or static hosts");
  return new SipResolver({
    source: new CachingSource(base, config.clock, config.cache),
    clock: config.clock,
    ...(config.transports !== undefined ? { transports: config.transports } : {}),
    ...(config.families !== undefined ? { families: config.families } : {}),
    ...(config.random !== undefined ? { random: config.random } : {}),
  });
}
