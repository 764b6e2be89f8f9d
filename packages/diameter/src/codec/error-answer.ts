import { avp } from "./build.js";
import { type DiameterError, isProtocolError } from "./errors.js";
import { type Avp, type DiameterMessage, CMD_FLAG } from "./types.js";

/**
 * The answer to a request that failed decoding or validation (RFC 6733 §7.2 answer-message): same
 * command, application and ids, Session-Id if one was read, Origin-Host/Realm, Result-Code,
 * Failed-AVP, Error-Message; E bit for protocol errors (3xxx). Undefined when the header could not
 * be read or the message was not a request (answers in error are dropped, §7.3).
 */
export function errorAnswer(
  error: DiameterError,
  origin: { readonly originHost: string; readonly originRealm: string },
  extra: readonly Avp[] = [],
): DiameterMessage | undefined {
  const h = error.header;
  if (h === undefined || (h.flags & CMD_FLAG.R) === 0) return undefined;
  const avps: Avp[] = [];
  const session = error.avps.find((a) => a.code === 263 && a.vendorId === 0);
  if (session !== undefined) avps.push(session);
  avps.push(avp("Origin-Host", origin.originHost), avp("Origin-Realm", origin.originRealm));
  avps.push(avp("Result-Code", error.resultCode));
  avps.push(...extra);
  avps.push(avp("Error-Message", error.reason.slice(0, 200)));
  if (error.failedAvp !== undefined) avps.push(avp("Failed-AVP", [error.failedAvp]));
  for (const a of error.avps) if (a.code === 284 && a.vendorId === 0) avps.push(a);
  return {
    flags: (h.flags & CMD_FLAG.P) | (isProtocolError(error.resultCode) ? CMD_FLAG.E : 0),
    commandCode: h.commandCode,
    applicationId: h.applicationId,
    hopByHop: h.hopByHop,
    endToEnd: h.endToEnd,
    avps,
  };
}
