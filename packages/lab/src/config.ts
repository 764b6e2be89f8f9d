import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { z } from "zod";
import { ImsError } from "@ims/runtime";

/**
 * The lab's one configuration file (config/lab.json), validated at start-up: a wrong value fails
 * with a message that names the key, e.g. `config/lab.json: pcscf.0.port: Number must be ≤ 65535`.
 */
const ipv4 = z
  .string()
  .regex(/^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/, "must be an IPv4 address such as 127.0.0.33");
const port = z.number().int().min(1).max(65_535);
const label = z.string().regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, "must be a DNS label (lower case, digits, '-')");
const domainName = z.string().regex(/^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$/, "must be a domain name");

/** The capabilities an S-CSCF offers (Kamailio's s_cscf_capabilities): matched against a user's Server-Capabilities. */
const capabilities = z.array(z.number().int().nonnegative());

export const labConfigSchema = z
  .object({
    $comment: z.string().optional(),
    domain: domainName,
    /**
     * A LAN address of this machine for the (first) P-CSCF: it binds there instead of 127.0.0.X and
     * names itself by it in Via, Path and Record-Route, so clients on other machines (MicroSIP on
     * Windows) can register. null: everything stays on loopback.
     */
    advertisedAddress: ipv4.nullable().default(null),
    dns: z.object({ name: label, address: ipv4, port }).strict(),
    hss: z
      .object({
        name: label,
        address: ipv4,
        diameterPort: port,
        httpPort: port,
        /** SQLite file (relative to the config file) or mysql://… URL; HSS_DB_URL overrides it. */
        database: z.string().min(1),
        /** Default subscribers, loaded idempotently at start-up (relative to the config file). */
        subscribers: z.string().min(1),
        token: z.string().min(8, "must be at least 8 characters"),
      })
      .strict(),
    icscf: z.object({ name: label, address: ipv4, port }).strict(),
    scscf: z.array(z.object({ name: label, address: ipv4, port, capabilities }).strict()).min(1),
    pcscf: z.array(z.object({ name: label, address: ipv4, port }).strict()).min(1),
    rtp: z
      .object({
        /** Start the media relay and anchor media in it (the tutorial's FORCE_RTPRELAY). */
        enabled: z.boolean(),
        name: label,
        address: ipv4,
        controlPort: port,
        portMin: port,
        portMax: port,
      })
      .strict()
      .refine((r) => r.portMin < r.portMax, { message: "portMin must be below portMax", path: ["portMin"] }),
    ues: z.array(z.object({ user: z.string().min(1), address: ipv4, port, password: z.string() }).strict()),
  })
  .strict();

export type LabConfig = z.infer<typeof labConfigSchema> & {
  /** Directory of the config file: relative paths in it are resolved from here. */
  readonly baseDir: string;
};

/** Validates a parsed config object; throws an ImsError naming every wrong key. */
export function parseLabConfig(value: unknown, source = "config", baseDir = process.cwd()): LabConfig {
  const parsed = labConfigSchema.safeParse(value);
  if (parsed.success) return { ...parsed.data, baseDir };
  const problems = parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
  throw new ImsError("config-invalid", `${source}: ${problems.join("; ")}`);
}

/** Reads and validates a config file. */
export function loadLabConfig(path: string): LabConfig {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new ImsError("config-unreadable", `${path}: ${(e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ImsError("config-invalid", `${path}: not JSON (${(e as Error).message})`);
  }
  return parseLabConfig(json, path, dirname(resolve(path)));
}

/** A path from the config, resolved from the config file's directory (URLs pass through). */
export function configPath(config: LabConfig, value: string): string {
  return /^[a-z]+:\/\//.test(value) ? value : resolve(config.baseDir, value);
}

/** Where a P-CSCF listens: the advertised LAN address for the first one when set. */
export function pcscfAddress(config: LabConfig, name: string): string {
  const p = config.pcscf.find((x) => x.name === name);
  if (p === undefined) throw new ImsError("config-invalid", `no P-CSCF named ${name}`);
  return config.advertisedAddress !== null && config.pcscf[0]?.name === name ? config.advertisedAddress : p.address;
}

/** Fully qualified name of a node, e.g. pcscf1.domain.imsprovider.org. */
export function fqdn(config: LabConfig, name: string): string {
  return `${name}.${config.domain}`;
}
