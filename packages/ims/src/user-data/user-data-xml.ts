import { err, ok, type Result, type TaggedError } from "@ims/runtime";
import {
  type ApplicationServerRef,
  type DefaultHandling,
  type IdentityType,
  type ImsSubscription,
  type InitialFilterCriteria,
  type ProfilePartIndicator,
  type PublicIdentity,
  type RegistrationType,
  type ServicePointTrigger,
  type ServiceProfile,
  type SessionCase,
  type SptCondition,
  type TriggerPoint,
} from "./types.js";
import { child, childText, children, escapeXml, parseXml, type XmlElement } from "./xml-tree.js";

/** TS 29.228 Annex E: the User-Data AVP of SAA/PPR carries this document. */
export function serializeUserData(sub: ImsSubscription): string {
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<IMSSubscription xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="CxDataType.xsd">',
    el("PrivateID", sub.privateId),
  ];
  for (const sp of sub.serviceProfiles) out.push(serviceProfileXml(sp));
  out.push("</IMSSubscription>");
  return out.join("");
}

const el = (name: string, value: string | number): string => `<${name}>${escapeXml(String(value))}</${name}>`;
const flag = (b: boolean): string => (b ? "1" : "0");

function serviceProfileXml(sp: ServiceProfile): string {
  let s = "<ServiceProfile>";
  for (const pi of sp.publicIdentities) s += publicIdentityXml(pi);
  if (sp.subscribedMediaProfileId !== undefined) {
    s += `<CoreNetworkServicesAuthorization>${el("SubscribedMediaProfileId", sp.subscribedMediaProfileId)}</CoreNetworkServicesAuthorization>`;
  }
  for (const ifc of sp.initialFilterCriteria) s += ifcXml(ifc);
  return s + "</ServiceProfile>";
}

function publicIdentityXml(pi: PublicIdentity): string {
  let s = "<PublicIdentity>";
  if (pi.barringIndication !== undefined) s += el("BarringIndication", flag(pi.barringIndication));
  s += el("Identity", pi.identity);
  if (pi.identityType !== undefined || pi.wildcardedPsi !== undefined || pi.displayName !== undefined) {
    s += "<Extension>";
    if (pi.identityType !== undefined) s += el("IdentityType", pi.identityType);
    if (pi.wildcardedPsi !== undefined) s += el("WildcardedPSI", pi.wildcardedPsi);
    if (pi.displayName !== undefined) s += `<Extension>${el("DisplayName", pi.displayName)}</Extension>`;
    s += "</Extension>";
  }
  return s + "</PublicIdentity>";
}

function ifcXml(ifc: InitialFilterCriteria): string {
  let s = `<InitialFilterCriteria>${el("Priority", ifc.priority)}`;
  if (ifc.triggerPoint !== undefined) s += triggerPointXml(ifc.triggerPoint);
  const as = ifc.applicationServer;
  s += `<ApplicationServer>${el("ServerName", as.serverName)}`;
  if (as.defaultHandling !== undefined) s += el("DefaultHandling", as.defaultHandling);
  if (as.serviceInfo !== undefined) s += el("ServiceInfo", as.serviceInfo);
  if (as.includeRegisterRequest === true || as.includeRegisterResponse === true) {
    s += "<Extension>";
    if (as.includeRegisterRequest === true) s += "<IncludeRegisterRequest/>";
    if (as.includeRegisterResponse === true) s += "<IncludeRegisterResponse/>";
    s += "</Extension>";
  }
  s += "</ApplicationServer>";
  if (ifc.profilePartIndicator !== undefined) s += el("ProfilePartIndicator", ifc.profilePartIndicator);
  return s + "</InitialFilterCriteria>";
}

function triggerPointXml(tp: TriggerPoint): string {
  let s = `<TriggerPoint>${el("ConditionTypeCNF", flag(tp.conditionTypeCnf))}`;
  for (const spt of tp.spt) {
    s += `<SPT>${el("ConditionNegated", flag(spt.conditionNegated))}`;
    for (const g of spt.group) s += el("Group", g);
    s += conditionXml(spt.condition);
    if (spt.registrationType !== undefined && spt.registrationType.length > 0) {
      s += `<Extension>${spt.registrationType.map((r) => el("RegistrationType", r)).join("")}</Extension>`;
    }
    s += "</SPT>";
  }
  return s + "</TriggerPoint>";
}

function conditionXml(c: SptCondition): string {
  switch (c.kind) {
    case "method":
      return el("Method", c.method);
    case "requestUri":
      return el("RequestURI", c.requestUri);
    case "sessionCase":
      return el("SessionCase", c.sessionCase);
    case "sipHeader":
      return `<SIPHeader>${el("Header", c.header)}${c.content === undefined ? "" : el("Content", c.content)}</SIPHeader>`;
    case "sessionDescription":
      return `<SessionDescription>${el("Line", c.line)}${c.content === undefined ? "" : el("Content", c.content)}</SessionDescription>`;
  }
}

export type UserDataError = TaggedError<"user-data-invalid">;

class Invalid extends Error {}
const invalid = (reason: string): never => {
  throw new Invalid(reason);
};

function int(text: string | undefined, what: string, max = 0x7fffffff): number {
  if (text === undefined || !/^\d+$/.test(text)) return invalid(`${what}: expected an integer`);
  const v = Number(text);
  return v > max ? invalid(`${what}: out of range`) : v;
}

function bool(text: string | undefined, what: string): boolean {
  if (text === "1" || text === "true") return true;
  if (text === "0" || text === "false") return false;
  return invalid(`${what}: expected 0 or 1`);
}

/** Parses the User-Data XML of an SAA/PPR (what the S-CSCF needs). Never throws. */
export function parseUserData(xml: string): Result<ImsSubscription, UserDataError> {
  const tree = parseXml(xml);
  if (!tree.ok) return err({ tag: "user-data-invalid", reason: tree.error.reason });
  try {
    const root = tree.value;
    if (root.name !== "IMSSubscription") invalid("root element must be IMSSubscription");
    const privateId = childText(root, "PrivateID") ?? invalid("PrivateID missing");
    const serviceProfiles = children(root, "ServiceProfile").map(readServiceProfile);
    if (serviceProfiles.length === 0) invalid("no ServiceProfile");
    return ok({ privateId, serviceProfiles });
  } catch (e) {
    if (e instanceof Invalid) return err({ tag: "user-data-invalid", reason: e.message });
    throw e;
  }
}

function readServiceProfile(sp: XmlElement): ServiceProfile {
  const publicIdentities = children(sp, "PublicIdentity").map(readPublicIdentity);
  if (publicIdentities.length === 0) invalid("ServiceProfile without PublicIdentity");
  const initialFilterCriteria = children(sp, "InitialFilterCriteria").map(readIfc);
  const cn = child(sp, "CoreNetworkServicesAuthorization");
  const media = cn === undefined ? undefined : childText(cn, "SubscribedMediaProfileId");
  return media === undefined
    ? { publicIdentities, initialFilterCriteria }
    : { publicIdentities, initialFilterCriteria, subscribedMediaProfileId: int(media, "SubscribedMediaProfileId") };
}

function readPublicIdentity(pi: XmlElement): PublicIdentity {
  const identity = childText(pi, "Identity") ?? invalid("PublicIdentity without Identity");
  const barring = childText(pi, "BarringIndication");
  const ext = child(pi, "Extension");
  const type = ext === undefined ? undefined : childText(ext, "IdentityType");
  const wildcard = ext === undefined ? undefined : childText(ext, "WildcardedPSI");
  const ext2 = ext === undefined ? undefined : child(ext, "Extension");
  const display = ext2 === undefined ? undefined : childText(ext2, "DisplayName");
  return {
    identity,
    ...(barring === undefined ? {} : { barringIndication: bool(barring, "BarringIndication") }),
    ...(type === undefined ? {} : { identityType: int(type, "IdentityType", 2) as IdentityType }),
    ...(wildcard === undefined ? {} : { wildcardedPsi: wildcard }),
    ...(display === undefined ? {} : { displayName: display }),
  };
}

function readIfc(ifc: XmlElement): InitialFilterCriteria {
  const priority = int(childText(ifc, "Priority"), "Priority");
  const tpEl = child(ifc, "TriggerPoint");
  const asEl = child(ifc, "ApplicationServer") ?? invalid("InitialFilterCriteria without ApplicationServer");
  const ppi = childText(ifc, "ProfilePartIndicator");
  return {
    priority,
    ...(tpEl === undefined ? {} : { triggerPoint: readTriggerPoint(tpEl) }),
    applicationServer: readAs(asEl),
    ...(ppi === undefined ? {} : { profilePartIndicator: int(ppi, "ProfilePartIndicator", 1) as ProfilePartIndicator }),
  };
}

function readAs(as: XmlElement): ApplicationServerRef {
  const serverName = childText(as, "ServerName") ?? invalid("ApplicationServer without ServerName");
  const dh = childText(as, "DefaultHandling");
  const info = child(as, "ServiceInfo");
  const ext = child(as, "Extension");
  return {
    serverName,
    ...(dh === undefined ? {} : { defaultHandling: int(dh, "DefaultHandling", 1) as DefaultHandling }),
    ...(info === undefined ? {} : { serviceInfo: info.text }),
    ...(ext !== undefined && child(ext, "IncludeRegisterRequest") !== undefined ? { includeRegisterRequest: true } : {}),
    ...(ext !== undefined && child(ext, "IncludeRegisterResponse") !== undefined ? { includeRegisterResponse: true } : {}),
  };
}

function readTriggerPoint(tp: XmlElement): TriggerPoint {
  const conditionTypeCnf = bool(childText(tp, "ConditionTypeCNF"), "ConditionTypeCNF");
  return { conditionTypeCnf, spt: children(tp, "SPT").map(readSpt) };
}

function readSpt(spt: XmlElement): ServicePointTrigger {
  const negated = childText(spt, "ConditionNegated");
  const group = children(spt, "Group").map((g) => int(g.text.trim(), "Group"));
  const ext = child(spt, "Extension");
  const reg = ext === undefined ? [] : children(ext, "RegistrationType").map((r) => int(r.text.trim(), "RegistrationType", 2));
  return {
    conditionNegated: negated === undefined ? false : bool(negated, "ConditionNegated"),
    group: group.length === 0 ? [0] : group,
    condition: readCondition(spt),
    ...(reg.length === 0 ? {} : { registrationType: reg as RegistrationType[] }),
  };
}

function readCondition(spt: XmlElement): SptCondition {
  const method = childText(spt, "Method");
  if (method !== undefined) return { kind: "method", method };
  const ruri = childText(spt, "RequestURI");
  if (ruri !== undefined) return { kind: "requestUri", requestUri: ruri };
  const sc = childText(spt, "SessionCase");
  if (sc !== undefined) return { kind: "sessionCase", sessionCase: int(sc, "SessionCase", 4) as SessionCase };
  const h = child(spt, "SIPHeader");
  if (h !== undefined) {
    const content = childText(h, "Content");
    const header = childText(h, "Header") ?? invalid("SIPHeader without Header");
    return content === undefined ? { kind: "sipHeader", header } : { kind: "sipHeader", header, content };
  }
  const sd = child(spt, "SessionDescription");
  if (sd !== undefined) {
    const content = childText(sd, "Content");
    const line = childText(sd, "Line") ?? invalid("SessionDescription without Line");
    return content === undefined ? { kind: "sessionDescription", line } : { kind: "sessionDescription", line, content };
  }
  return invalid("SPT without a condition");
}
