import type { LabZoneConfig } from "@ims/dns";
import { type LabConfig, pcscfAddress } from "./config.js";

/** The lab's DNS zone as the tutorial's bind9 zone has it, built from the lab config. */
export function labZoneConfig(config: LabConfig): LabZoneConfig {
  return {
    domain: config.domain,
    domainSipNode: config.icscf.name,
    nameserverNode: config.dns.name,
    nodes: [
      ...config.pcscf.map((p) => ({ name: p.name, address: pcscfAddress(config, p.name), sipPort: p.port })),
      ...config.scscf.map((s) => ({ name: s.name, address: s.address, sipPort: s.port })),
      { name: config.icscf.name, address: config.icscf.address, sipPort: config.icscf.port },
      { name: config.hss.name, address: config.hss.address },
      { name: config.dns.name, address: config.dns.address },
      { name: config.rtp.name, address: config.rtp.address },
    ],
  };
}
