import { type Avp, type DiameterMessage, type MessageIds, answerTo, avp, createRequest, findAvps, getValue, getValues } from "../codec/index.js";
import { type ApplicationId, type DisconnectCauseName, type LocalIdentity, type PeerCapabilities, DISCONNECT_CAUSE, RELAY_APPLICATION_ID } from "./types.js";

/** Result-Codes the peer layer answers with (RFC 6733 §7.1). */
export const PEER_RESULT = {
  SUCCESS: 2001,
  UNKNOWN_PEER: 3010,
  ELECTION_LOST: 4003,
  MISSING_AVP: 5005,
  NO_COMMON_APPLICATION: 5010,
  UNABLE_TO_COMPLY: 5012,
} as const;

function originAvps(local: LocalIdentity): Avp[] {
  return [avp("Origin-Host", local.originHost), avp("Origin-Realm", local.originRealm)];
}

function applicationAvps(apps: readonly ApplicationId[]): Avp[] {
  const out: Avp[] = [];
  for (const a of apps) {
    if (a.vendorId === undefined) {
      if (a.authApplicationId !== undefined) out.push(avp("Auth-Application-Id", a.authApplicationId));
      if (a.acctApplicationId !== undefined) out.push(avp("Acct-Application-Id", a.acctApplicationId));
      continue;
    }
    const members = [avp("Vendor-Id", a.vendorId)];
    if (a.authApplicationId !== undefined) members.push(avp("Auth-Application-Id", a.authApplicationId));
    else if (a.acctApplicationId !== undefined) members.push(avp("Acct-Application-Id", a.acctApplicationId));
    out.push(avp("Vendor-Specific-Application-Id", members));
  }
  return out;
}

/** CER/CEA body after Origin-Host/Realm, in CCF order (RFC 6733 §5.3.1). */
function capabilityAvps(local: LocalIdentity): Avp[] {
  const out = local.hostIpAddresses.map((ip) => avp("Host-IP-Address", ip));
  out.push(avp("Vendor-Id", local.vendorId), avp("Product-Name", local.productName), avp("Origin-State-Id", local.originStateId));
  for (const v of local.supportedVendorIds) out.push(avp("Supported-Vendor-Id", v));
  out.push(...applicationAvps(local.applications));
  if (local.firmwareRevision !== undefined) out.push(avp("Firmware-Revision", local.firmwareRevision));
  return out;
}

export function buildCer(local: LocalIdentity, ids: MessageIds): DiameterMessage {
  return createRequest("CER", [...originAvps(local), ...capabilityAvps(local)], ids);
}

/** CEA to `cer` with a Result-Code; an error CEA carries Error-Message and sets the E bit for 3xxx (§7.2). */
export function buildCea(local: LocalIdentity, cer: DiameterMessage, resultCode: number, errorMessage?: string): DiameterMessage {
  const avps = [avp("Result-Code", resultCode), ...originAvps(local), ...capabilityAvps(local)];
  if (errorMessage !== undefined) avps.push(avp("Error-Message", errorMessage));
  return answerTo(cer, avps, { error: resultCode >= 3000 && resultCode < 4000 });
}

export function buildDwr(local: LocalIdentity, ids: MessageIds): DiameterMessage {
  return createRequest("DWR", [...originAvps(local), avp("Origin-State-Id", local.originStateId)], ids);
}

export function buildDwa(local: LocalIdentity, dwr: DiameterMessage): DiameterMessage {
  return answerTo(dwr, [avp("Result-Code", PEER_RESULT.SUCCESS), ...originAvps(local), avp("Origin-State-Id", local.originStateId)]);
}

export function buildDpr(local: LocalIdentity, ids: MessageIds, cause: DisconnectCauseName): DiameterMessage {
  return createRequest("DPR", [...originAvps(local), avp("Disconnect-Cause", DISCONNECT_CAUSE[cause])], ids);
}

export function buildDpa(local: LocalIdentity, dpr: DiameterMessage): DiameterMessage {
  return answerTo(dpr, [avp("Result-Code", PEER_RESULT.SUCCESS), ...originAvps(local)]);
}

function advertisedApplications(msg: DiameterMessage): ApplicationId[] {
  const apps: ApplicationId[] = [];
  for (const id of getValues(msg, "Auth-Application-Id")) apps.push({ authApplicationId: id });
  for (const id of getValues(msg, "Acct-Application-Id")) apps.push({ acctApplicationId: id });
  for (const g of findAvps(msg, "Vendor-Specific-Application-Id")) {
    const members = g.avps ?? [];
    const vendorId = getValue(members, "Vendor-Id") ?? 0;
    const auth = getValue(members, "Auth-Application-Id");
    const acct = getValue(members, "Acct-Application-Id");
    if (auth !== undefined) apps.push({ vendorId, authApplicationId: auth });
    if (acct !== undefined) apps.push({ vendorId, acctApplicationId: acct });
  }
  return apps;
}

function ids(apps: readonly ApplicationId[]): Set<number> {
  const s = new Set<number>();
  for (const a of apps) {
    if (a.authApplicationId !== undefined) s.add(a.authApplicationId);
    if (a.acctApplicationId !== undefined) s.add(a.acctApplicationId);
  }
  return s;
}

/**
 * Application ids both sides support (RFC 6733 §5.3: "If none of the applications are common, the
 * CEA MUST return 5010"). A relay (0xffffffff) on either side takes all of the other side's.
 */
export function commonApplications(local: readonly ApplicationId[], remote: readonly ApplicationId[]): number[] {
  const mine = ids(local);
  const theirs = ids(remote);
  if (theirs.has(RELAY_APPLICATION_ID)) return [...mine];
  if (mine.has(RELAY_APPLICATION_ID)) return [...theirs];
  return [...mine].filter((id) => theirs.has(id));
}

/** Capabilities a CER or CEA advertises, or the name of a missing mandatory AVP. */
export function readCapabilities(msg: DiameterMessage, local: LocalIdentity): PeerCapabilities | { readonly missing: string } {
  const originHost = getValue(msg, "Origin-Host");
  if (originHost === undefined || originHost === "") return { missing: "Origin-Host" };
  const originRealm = getValue(msg, "Origin-Realm");
  if (originRealm === undefined || originRealm === "") return { missing: "Origin-Realm" };
  const applications = advertisedApplications(msg);
  return {
    originHost,
    originRealm,
    hostIpAddresses: getValues(msg, "Host-IP-Address"),
    vendorId: getValue(msg, "Vendor-Id") ?? 0,
    productName: getValue(msg, "Product-Name") ?? "",
    applications,
    commonApplicationIds: commonApplications(local.applications, applications),
    relay: ids(applications).has(RELAY_APPLICATION_ID),
  };
}

/**
 * RFC 6733 §5.6.4 election: the responder compares its own Origin-Host with the one received in the
 * CER as octet strings; the higher one wins.
 */
export function winsElection(localOriginHost: string, peerOriginHost: string): boolean {
  return Buffer.compare(Buffer.from(localOriginHost, "utf8"), Buffer.from(peerOriginHost, "utf8")) > 0;
}
