import {
  avp,
  CX_APPLICATION_ID,
  EXPERIMENTAL_RESULT,
  getValue,
  RESULT_CODE,
  VENDOR_3GPP,
  type Avp,
  type DiameterMessage,
} from "@ims/diameter";
import type { CxResult, ServerCapabilities } from "./outcome.js";

/** The HSS's Diameter identity, put in every answer and request it sends. */
export interface HssIdentity {
  readonly originHost: string;
  readonly originRealm: string;
}

/** Vendor-Specific-Application-Id of Cx (TS 29.229 §5.6) and Auth-Session-State NO_STATE_MAINTAINED. */
export function cxSessionAvps(): Avp[] {
  return [
    avp("Vendor-Specific-Application-Id", [avp("Vendor-Id", VENDOR_3GPP), avp("Auth-Application-Id", CX_APPLICATION_ID)]),
    avp("Auth-Session-State", 1),
  ];
}

/** Result-Code or Experimental-Result{Vendor-Id 10415, code} (RFC 6733 §7.6). */
export function resultAvps(r: CxResult): Avp[] {
  if (r.kind === "result") return [avp("Result-Code", RESULT_CODE[r.name])];
  return [avp("Experimental-Result", [avp("Vendor-Id", VENDOR_3GPP), avp("Experimental-Result-Code", EXPERIMENTAL_RESULT[r.name])])];
}

/** The encoded head of each result, per identity: the same few AVPs start every answer. */
const heads = new WeakMap<HssIdentity, { result: Map<string, readonly Avp[]>; experimental: Map<string, readonly Avp[]> }>();

/**
 * Session-Id (copied by answerTo), then the Cx header AVPs of every answer, in CCF order.
 * Built once per identity and result (AVPs are immutable values); callers copy the array.
 */
export function answerHead(id: HssIdentity, r: CxResult): readonly Avp[] {
  let byKind = heads.get(id);
  if (byKind === undefined) heads.set(id, (byKind = { result: new Map(), experimental: new Map() }));
  // Keyed by the name as is (no key string built per answer).
  const byResult = r.kind === "result" ? byKind.result : byKind.experimental;
  const key = r.name;
  let head = byResult.get(key);
  if (head === undefined) {
    const [vsai, state] = cxSessionAvps();
    head = [...(vsai === undefined ? [] : [vsai]), ...resultAvps(r), ...(state === undefined ? [] : [state]), avp("Origin-Host", id.originHost), avp("Origin-Realm", id.originRealm)];
    byResult.set(key, head);
  }
  return head;
}

export function capabilitiesAvp(c: ServerCapabilities): Avp {
  return avp("Server-Capabilities", [
    ...c.mandatory.map((v) => avp("Mandatory-Capability", v)),
    ...c.optional.map((v) => avp("Optional-Capability", v)),
    ...c.serverNames.map((v) => avp("Server-Name", v)),
  ]);
}

/** A request field that is mandatory in the CCF but missing or empty. */
export interface MissingAvp {
  readonly missing: string;
}

export function requiredString(msg: DiameterMessage, name: "User-Name" | "Public-Identity" | "Server-Name" | "Visited-Network-Identifier" | "Origin-Host" | "Origin-Realm"): string | MissingAvp {
  const v = getValue(msg, name);
  if (v === undefined) return { missing: name };
  const s = typeof v === "string" ? v : Buffer.from(v).toString("utf8");
  return s === "" ? { missing: name } : s;
}

export const isMissing = (v: unknown): v is MissingAvp => typeof v === "object" && v !== null && "missing" in v;
