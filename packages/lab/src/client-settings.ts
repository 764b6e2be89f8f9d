import { type LabConfig, pcscfAddress } from "./config.js";
import type { NodeStatus } from "./supervisor.js";

/** The table `npm run lab` prints once every node is ready. */
export function statusTable(nodes: readonly NodeStatus[], config: LabConfig): string {
  const rows = nodes.map((n) => [n.spec.name, n.spec.role.toUpperCase(), n.spec.address, n.spec.listens, n.state]);
  const header = ["node", "role", "address", "listens", "state"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join("  ");
  return [`IMS lab for ${config.domain}`, line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

/** Client settings in the tutorial's terms: a PJSUA command line per UE and a MicroSIP settings list. */
export function clientSettings(config: LabConfig): string {
  const p = config.pcscf[0];
  if (p === undefined) return "";
  const proxyHost = pcscfAddress(config, p.name);
  const out: string[] = [];
  for (const ue of config.ues) {
    out.push(
      `PJSUA (user ${ue.user}):`,
      `  pjsua --id=sip:${ue.user}@${config.domain} --username=${ue.user}@${config.domain} --password=${ue.password} \\`,
      `    --local-port=${ue.port} --bound-addr=${ue.address} --ip-addr=${ue.address} \\`,
      `    --nameserver=${config.dns.address} --proxy="sip:pcscf1.${config.domain};lr" \\`,
      `    --registrar=sip:${config.domain} --realm=${config.domain} --use-ims --no-tcp --null-audio --add-codec=PCMA/8000`,
      `  (without our DNS: --proxy="sip:${proxyHost}:${p.port};lr")`,
    );
  }
  const a = config.ues[0];
  if (a !== undefined) {
    out.push(
      "MicroSIP (Account):",
      `  SIP Server: ${config.domain}`,
      `  SIP Proxy: ${proxyHost}:${p.port}`,
      `  Username: ${a.user}`,
      `  Domain: ${config.domain}`,
      `  Login: ${a.user}@${config.domain}`,
      `  Password: ${a.password}`,
      "  Transport: UDP",
    );
  }
  return out.join("\n");
}
