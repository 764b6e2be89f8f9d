import { isIP } from "node:net";
import { type Clock, type Logger, type PacketTap, ImsError } from "@ims/runtime";
import type { ApplicationId, LocalIdentity, PeerTimers } from "../peer/index.js";
import type { StreamTransport } from "../transport/index.js";

/** A configured peer (RFC 6733 §2.1: Diameter over TCP, port 3868 by default). */
export interface PeerConfig {
  /** The peer's Diameter identity (the Origin-Host it sends). */
  readonly host: string;
  readonly address: string;
  readonly port?: number;
  /** true: we open the connection (and reconnect every Tc); false: we only accept the peer's. */
  readonly connect: boolean;
}

export interface DiameterNodeConfig {
  readonly originHost: string;
  readonly originRealm: string;
  /** The node's own address: the listener and every outgoing connection bind to it (127.0.0.X). */
  readonly bindAddress: string;
  /** Listen on bindAddress:listenPort; absent: client only. 0 picks a free port. */
  readonly listenPort?: number;
  /** Host-IP-Address AVPs; default [bindAddress]. */
  readonly hostIpAddresses?: readonly string[];
  readonly productName?: string;
  readonly vendorId?: number;
  readonly firmwareRevision?: number;
  /** Applications advertised in CER/CEA; default Cx (Vendor-Specific, 10415, 16777216). */
  readonly applications?: readonly ApplicationId[];
  /** Default: the vendor ids of `applications`. */
  readonly supportedVendorIds?: readonly number[];
  readonly peers?: readonly PeerConfig[];
  /** Accept a CER from a host not in `peers` (otherwise CEA 3010 DIAMETER_UNKNOWN_PEER). */
  readonly acceptUnknownPeers?: boolean;
  readonly timers?: Partial<PeerTimers>;
  /** Default timeout of a request (ms); default 5000. */
  readonly requestTimeoutMs?: number;
  /** How long answers are kept to answer duplicate requests (same Origin-Host and End-to-End id); default 30 s. */
  readonly duplicateWindowMs?: number;
  /** Bound on the duplicate cache; default 50,000 answers. */
  readonly duplicateCacheSize?: number;
  readonly maxMessageSize?: number;
  readonly clock?: Clock;
  readonly logger?: Logger;
  readonly tap?: PacketTap;
  /** Default TCP; tests pass a FakeNetwork. */
  readonly transport?: StreamTransport;
  /** Origin-State-Id; default: seconds since the epoch at start (RFC 6733 §8.16). */
  readonly originStateId?: number;
}

export const DIAMETER_PORT = 3868;
export const CX_APPLICATION: ApplicationId = { vendorId: 10415, authApplicationId: 16777216 };

function fail(key: string, why: string): never {
  throw new ImsError("diameter-config", `${key}: ${why}`);
}

/** Validates the configuration at start-up (a wrong value throws naming its key) and builds the CER identity. */
export function localIdentity(c: DiameterNodeConfig): LocalIdentity {
  if (c.originHost.trim() === "") fail("originHost", "empty");
  if (c.originRealm.trim() === "") fail("originRealm", "empty");
  if (isIP(c.bindAddress) === 0) fail("bindAddress", `not an IP address: ${c.bindAddress}`);
  const ips = c.hostIpAddresses ?? [c.bindAddress];
  if (ips.length === 0) fail("hostIpAddresses", "at least one address is needed");
  ips.forEach((ip, i) => {
    if (isIP(ip) === 0) fail(`hostIpAddresses[${i}]`, `not an IP address: ${ip}`);
  });
  if (c.listenPort !== undefined && (!Number.isInteger(c.listenPort) || c.listenPort < 0 || c.listenPort > 65535)) fail("listenPort", String(c.listenPort));
  (c.peers ?? []).forEach((p, i) => {
    if (p.host.trim() === "") fail(`peers[${i}].host`, "empty");
    if (isIP(p.address) === 0) fail(`peers[${i}].address`, `not an IP address: ${p.address}`);
    if (p.port !== undefined && (!Number.isInteger(p.port) || p.port <= 0 || p.port > 65535)) fail(`peers[${i}].port`, String(p.port));
    if (p.host === c.originHost) fail(`peers[${i}].host`, "is this node's own Origin-Host");
  });
  const applications = c.applications ?? [CX_APPLICATION];
  if (applications.length === 0) fail("applications", "at least one application is needed (RFC 6733 §5.3)");
  const vendors = [...new Set(applications.flatMap((a) => (a.vendorId === undefined || a.vendorId === 0 ? [] : [a.vendorId])))];
  return {
    originHost: c.originHost,
    originRealm: c.originRealm,
    hostIpAddresses: ips,
    vendorId: c.vendorId ?? 0,
    productName: c.productName ?? "ims-core",
    ...(c.firmwareRevision === undefined ? {} : { firmwareRevision: c.firmwareRevision }),
    originStateId: c.originStateId ?? Math.floor(Date.now() / 1000) >>> 0,
    supportedVendorIds: c.supportedVendorIds ?? vendors,
    applications,
  };
}
