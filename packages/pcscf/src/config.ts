import { type Result, type TaggedError, err, ok } from "@ims/runtime";
import { parseUri } from "@ims/sip";

/**
 * What `startPcscf` needs to know. Defaults follow the lab (DESIGN.md): pcscf1 on 127.0.0.33:5060,
 * the I-CSCF found by RFC 3263 on the home domain (→ icscf:4060).
 */
export interface PcscfConfig {
  /** Node name, used in logs ("pcscf1"). */
  readonly name: string;
  /** Home domain ("domain.imsprovider.org"): the only registrar this P-CSCF forwards REGISTERs to. */
  readonly domain: string;
  readonly sip: {
    readonly address: string;
    readonly port: number;
    /** Host names that also mean this node (its FQDN, "pcscf1.domain.imsprovider.org"). */
    readonly hosts?: readonly string[];
  };
  /**
   * Host written in Via and Path instead of `sip.address` (a LAN address or a name), so clients on
   * other machines can register and the core can reach us. Default: `sip.address`.
   */
  readonly advertisedHost?: string;
  /** P-Visited-Network-ID value (RFC 7315 §4.3). Default: the home domain. */
  readonly visitedNetworkId?: string;
  /** Send REGISTERs to this I-CSCF instead of resolving the home domain (labs without DNS). */
  readonly icscfUri?: string;
  readonly registration?: Partial<PcscfRegistrationLimits>;
}

export interface PcscfRegistrationLimits {
  /** Registrations (IMPU × contact) kept at most; a REGISTER from a new UE beyond it gets 503. */
  readonly maxRegistrations: number;
  /** Seconds a registration is kept after the expiry the 200 OK gave (a late re-REGISTER). */
  readonly graceSeconds: number;
  /** Seconds ck/ik of an unanswered challenge are kept (the S-CSCF's nonce lifetime). */
  readonly challengeKeySeconds: number;
}

export const DEFAULT_REGISTRATION_LIMITS: PcscfRegistrationLimits = {
  maxRegistrations: 100_000,
  graceSeconds: 0,
  challengeKeySeconds: 60,
};

export type ConfigError = TaggedError<"config"> & { readonly key: string };

const fail = (key: string, what: string): Result<never, ConfigError> =>
  err({ tag: "config", key, reason: `pcscf config: ${key} ${what}` });

const isText = (v: unknown): v is string => typeof v === "string" && v.length > 0;
const isPort = (v: unknown): boolean => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 65535;
const isAddress = (v: unknown): boolean => isText(v) && /^(\d{1,3}\.){3}\d{1,3}$|:/.test(v);
const isHost = (v: unknown): boolean => isText(v) && /^[A-Za-z0-9.\-:[\]]+$/.test(v);

/** Checks a config at start-up; the error names the wrong key. */
export function validateConfig(c: PcscfConfig): Result<PcscfConfig, ConfigError> {
  if (!isText(c.name)) return fail("name", "must be a non-empty string");
  if (!isHost(c.domain)) return fail("domain", "must be a domain name");
  if (!isAddress(c.sip?.address)) return fail("sip.address", "must be an IP address");
  if (!isPort(c.sip.port)) return fail("sip.port", "must be a port number");
  if (c.sip.hosts !== undefined && !c.sip.hosts.every(isHost)) return fail("sip.hosts", "must be host names");
  if (c.advertisedHost !== undefined && !isHost(c.advertisedHost)) return fail("advertisedHost", "must be an address or host name");
  if (c.advertisedHost === undefined && (c.sip.address === "0.0.0.0" || c.sip.address === "::")) {
    return fail("advertisedHost", "is needed when sip.address is a wildcard (Via and Path must name a reachable address)");
  }
  if (c.visitedNetworkId !== undefined && !isText(c.visitedNetworkId)) return fail("visitedNetworkId", "must be a non-empty string");
  if (c.icscfUri !== undefined) {
    const u = parseUri(c.icscfUri);
    if (!u.ok || u.value.kind !== "sip") return fail("icscfUri", "must be a SIP URI such as sip:127.0.0.55:4060");
  }
  const r = c.registration ?? {};
  if (r.maxRegistrations !== undefined && !(Number.isInteger(r.maxRegistrations) && r.maxRegistrations > 0)) {
    return fail("registration.maxRegistrations", "must be a positive whole number");
  }
  for (const k of ["graceSeconds", "challengeKeySeconds"] as const) {
    const v = r[k];
    if (v !== undefined && !(Number.isInteger(v) && v >= 0)) return fail(`registration.${k}`, "must be a whole number of seconds");
  }
  return ok(c);
}

export function registrationLimits(c: PcscfConfig): PcscfRegistrationLimits {
  return { ...DEFAULT_REGISTRATION_LIMITS, ...c.registration };
}
