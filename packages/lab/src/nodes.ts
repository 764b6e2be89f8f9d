import { type LabConfig, pcscfAddress } from "./config.js";

export type Role = "dns" | "hss" | "scscf" | "icscf" | "pcscf" | "rtp";

/** One process of the lab. */
export interface NodeSpec {
  readonly role: Role;
  readonly name: string;
  readonly address: string;
  /** What it listens on, for the table. */
  readonly listens: string;
}

/** Every node of the lab in start order: DNS, HSS and the media relay first, then the CSCFs that need them. */
export function labNodes(config: LabConfig): NodeSpec[] {
  return [
    { role: "dns", name: config.dns.name, address: config.dns.address, listens: `DNS ${config.dns.port} udp+tcp` },
    {
      role: "hss",
      name: config.hss.name,
      address: config.hss.address,
      listens: `Diameter ${config.hss.diameterPort} tcp, HTTP ${config.hss.httpPort}`,
    },
    ...(config.rtp.enabled
      ? [{ role: "rtp" as const, name: config.rtp.name, address: config.rtp.address, listens: `ng ${config.rtp.controlPort} udp` }]
      : []),
    ...config.scscf.map((s) => ({ role: "scscf" as const, name: s.name, address: s.address, listens: `SIP ${s.port} udp+tcp` })),
    { role: "icscf", name: config.icscf.name, address: config.icscf.address, listens: `SIP ${config.icscf.port} udp+tcp` },
    ...config.pcscf.map((p) => ({ role: "pcscf" as const, name: p.name, address: pcscfAddress(config, p.name), listens: `SIP ${p.port} udp+tcp` })),
  ];
}

/** Every address a lab node binds: packets received from these are also tapped by their sender. */
export function nodeAddresses(config: LabConfig): Set<string> {
  return new Set(labNodes(config).map((n) => n.address));
}
