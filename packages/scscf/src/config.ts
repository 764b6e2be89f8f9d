import { isIP } from "node:net";
import { type Result, type TaggedError, err, ok } from "@ims/runtime";

/**
 * What `startScscf` needs to know. Defaults follow the lab (DESIGN.md): scscf1 on 127.0.0.11:6060,
 * the HSS at hss.domain.imsprovider.org (127.0.0.77:3868).
 */
export interface ScscfConfig {
  /** Node name, used in logs ("scscf1"). */
  readonly name: string;
  /** Home domain: the realm of challenges and of bare IMPIs ("domain.imsprovider.org"). */
  readonly domain: string;
  readonly sip: {
    readonly address: string;
    readonly port: number;
    /** The SIP URI this S-CSCF advertises (Server-Name in MAR/SAR): "sip:scscf1.domain.imsprovider.org:6060". */
    readonly uri: string;
    /** Host names that also mean this node in Route / Request-URI (default: the URI's host). */
    readonly hosts?: readonly string[];
  };
  readonly diameter: {
    /** Origin-Host ("scscf1.domain.imsprovider.org"). */
    readonly host: string;
    /** Origin-Realm ("domain.imsprovider.org"). */
    readonly realm: string;
    /** Local address Diameter connects from (default: the SIP address). */
    readonly address?: string;
  };
  readonly hss: {
    readonly host: string;
    /** Destination-Realm of Cx requests (default: the S-CSCF's realm). */
    readonly realm?: string;
    readonly address: string;
    readonly port: number;
  };
  readonly registration?: Partial<RegistrationLimits>;
  /** How long a nonce may be answered, ms (default 30 000). */
  readonly nonceLifetimeMs?: number;
  /** Cx answer timeout, ms (default 5 000). */
  readonly cxTimeoutMs?: number;
  /** How long `startScscf` waits for the HSS peer before resolving with state "hss-down" (default 3 000). */
  readonly hssWaitMs?: number;
  /**
   * Where originating requests to the home domain (and tel URIs) go after the iFCs (TS 24.229
   * §5.4.3.2): "sip:icscf.domain.imsprovider.org:4060". Default: routed by the Request-URI (RFC 3263).
   */
  readonly icscfUri?: string;
  /**
   * An INVITE sent to an application server that gives no answer at all (not even 100) within this
   * many ms counts as failed, and the iFC's default handling applies (default 5 000).
   */
  readonly asTimeoutMs?: number;
  /**
   * The trust domain (TS 24.229 §4.4, RFC 3325 §2.3): addresses of the P-CSCFs and I-CSCFs allowed to
   * send requests here. Given, an originating request (Route `orig`) from elsewhere gets 403 and a
   * P-Asserted-Identity from elsewhere is removed, so nobody can bypass the P-CSCF and assert a
   * user's identity. Absent: every source is trusted (a lab without the list).
   */
  readonly trustedAddresses?: readonly string[];
}

/** Binding lifetimes in seconds (RFC 3261 §10.3 steps 7–8; defaults close to Kamailio's registrar). */
export interface RegistrationLimits {
  /** Used when neither the Contact nor the Expires header says. */
  readonly defaultExpires: number;
  /** A non-zero request below this gets 423 Interval Too Brief with Min-Expires. */
  readonly minExpires: number;
  /** Longer requests are shortened to this. */
  readonly maxExpires: number;
  /**
   * Bindings one IMPU may hold; a REGISTER that would pass it gets 403 (default 20). Every binding is
   * a Contact line of the 200 OK, which the I-/P-CSCF must still be able to read (256 header lines).
   */
  readonly maxContacts?: number;
  /** Octets of those Contact lines together (default 32 KB), for the same reason. */
  readonly maxContactBytes?: number;
}

export const DEFAULT_LIMITS: RegistrationLimits = { defaultExpires: 3600, minExpires: 60, maxExpires: 600_000, maxContacts: 20, maxContactBytes: 32 * 1024 };

export type ConfigError = TaggedError<"config"> & { readonly key: string };

const fail = (key: string, what: string): Result<never, ConfigError> =>
  err({ tag: "config", key, reason: `scscf config: ${key} ${what}` });

const isText = (v: unknown): v is string => typeof v === "string" && v.length > 0;
const isPort = (v: unknown): boolean => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 65535;
const isAddress = (v: unknown): boolean => isText(v) && /^(\d{1,3}\.){3}\d{1,3}$|:/.test(v);
const isSeconds = (v: unknown): boolean => Number.isInteger(v) && (v as number) > 0;

/** Checks a config at start-up; the error names the wrong key. */
export function validateConfig(c: ScscfConfig): Result<ScscfConfig, ConfigError> {
  if (!isText(c.name)) return fail("name", "must be a non-empty string");
  if (!isText(c.domain)) return fail("domain", "must be a non-empty string");
  if (!isAddress(c.sip?.address)) return fail("sip.address", "must be an IP address");
  if (!isPort(c.sip.port)) return fail("sip.port", "must be a port number");
  if (!isText(c.sip.uri) || !/^sips?:[^@\s]+$/.test(c.sip.uri)) return fail("sip.uri", "must be a SIP URI without user part");
  if (c.sip.hosts !== undefined && (!Array.isArray(c.sip.hosts) || !c.sip.hosts.every(isText))) {
    return fail("sip.hosts", "must be a list of host names");
  }
  if (!isText(c.diameter?.host)) return fail("diameter.host", "must be a Diameter identity");
  if (!isText(c.diameter.realm)) return fail("diameter.realm", "must be a realm");
  if (c.diameter.address !== undefined && !isAddress(c.diameter.address)) return fail("diameter.address", "must be an IP address");
  if (!isText(c.hss?.host)) return fail("hss.host", "must be a Diameter identity");
  if (c.hss.realm !== undefined && !isText(c.hss.realm)) return fail("hss.realm", "must be a realm");
  if (!isAddress(c.hss.address)) return fail("hss.address", "must be an IP address");
  if (!isPort(c.hss.port) || c.hss.port === 0) return fail("hss.port", "must be a port number");
  const r = c.registration ?? {};
  for (const k of ["defaultExpires", "minExpires", "maxExpires"] as const) {
    if (r[k] !== undefined && !isSeconds(r[k])) return fail(`registration.${k}`, "must be a positive whole number of seconds");
  }
  for (const k of ["maxContacts", "maxContactBytes"] as const) {
    if (r[k] !== undefined && !isSeconds(r[k])) return fail(`registration.${k}`, "must be a positive whole number");
  }
  const limits = registrationLimits(c);
  if (limits.minExpires > limits.maxExpires) return fail("registration.minExpires", "must not exceed maxExpires");
  if (c.icscfUri !== undefined && (!isText(c.icscfUri) || !/^sips?:[^@\s]+$/.test(c.icscfUri))) {
    return fail("icscfUri", "must be a SIP URI without user part");
  }
  const trusted = c.trustedAddresses ?? [];
  for (let i = 0; i < trusted.length; i++) {
    if (isIP(trusted[i] ?? "") === 0) return fail(`trustedAddresses[${i}]`, "must be an IP address");
  }
  for (const k of ["nonceLifetimeMs", "cxTimeoutMs", "hssWaitMs", "asTimeoutMs"] as const) {
    if (c[k] !== undefined && !isSeconds(c[k])) return fail(k, "must be a positive whole number of milliseconds");
  }
  return ok(c);
}

export function registrationLimits(c: ScscfConfig): RegistrationLimits {
  return { ...DEFAULT_LIMITS, ...c.registration };
}

/** The Service-Route this S-CSCF returns (RFC 3608): its URI with user "orig" and lr. */
export function serviceRouteOf(sipUri: string): string {
  const colon = sipUri.indexOf(":");
  return `<${sipUri.slice(0, colon + 1)}orig@${sipUri.slice(colon + 1)};lr>`;
}
