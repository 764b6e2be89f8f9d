import { type Avp, type DiameterError, type DiameterMessage, type MessageIds, answerTo, avp, createRequest, getValue, getValues } from "@ims/diameter";
import { type Result, err, ok } from "@ims/runtime";
import { type ServerAssignmentType, USER_DATA_ALREADY_AVAILABLE } from "./codes.js";
import { type ChargingInformation, chargingInformationAvp, readChargingInformation } from "./charging-information.js";
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

/** TS 29.229 §6.1.3 Server-Assignment-Request (S-CSCF → HSS: store/clear the serving S-CSCF, fetch the profile). */
export interface ServerAssignmentRequest extends CxRequestBase {
  readonly userName?: string;
  readonly publicIdentities: readonly string[];
  readonly wildcardedPublicIdentity?: string;
  readonly serverName: string;
  readonly serverAssignmentType: ServerAssignmentType;
  readonly userDataAlreadyAvailable: boolean;
  readonly multipleRegistrationIndication?: number;
}

/** TS 29.229 §6.1.4 Server-Assignment-Answer. `userData` is the TS 29.228 IMS subscription XML. */
export interface ServerAssignmentAnswer extends CxAnswerBase {
  readonly userName?: string;
  readonly userData?: string;
  readonly chargingInformation?: ChargingInformation;
  readonly associatedIdentities?: readonly string[];
  readonly serverName?: string;
  readonly wildcardedPublicIdentity?: string;
}

export const SAR_COMMAND = 301;

export function buildSar(r: ServerAssignmentRequest, ids: MessageIds): DiameterMessage {
  return sarWithHead(requestHead(r), r, ids);
}

/** The SAR from its head AVPs (`requestHead`/`requestHeadAvps`, pushed onto) and its own fields. */
export function sarWithHead(head: Avp[], r: CxFields<ServerAssignmentRequest>, ids: MessageIds): DiameterMessage {
  if (r.userName !== undefined) head.push(avp("User-Name", r.userName));
  for (let i = 0; i < r.publicIdentities.length; i++) head.push(avp("Public-Identity", r.publicIdentities[i] as string));
  if (r.wildcardedPublicIdentity !== undefined) head.push(avp("Wildcarded-Public-Identity", r.wildcardedPublicIdentity));
  head.push(
    avp("Server-Name", r.serverName),
    avp("Server-Assignment-Type", r.serverAssignmentType),
    avp(
      "User-Data-Already-Available",
      r.userDataAlreadyAvailable
        ? USER_DATA_ALREADY_AVAILABLE.USER_DATA_ALREADY_AVAILABLE
        : USER_DATA_ALREADY_AVAILABLE.USER_DATA_NOT_AVAILABLE,
    ),
  );
  if (r.multipleRegistrationIndication !== undefined) {
    head.push(avp("Multiple-Registration-Indication", r.multipleRegistrationIndication));
  }
  return createRequest("SAR", head, ids);
}

export function readSar(msg: DiameterMessage): Result<ServerAssignmentRequest, DiameterError> {
  const bad = cxProblem(msg, SAR_COMMAND, true);
  if (bad !== undefined) return err(bad);
  const o: Mutable<ServerAssignmentRequest> = Object.assign(readRequestBase(msg), {
    publicIdentities: getValues(msg, "Public-Identity"),
    serverName: getValue(msg, "Server-Name") ?? "",
    serverAssignmentType: (getValue(msg, "Server-Assignment-Type") ?? 0) as ServerAssignmentType,
    userDataAlreadyAvailable: getValue(msg, "User-Data-Already-Available") === USER_DATA_ALREADY_AVAILABLE.USER_DATA_ALREADY_AVAILABLE,
  });
  setOpt(o, "userName", getValue(msg, "User-Name"));
  setOpt(o, "wildcardedPublicIdentity", getValue(msg, "Wildcarded-Public-Identity"));
  setOpt(o, "multipleRegistrationIndication", getValue(msg, "Multiple-Registration-Indication"));
  return ok(o);
}

export function buildSaa(request: DiameterMessage, a: ServerAssignmentAnswer): DiameterMessage {
  return answerTo(request, [
    ...answerHead(a),
    ...optAvp(a.userName, (v) => avp("User-Name", v)),
    ...optAvp(a.userData, (v) => avp("User-Data", Buffer.from(v, "utf8"))),
    ...optAvp(a.chargingInformation, chargingInformationAvp),
    ...optAvp(a.associatedIdentities, (ids) => avp("Associated-Identities", ids.map((u) => avp("User-Name", u)))),
    ...optAvp(a.serverName, (v) => avp("Server-Name", v)),
    ...optAvp(a.wildcardedPublicIdentity, (v) => avp("Wildcarded-Public-Identity", v)),
  ]);
}

export function readSaa(msg: DiameterMessage): Result<ServerAssignmentAnswer & CxAnswerRead, DiameterError> {
  const bad = cxProblem(msg, SAR_COMMAND, false);
  if (bad !== undefined) return err(bad);
  const base = answerBase(msg);
  if (base === undefined) return err(noResult(msg));
  const o: Mutable<ServerAssignmentAnswer & CxAnswerRead> = base;
  const data = getValue(msg, "User-Data");
  const charging = getValue(msg, "Charging-Information");
  const assoc = getValue(msg, "Associated-Identities");
  setOpt(o, "userName", getValue(msg, "User-Name"));
  if (data !== undefined) o.userData = Buffer.from(data).toString("utf8");
  if (charging !== undefined) o.chargingInformation = readChargingInformation(charging);
  if (assoc !== undefined) o.associatedIdentities = getValues(assoc, "User-Name");
  setOpt(o, "serverName", getValue(msg, "Server-Name"));
  setOpt(o, "wildcardedPublicIdentity", getValue(msg, "Wildcarded-Public-Identity"));
  return ok(o);
}
