import { type DiameterError, type DiameterMessage, type MessageIds, answerTo, avp, createRequest, getValue } from "@ims/diameter";
import { type Result, err, ok } from "@ims/runtime";
import { type ChargingInformation, chargingInformationAvp, readChargingInformation } from "./charging-information.js";
import {
  type CxAnswerBase,
  type CxAnswerRead,
  type CxRequestBase,
  answerHead,
  cxProblem,
  type Mutable,
  optAvp,
  answerBase,
  noResult,
  readRequestBase,
  requestHead,
} from "./common.js";
import { type SipAuthDataItem, readSipAuthDataItem, sipAuthDataItemAvp } from "./sip-auth-data.js";

/** TS 29.229 §6.1.11 Push-Profile-Request (HSS → S-CSCF: the profile or charging data changed). */
export interface PushProfileRequest extends CxRequestBase {
  readonly userName: string;
  /** TS 29.228 IMS subscription XML. */
  readonly userData?: string;
  readonly chargingInformation?: ChargingInformation;
  readonly sipAuthDataItem?: SipAuthDataItem;
}

/** TS 29.229 §6.1.12 Push-Profile-Answer. */
export type PushProfileAnswer = CxAnswerBase;

export const PPR_COMMAND = 305;

export function buildPpr(r: PushProfileRequest, ids: MessageIds): DiameterMessage {
  return createRequest(
    "PPR",
    [
      ...requestHead(r),
      avp("User-Name", r.userName),
      ...optAvp(r.userData, (v) => avp("User-Data", Buffer.from(v, "utf8"))),
      ...optAvp(r.chargingInformation, chargingInformationAvp),
      ...optAvp(r.sipAuthDataItem, sipAuthDataItemAvp),
    ],
    ids,
  );
}

export function readPpr(msg: DiameterMessage): Result<PushProfileRequest, DiameterError> {
  const bad = cxProblem(msg, PPR_COMMAND, true);
  if (bad !== undefined) return err(bad);
  const data = getValue(msg, "User-Data");
  const charging = getValue(msg, "Charging-Information");
  const item = getValue(msg, "SIP-Auth-Data-Item");
  const o: Mutable<PushProfileRequest> = Object.assign(readRequestBase(msg), { userName: getValue(msg, "User-Name") ?? "" });
  if (data !== undefined) o.userData = Buffer.from(data).toString("utf8");
  if (charging !== undefined) o.chargingInformation = readChargingInformation(charging);
  if (item !== undefined) o.sipAuthDataItem = readSipAuthDataItem(item);
  return ok(o);
}

export function buildPpa(request: DiameterMessage, a: PushProfileAnswer): DiameterMessage {
  return answerTo(request, answerHead(a));
}

export function readPpa(msg: DiameterMessage): Result<PushProfileAnswer & CxAnswerRead, DiameterError> {
  const bad = cxProblem(msg, PPR_COMMAND, false);
  if (bad !== undefined) return err(bad);
  const base = answerBase(msg);
  return base === undefined ? err(noResult(msg)) : ok(base);
}
