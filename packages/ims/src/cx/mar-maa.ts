import { type Avp, type DiameterError, type DiameterMessage, type MessageIds, answerTo, avp, createRequest, getValue, getValues } from "@ims/diameter";
import { type Result, err, ok } from "@ims/runtime";
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
import { type SipAuthDataItem, readSipAuthDataItem, sipAuthDataItemAvp } from "./sip-auth-data.js";

/** TS 29.229 §6.1.7 Multimedia-Auth-Request (S-CSCF → HSS: fetch authentication vectors). */
export interface MultimediaAuthRequest extends CxRequestBase {
  readonly userName: string;
  readonly publicIdentity: string;
  readonly serverName: string;
  readonly numberAuthItems: number;
  /** Scheme requested ("Digest-AKAv1-MD5", "SIP Digest", "Unknown"); for AKA resync, authorization = RAND‖AUTS. */
  readonly authData: SipAuthDataItem;
}

/** TS 29.229 §6.1.8 Multimedia-Auth-Answer. */
export interface MultimediaAuthAnswer extends CxAnswerBase {
  readonly userName?: string;
  readonly publicIdentity?: string;
  readonly numberAuthItems?: number;
  readonly items: readonly SipAuthDataItem[];
}

export const MAR_COMMAND = 303;

export function buildMar(r: MultimediaAuthRequest, ids: MessageIds): DiameterMessage {
  return marWithHead(requestHead(r, true), r, ids);
}

/**
 * The MAR from its head AVPs (`requestHead(r, true)`/`requestHeadAvps(…, true)`: Destination-Realm
 * first, as its CCF orders them; pushed onto) and its own fields.
 */
export function marWithHead(head: Avp[], r: CxFields<MultimediaAuthRequest>, ids: MessageIds): DiameterMessage {
  head.push(
    avp("User-Name", r.userName),
    avp("Public-Identity", r.publicIdentity),
    sipAuthDataItemAvp(r.authData),
    avp("SIP-Number-Auth-Items", r.numberAuthItems),
    avp("Server-Name", r.serverName),
  );
  return createRequest("MAR", head, ids);
}

export function readMar(msg: DiameterMessage): Result<MultimediaAuthRequest, DiameterError> {
  const bad = cxProblem(msg, MAR_COMMAND, true);
  if (bad !== undefined) return err(bad);
  return ok(
    Object.assign(readRequestBase(msg), {
      userName: getValue(msg, "User-Name") ?? "",
      publicIdentity: getValue(msg, "Public-Identity") ?? "",
      serverName: getValue(msg, "Server-Name") ?? "",
      numberAuthItems: getValue(msg, "SIP-Number-Auth-Items") ?? 0,
      authData: readSipAuthDataItem(getValue(msg, "SIP-Auth-Data-Item") ?? []),
    }),
  );
}

export function buildMaa(request: DiameterMessage, a: MultimediaAuthAnswer): DiameterMessage {
  return answerTo(request, [
    ...answerHead(a),
    ...optAvp(a.userName, (v) => avp("User-Name", v)),
    ...optAvp(a.publicIdentity, (v) => avp("Public-Identity", v)),
    ...optAvp(a.numberAuthItems ?? (a.items.length > 0 ? a.items.length : undefined), (v) => avp("SIP-Number-Auth-Items", v)),
    ...a.items.map(sipAuthDataItemAvp),
  ]);
}

export function readMaa(msg: DiameterMessage): Result<MultimediaAuthAnswer & CxAnswerRead, DiameterError> {
  const bad = cxProblem(msg, MAR_COMMAND, false);
  if (bad !== undefined) return err(bad);
  const base = answerBase(msg);
  if (base === undefined) return err(noResult(msg));
  const o = base as Mutable<MultimediaAuthAnswer & CxAnswerRead>;
  o.items = getValues(msg, "SIP-Auth-Data-Item").map(readSipAuthDataItem);
  setOpt(o, "userName", getValue(msg, "User-Name"));
  setOpt(o, "publicIdentity", getValue(msg, "Public-Identity"));
  setOpt(o, "numberAuthItems", getValue(msg, "SIP-Number-Auth-Items"));
  return ok(o);
}
