import {
  type Avp,
  type DiameterError,
  type DiameterMessage,
  avp,
  diameterError,
  getValue,
  messageProblem,
} from "@ims/diameter";
import { type Result, err, ok } from "@ims/runtime";
import { AUTH_SESSION_STATE, CX_APPLICATION_ID, VENDOR_3GPP } from "./codes.js";

/** Header AVPs every Cx request carries (TS 29.229 §6.1). */
export interface CxRequestBase {
  readonly sessionId: string;
  readonly originHost: string;
  readonly originRealm: string;
  readonly destinationRealm: string;
  readonly destinationHost?: string;
}

/** Either a base Result-Code or a 3GPP Experimental-Result (RFC 6733 §7.6: exactly one). */
export type CxResult =
  | { readonly kind: "result"; readonly code: number }
  | { readonly kind: "experimental"; readonly vendorId: number; readonly code: number };

export const cxSuccess: CxResult = { kind: "result", code: 2001 };
export function resultCode(code: number): CxResult {
  return { kind: "result", code };
}
export function experimentalResult(code: number, vendorId = VENDOR_3GPP): CxResult {
  return { kind: "experimental", vendorId, code };
}
/** True for 2xxx Result-Code or Experimental-Result-Code. */
export function isSuccess(r: CxResult): boolean {
  return r.code >= 2000 && r.code < 3000;
}

export interface CxAnswerBase {
  readonly originHost: string;
  readonly originRealm: string;
  readonly result: CxResult;
}

/** Fields read from every Cx answer. */
export interface CxAnswerRead extends CxAnswerBase {
  readonly sessionId: string;
}

const VSAI = avp("Vendor-Specific-Application-Id", [avp("Vendor-Id", VENDOR_3GPP), avp("Auth-Application-Id", CX_APPLICATION_ID)]);
const NO_STATE = avp("Auth-Session-State", AUTH_SESSION_STATE.NO_STATE_MAINTAINED);

type IdentityAvp = "Origin-Host" | "Origin-Realm" | "Destination-Host" | "Destination-Realm";
const identityAvps: Readonly<Record<IdentityAvp, Map<string, Avp>>> = {
  "Origin-Host": new Map(),
  "Origin-Realm": new Map(),
  "Destination-Host": new Map(),
  "Destination-Realm": new Map(),
};
let identityAvpCount = 0;

/**
 * The AVP for a node's or its peer's identity: the same few configured names in every request, so
 * they are built once (AVPs are never mutated once built), looked up by name then value (no key
 * string per lookup). At most 256 are kept.
 */
function identityAvp(name: IdentityAvp, value: string): Avp {
  const byValue = identityAvps[name];
  let a = byValue.get(value);
  if (a === undefined) {
    a = avp(name, value);
    if (identityAvpCount < 256) {
      byValue.set(value, a);
      identityAvpCount++;
    }
  }
  return a;
}

/** A Cx request as a CSCF procedure asks for it: the Diameter header AVPs are the client's business. */
export type CxFields<R> = Omit<R, keyof CxRequestBase>;

/** The identity AVPs of a node's Cx requests (the same in each), built once by whoever sends many. */
export interface RequestIdentityAvps {
  readonly originHost: Avp;
  readonly originRealm: Avp;
  readonly destinationRealm: Avp;
  readonly destinationHost: Avp | undefined;
}

export function requestIdentityAvps(
  originHost: string,
  originRealm: string,
  destinationRealm: string,
  destinationHost: string | undefined,
): RequestIdentityAvps {
  return {
    originHost: identityAvp("Origin-Host", originHost),
    originRealm: identityAvp("Origin-Realm", originRealm),
    destinationRealm: identityAvp("Destination-Realm", destinationRealm),
    destinationHost: destinationHost === undefined ? undefined : identityAvp("Destination-Host", destinationHost),
  };
}

/**
 * Session-Id, Vendor-Specific-Application-Id, Auth-Session-State, Origin-*, Destination-* in CCF
 * order (Destination-Realm before Destination-Host when `realmFirst`), as a fresh array the
 * command's own AVPs are pushed onto.
 */
export function requestHeadAvps(sessionId: string, id: RequestIdentityAvps, realmFirst: boolean): Avp[] {
  // Pushed onto an empty array: its first growth leaves room for a whole UAR, MAR or SAR (a literal
  // of five would be copied again when the command's AVPs are pushed).
  const out: Avp[] = [];
  out.push(avp("Session-Id", sessionId), VSAI, NO_STATE, id.originHost, id.originRealm);
  if (id.destinationHost === undefined) out.push(id.destinationRealm);
  else if (realmFirst) out.push(id.destinationRealm, id.destinationHost);
  else out.push(id.destinationHost, id.destinationRealm);
  return out;
}

/** Session-Id, Vendor-Specific-Application-Id, Auth-Session-State, Origin-*, Destination-* in CCF order. */
export function requestHead(r: CxRequestBase, realmFirst = false): Avp[] {
  const out = [
    avp("Session-Id", r.sessionId),
    VSAI,
    NO_STATE,
    identityAvp("Origin-Host", r.originHost),
    identityAvp("Origin-Realm", r.originRealm),
  ];
  const realm = identityAvp("Destination-Realm", r.destinationRealm);
  if (r.destinationHost === undefined) out.push(realm);
  else if (realmFirst) out.push(realm, identityAvp("Destination-Host", r.destinationHost));
  else out.push(identityAvp("Destination-Host", r.destinationHost), realm);
  return out;
}

/** Vendor-Specific-Application-Id, Result-Code | Experimental-Result, Auth-Session-State, Origin-*. */
export function answerHead(a: CxAnswerBase): Avp[] {
  const result =
    a.result.kind === "result"
      ? avp("Result-Code", a.result.code)
      : avp("Experimental-Result", [avp("Vendor-Id", a.result.vendorId), avp("Experimental-Result-Code", a.result.code)]);
  return [VSAI, result, NO_STATE, identityAvp("Origin-Host", a.originHost), identityAvp("Origin-Realm", a.originRealm)];
}

/**
 * Checks it is the expected Cx command and direction, then validates against the CCF. An answer
 * carrying a failure result is accepted even if it lacks AVPs its CCF requires (peers often send a
 * bare error answer), so the caller sees the result rather than a missing-AVP error.
 */
export function checkCx(msg: DiameterMessage, commandCode: number, request: boolean): Result<DiameterMessage, DiameterError> {
  const problem = cxProblem(msg, commandCode, request);
  return problem === undefined ? ok(msg) : err(problem);
}

/** What `checkCx` finds wrong, or undefined (the readers' form: no Result made when all is well). */
export function cxProblem(msg: DiameterMessage, commandCode: number, request: boolean): DiameterError | undefined {
  if (msg.commandCode !== commandCode || ((msg.flags & 0x80) !== 0) !== request) {
    return diameterError(3001, `expected command ${commandCode} ${request ? "request" : "answer"}`, { avps: msg.avps });
  }
  const problem = messageProblem(msg);
  if (problem === undefined || request) return problem;
  const base = answerBase(msg);
  return base !== undefined && !isSuccess(base.result) ? undefined : problem;
}

/** The request head as a fresh object the reader adds to (no object spreads: readers are hot). */
export function readRequestBase(msg: DiameterMessage): Mutable<CxRequestBase> {
  const out: Mutable<CxRequestBase> = {
    sessionId: getValue(msg, "Session-Id") ?? "",
    originHost: getValue(msg, "Origin-Host") ?? "",
    originRealm: getValue(msg, "Origin-Realm") ?? "",
    destinationRealm: getValue(msg, "Destination-Realm") ?? "",
  };
  setOpt(out, "destinationHost", getValue(msg, "Destination-Host"));
  return out;
}

export function readAnswerBase(msg: DiameterMessage): Result<Mutable<CxAnswerRead>, DiameterError> {
  const base = answerBase(msg);
  return base === undefined ? err(noResult(msg)) : ok(base);
}

/** The error of an answer with neither Result-Code nor Experimental-Result. */
export function noResult(msg: DiameterMessage): DiameterError {
  return diameterError(5005, "no Result-Code or Experimental-Result", { avps: msg.avps });
}

/** `readAnswerBase` without its Result: undefined when the answer has no result (see `noResult`). */
export function answerBase(msg: DiameterMessage): Mutable<CxAnswerRead> | undefined {
  const rc = getValue(msg, "Result-Code");
  const er = getValue(msg, "Experimental-Result");
  let result: CxResult;
  if (rc !== undefined) result = resultCode(rc);
  else if (er !== undefined) {
    result = experimentalResult(getValue(er, "Experimental-Result-Code") ?? 0, getValue(er, "Vendor-Id") ?? 0);
  } else return undefined;
  return {
    sessionId: getValue(msg, "Session-Id") ?? "",
    originHost: getValue(msg, "Origin-Host") ?? "",
    originRealm: getValue(msg, "Origin-Realm") ?? "",
    result,
  };
}

export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Sets an optional field only when there is a value (exactOptionalPropertyTypes). */
export function setOpt<T, K extends keyof T>(o: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) o[key] = value;
}

/** Optional AVP helper: `...optAvp(v, (x) => avp("Server-Name", x))`. */
export function optAvp<V>(value: V | undefined, make: (v: V) => Avp): Avp[] {
  return value === undefined ? [] : [make(value)];
}
