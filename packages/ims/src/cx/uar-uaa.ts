import { type Avp, type DiameterError, type DiameterMessage, type MessageIds, answerTo, avp, createRequest, getValue } from "@ims/diameter";
import { type Result, err, ok } from "@ims/runtime";
import type { UserAuthorizationType } from "./codes.js";
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

/** TS 29.229 §6.1.1 User-Authorization-Request (I-CSCF → HSS at REGISTER). */
export interface UserAuthorizationRequest extends CxRequestBase {
  readonly userName: string;
  readonly publicIdentity: string;
  /** Visited-Network-Identifier (OctetString; the P-Visited-Network-ID value). */
  readonly visitedNetworkIdentifier: string;
  readonly userAuthorizationType?: UserAuthorizationType;
  readonly uarFlags?: number;
}

/** TS 29.229 §6.1.2 User-Authorization-Answer. */
export interface UserAuthorizationAnswer extends CxAnswerBase {
  readonly serverName?: string;
  readonly serverCapabilities?: ServerCapabilities;
}

export const UAR_COMMAND = 300;

export function buildUar(r: UserAuthorizationRequest, ids: MessageIds): DiameterMessage {
  return uarWithHead(requestHead(r), r, ids);
}

/** The UAR from its head AVPs (`requestHead`/`requestHeadAvps`, pushed onto) and its own fields. */
export function uarWithHead(head: Avp[], r: CxFields<UserAuthorizationRequest>, ids: MessageIds): DiameterMessage {
  head.push(
    avp("User-Name", r.userName),
    avp("Public-Identity", r.publicIdentity),
    avp("Visited-Network-Identifier", Buffer.from(r.visitedNetworkIdentifier, "utf8")),
  );
  if (r.userAuthorizationType !== undefined) head.push(avp("User-Authorization-Type", r.userAuthorizationType));
  if (r.uarFlags !== undefined) head.push(avp("UAR-Flags", r.uarFlags));
  return createRequest("UAR", head, ids);
}

export function readUar(msg: DiameterMessage): Result<UserAuthorizationRequest, DiameterError> {
  const bad = cxProblem(msg, UAR_COMMAND, true);
  if (bad !== undefined) return err(bad);
  const vni = getValue(msg, "Visited-Network-Identifier");
  const o: Mutable<UserAuthorizationRequest> = Object.assign(readRequestBase(msg), {
    userName: getValue(msg, "User-Name") ?? "",
    publicIdentity: getValue(msg, "Public-Identity") ?? "",
    visitedNetworkIdentifier: vni === undefined ? "" : Buffer.from(vni).toString("utf8"),
  });
  setOpt(o, "userAuthorizationType", getValue(msg, "User-Authorization-Type") as UserAuthorizationType | undefined);
  setOpt(o, "uarFlags", getValue(msg, "UAR-Flags"));
  return ok(o);
}

export function buildUaa(request: DiameterMessage, a: UserAuthorizationAnswer): DiameterMessage {
  return answerTo(request, [
    ...answerHead(a),
    ...optAvp(a.serverName, (v) => avp("Server-Name", v)),
    ...optAvp(a.serverCapabilities, serverCapabilitiesAvp),
  ]);
}

export function readUaa(msg: DiameterMessage): Result<UserAuthorizationAnswer & CxAnswerRead, DiameterError> {
  const bad = cxProblem(msg, UAR_COMMAND, false);
  if (bad !== undefined) return err(bad);
  const base = answerBase(msg);
  if (base === undefined) return err(noResult(msg));
  const o: Mutable<UserAuthorizationAnswer & CxAnswerRead> = base;
  setOpt(o, "serverName", getValue(msg, "Server-Name"));
  const caps = getValue(msg, "Server-Capabilities");
  if (caps !== undefined) o.serverCapabilities = readServerCapabilities(caps);
  return ok(o);
}
