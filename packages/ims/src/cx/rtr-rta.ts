import { type DiameterError, type DiameterMessage, type MessageIds, answerTo, avp, createRequest, getValue, getValues } from "@ims/diameter";
import { type Result, err, ok } from "@ims/runtime";
import type { ReasonCode } from "./codes.js";
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
  setOpt,
  requestHead,
} from "./common.js";

/** TS 29.229 §6.3.16 Deregistration-Reason. */
export interface DeregistrationReason {
  readonly reasonCode: ReasonCode;
  readonly reasonInfo?: string;
}

/**
 * TS 29.229 §6.1.9 Registration-Termination-Request (HSS → S-CSCF). Destination-Host is sent (the
 * HSS knows the S-CSCF); an RTR without it is accepted, as sources disagree on the CCF (cx-dx.tsv).
 */
export interface RegistrationTerminationRequest extends CxRequestBase {
  readonly userName: string;
  readonly publicIdentities: readonly string[];
  readonly deregistrationReason: DeregistrationReason;
  readonly associatedIdentities?: readonly string[];
}

/** TS 29.229 §6.1.10 Registration-Termination-Answer. */
export interface RegistrationTerminationAnswer extends CxAnswerBase {
  readonly associatedIdentities?: readonly string[];
}

export const RTR_COMMAND = 304;
const DESTINATION_HOST = 293;

export function buildRtr(r: RegistrationTerminationRequest, ids: MessageIds): DiameterMessage {
  return createRequest(
    "RTR",
    [
      ...requestHead(r),
      avp("User-Name", r.userName),
      ...optAvp(r.associatedIdentities, (ids) => avp("Associated-Identities", ids.map((u) => avp("User-Name", u)))),
      ...r.publicIdentities.map((p) => avp("Public-Identity", p)),
      avp("Deregistration-Reason", [
        avp("Reason-Code", r.deregistrationReason.reasonCode),
        ...optAvp(r.deregistrationReason.reasonInfo, (v) => avp("Reason-Info", v)),
      ]),
    ],
    ids,
  );
}

export function readRtr(msg: DiameterMessage): Result<RegistrationTerminationRequest, DiameterError> {
  const bad = cxProblem(msg, RTR_COMMAND, true);
  if (bad !== undefined && !(bad.resultCode === 5005 && bad.failedAvp?.code === DESTINATION_HOST)) return err(bad);
  const reason = getValue(msg, "Deregistration-Reason") ?? [];
  const assoc = getValue(msg, "Associated-Identities");
  const deregistrationReason: Mutable<DeregistrationReason> = { reasonCode: (getValue(reason, "Reason-Code") ?? 0) as ReasonCode };
  setOpt(deregistrationReason, "reasonInfo", getValue(reason, "Reason-Info"));
  const o: Mutable<RegistrationTerminationRequest> = Object.assign(readRequestBase(msg), {
    userName: getValue(msg, "User-Name") ?? "",
    publicIdentities: getValues(msg, "Public-Identity"),
    deregistrationReason,
  });
  if (assoc !== undefined) o.associatedIdentities = getValues(assoc, "User-Name");
  return ok(o);
}

export function buildRta(request: DiameterMessage, a: RegistrationTerminationAnswer): DiameterMessage {
  return answerTo(request, [
    ...answerHead(a),
    ...optAvp(a.associatedIdentities, (ids) => avp("Associated-Identities", ids.map((u) => avp("User-Name", u)))),
  ]);
}

export function readRta(msg: DiameterMessage): Result<RegistrationTerminationAnswer & CxAnswerRead, DiameterError> {
  const bad = cxProblem(msg, RTR_COMMAND, false);
  if (bad !== undefined) return err(bad);
  const base = answerBase(msg);
  if (base === undefined) return err(noResult(msg));
  const o: Mutable<RegistrationTerminationAnswer & CxAnswerRead> = base;
  const assoc = getValue(msg, "Associated-Identities");
  if (assoc !== undefined) o.associatedIdentities = getValues(assoc, "User-Name");
  return ok(o);
}
