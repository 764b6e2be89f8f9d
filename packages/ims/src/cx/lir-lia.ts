import { type Avp, type DiameterError, type DiameterMessage, type MessageIds, answerTo, avp, createRequest, getValue } from "@ims/diameter";
import { type Result, err, ok } from "@ims/runtime";
import { ORIGINATING_REQUEST, type UserAuthorizationType } from "./codes.js";
import {
  type CxAnswerBase,
  type CxAnswerRead,
  type CxFields,
  type CxRequestBase,
  answerHead,
  cxProblem,
  type Mutable,
  optAvp,
  answerBase,
  noResult,
  readRequestBase,
  setOpt,
  requestHead,
} from "./common.js";
import { type ServerCapabilities, readServerCapabilities, serverCapabilitiesAvp } from "./server-capabilities.js";

/** TS 29.229 §6.1.5 Location-Info-Request (I-CSCF → HSS: which S-CSCF serves this IMPU). */
export interface LocationInfoRequest extends CxRequestBase {
  readonly publicIdentity: string;
  readonly originatingRequest?: boolean;
  readonly userAuthorizationType?: UserAuthorizationType;
}

/** TS 29.229 §6.1.6 Location-Info-Answer. */
export interface LocationInfoAnswer extends CxAnswerBase {
  readonly serverName?: string;
  readonly serverCapabilities?: ServerCapabilities;
  readonly wildcardedPublicIdentity?: string;
  readonly liaFlags?: number;
}

export const LIR_COMMAND = 302;

export function buildLir(r: LocationInfoRequest, ids: MessageIds): DiameterMessage {
  return lirWithHead(requestHead(r), r, ids);
}

/** The LIR from its head AVPs (`requestHead`/`requestHeadAvps`, pushed onto) and its own fields. */
export function lirWithHead(head: Avp[], r: CxFields<LocationInfoRequest>, ids: MessageIds): DiameterMessage {
  if (r.originatingRequest === true) head.push(avp("Originating-Request", ORIGINATING_REQUEST.ORIGINATING));
  head.push(avp("Public-Identity", r.publicIdentity));
  if (r.userAuthorizationType !== undefined) head.push(avp("User-Authorization-Type", r.userAuthorizationType));
  return createRequest("LIR", head, ids);
}

export function readLir(msg: DiameterMessage): Result<LocationInfoRequest, DiameterError> {
  const bad = cxProblem(msg, LIR_COMMAND, true);
  if (bad !== undefined) return err(bad);
  const o: Mutable<LocationInfoRequest> = Object.assign(readRequestBase(msg), { publicIdentity: getValue(msg, "Public-Identity") ?? "" });
  if (getValue(msg, "Originating-Request") !== undefined) o.originatingRequest = true;
  setOpt(o, "userAuthorizationType", getValue(msg, "User-Authorization-Type") as UserAuthorizationType | undefined);
  return ok(o);
}

export function buildLia(request: DiameterMessage, a: LocationInfoAnswer): DiameterMessage {
  return answerTo(request, [
    ...answerHead(a),
    ...optAvp(a.serverName, (v) => avp("Server-Name", v)),
    ...optAvp(a.serverCapabilities, serverCapabilitiesAvp),
    ...optAvp(a.wildcardedPublicIdentity, (v) => avp("Wildcarded-Public-Identity", v)),
    ...optAvp(a.liaFlags, (v) => avp("LIA-Flags", v)),
  ]);
}

export function readLia(msg: DiameterMessage): Result<LocationInfoAnswer & CxAnswerRead, DiameterError> {
  const bad = cxProblem(msg, LIR_COMMAND, false);
  if (bad !== undefined) return err(bad);
  const base = answerBase(msg);
  if (base === undefined) return err(noResult(msg));
  const o: Mutable<LocationInfoAnswer & CxAnswerRead> = base;
  const caps = getValue(msg, "Server-Capabilities");
  setOpt(o, "serverName", getValue(msg, "Server-Name"));
  if (caps !== undefined) o.serverCapabilities = readServerCapabilities(caps);
  setOpt(o, "wildcardedPublicIdentity", getValue(msg, "Wildcarded-Public-Identity"));
  setOpt(o, "liaFlags", getValue(msg, "LIA-Flags"));
  return ok(o);
}
