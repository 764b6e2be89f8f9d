import { z } from "zod";
import { ImsError } from "@ims/runtime";

const ipv4 = z.string().regex(/^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/, "must be an IPv4 address");
const port = z.number().int().min(0).max(65_535);
const fqdn = z.string().regex(/^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]*[a-z0-9])?$/i, "must be a domain name");

/** HSS process configuration; the lab builds it from config/lab.json. */
export const hssConfigSchema = z
  .object({
    /** Bind address of both Diameter and the provisioning API (DESIGN.md: 127.0.0.77). */
    address: ipv4.default("127.0.0.77"),
    diameterPort: port.default(3868),
    httpPort: port.default(8080),
    /** Home realm (Origin-Realm; UARs from it are never roaming). */
    realm: fqdn.default("domain.imsprovider.org"),
    /** Diameter identity (Origin-Host); defaults to hss.<realm>. */
    host: fqdn.optional(),
    /** SQLite file path, or mysql://user:pass@host:port/db. HSS_DB_URL overrides it. */
    database: z.string().min(1).default("var/hss.sqlite"),
    /** Bearer token of the provisioning API. */
    token: z.string().min(8, "must be at least 8 characters"),
    /** Default subscribers loaded idempotently at start-up (config/subscribers.json), or null. */
    subscribersFile: z.string().min(1).nullable().default(null),
    /** Table prefix (tests sharing one MySQL database). */
    tablePrefix: z.string().regex(/^[a-z0-9_]*$/i).default(""),
  })
  .strict();

export type HssConfigInput = z.input<typeof hssConfigSchema>;
export type HssConfig = z.output<typeof hssConfigSchema> & { readonly host: string };

/** Validates the configuration; a wrong value fails with a message naming the key. */
export function parseHssConfig(value: unknown, env: Readonly<Record<string, string | undefined>> = process.env): HssConfig {
  const r = hssConfigSchema.safeParse(value);
  if (!r.success) {
    throw new ImsError("config-invalid", `hss: ${r.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ")}`);
  }
  const dbUrl = env["HSS_DB_URL"];
  return { ...r.data, host: r.data.host ?? `hss.${r.data.realm}`, ...(dbUrl === undefined || dbUrl === "" ? {} : { database: dbUrl }) };
}
