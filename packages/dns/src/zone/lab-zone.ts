/**
 * The lab's zone, built from a small config: the records of the tutorial's bind9 zone file for
 * domain.imsprovider.org (SOA, NS, an A per node, `_sip._udp`/`_sip._tcp` SRV for the domain → I-CSCF
 * and for every SIP node), plus RFC 3263 §4.1 NAPTR records (SIP+D2U, SIP+D2T) and AAAA when configured.
 */
import { ImsError } from "@ims/runtime";
import { type ZoneRecord, Zone } from "./zone.js";
import { ipv6Groups } from "../wire/encode.js";
import { nameToLabels } from "../wire/name.js";

export interface LabDnsNode {
  /** Label under the domain, e.g. "pcscf1". */
  readonly name: string;
  readonly address: string;
  /** Adds an AAAA record. */
  readonly ipv6?: string;
  /** The node listens for SIP on this port over UDP and TCP: SRV and NAPTR records are published. */
  readonly sipPort?: number;
}

export interface LabZoneConfig {
  readonly domain: string;
  readonly nodes: readonly LabDnsNode[];
  /** Node that `_sip._udp/_sip._tcp.<domain>` point at (the I-CSCF in the tutorial). Default "icscf". */
  readonly domainSipNode?: string;
  /** Node named by the NS record. Default "ns". */
  readonly nameserverNode?: string;
  /** TTL of every record, seconds. Default 86400 (the tutorial's 1D). */
  readonly ttl?: number;
  readonly serial?: number;
}

/** The lab's default addresses (DESIGN.md, as in the tutorial); `nameserver` is where the responder listens. */
export const LAB_DNS_DEFAULTS = {
  domain: "domain.imsprovider.org",
  nameserver: { address: "127.0.0.66", port: 53 },
  nodes: [
    { name: "pcscf1", address: "127.0.0.33", sipPort: 5060 },
    { name: "scscf1", address: "127.0.0.11", sipPort: 6060 },
    { name: "icscf", address: "127.0.0.55", sipPort: 4060 },
    { name: "hss", address: "127.0.0.77" },
    { name: "ns", address: "127.0.0.66" },
    { name: "rtp", address: "127.0.0.88" },
  ],
  domainSipNode: "icscf",
  nameserverNode: "ns",
  ttl: 86400,
} as const satisfies LabZoneConfig & { nameserver: { address: string; port: number } };

/** The tutorial's SOA timers: refresh 3H, retry 15M, expire 1W, minimum 1D. */
const TUTORIAL_SOA = { mname: "localhost", rname: "root.localhost", refresh: 10800, retry: 900, expire: 604800, minimum: 86400 } as const;

/** RFC 3263 §4.1: UDP preferred (what the tutorial's clients use), TCP next; "s" → SRV lookup of the replacement. */
const NAPTR_SERVICES = [
  { service: "SIP+D2U", srv: "_sip._udp", preference: 10 },
  { service: "SIP+D2T", srv: "_sip._tcp", preference: 20 },
] as const;

function bad(key: string, why: string): never {
  throw new ImsError("dns-config", `${key}: ${why}`);
}

function isIpv4(a: string): boolean {
  const parts = a.split(".");
  return parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}

function validPort(p: number): boolean {
  return Number.isInteger(p) && p > 0 && p < 65536;
}

/** Builds the lab zone; a wrong value throws ImsError naming the config key. */
export function buildLabZone(config: LabZoneConfig): Zone {
  const domain = config.domain.replace(/\.$/, "");
  const labels = nameToLabels(domain);
  if (labels === undefined || labels.length === 0) bad("domain", `"${config.domain}" is not a domain name`);
  const ttl = config.ttl ?? 86400;
  if (!Number.isInteger(ttl) || ttl < 0 || ttl > 0x7fffffff) bad("ttl", `${ttl} is not a TTL in seconds`);
  const fqdn = (label: string): string => `${label}.${domain}`;
  const byName = new Map<string, LabDnsNode>();
  const records: ZoneRecord[] = [];

  config.nodes.forEach((node, i) => {
    const key = `nodes[${i}]`;
    if (!/^[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$/.test(node.name)) bad(`${key}.name`, `"${node.name}" is not a host label`);
    if (byName.has(node.name.toLowerCase())) bad(`${key}.name`, `"${node.name}" appears twice`);
    byName.set(node.name.toLowerCase(), node);
    if (!isIpv4(node.address)) bad(`${key}.address`, `"${node.address}" is not an IPv4 address`);
    records.push({ name: fqdn(node.name), ttl, data: { type: "A", address: node.address } });
    if (node.ipv6 !== undefined) {
      if (ipv6Groups(node.ipv6) === undefined) bad(`${key}.ipv6`, `"${node.ipv6}" is not an IPv6 address`);
      records.push({ name: fqdn(node.name), ttl, data: { type: "AAAA", address: node.ipv6 } });
    }
    if (node.sipPort !== undefined) {
      if (!validPort(node.sipPort)) bad(`${key}.sipPort`, `${node.sipPort} is not a port`);
      records.push(...sipRecords(fqdn(node.name), fqdn(node.name), node.sipPort, ttl));
    }
  });

  const nsName = config.nameserverNode ?? "ns";
  if (!byName.has(nsName.toLowerCase())) bad("nameserverNode", `no node named "${nsName}"`);
  records.push({ name: domain, ttl, data: { type: "NS", host: fqdn(nsName) } });

  const sipName = config.domainSipNode ?? "icscf";
  const sipNode = byName.get(sipName.toLowerCase());
  if (sipNode === undefined) bad("domainSipNode", `no node named "${sipName}"`);
  if (sipNode.sipPort === undefined) bad("domainSipNode", `node "${sipName}" has no sipPort`);
  records.push(...sipRecords(domain, fqdn(sipNode.name), sipNode.sipPort, ttl));

  return Zone.create(domain, { ttl, serial: config.serial ?? 1, ...TUTORIAL_SOA }, records);
}

/** NAPTR at `owner` → `_sip._udp/_tcp.<owner>` SRV 0 0 port target (RFC 3263 §4.1, RFC 2782). */
function sipRecords(owner: string, target: string, port: number, ttl: number): ZoneRecord[] {
  const out: ZoneRecord[] = [];
  for (const s of NAPTR_SERVICES) {
    const srvName = `${s.srv}.${owner}`;
    out.push({
      name: owner,
      ttl,
      data: { type: "NAPTR", order: 10, preference: s.preference, flags: "s", service: s.service, regexp: "", replacement: srvName },
    });
    out.push({ name: srvName, ttl, data: { type: "SRV", priority: 0, weight: 0, port, target } });
  }
  return out;
}
