import { type CxError, SERVER_ASSIGNMENT_TYPE, type ServerAssignmentAnswer, type ServerAssignmentType, isSuccess } from "@ims/ims";
import { type Result, err } from "@ims/runtime";
import type { RegistrarContext } from "./context.js";
import { cxErrorReply, cxFailureReply } from "./cx-status.js";
import type { SipReply } from "./sip-reply.js";

export const SAT = SERVER_ASSIGNMENT_TYPE;

const NAMES = new Map<number, string>(Object.entries(SERVER_ASSIGNMENT_TYPE).map(([k, v]) => [v, k]));
const satName = (type: ServerAssignmentType): string => NAMES.get(type) ?? String(type);

/**
 * Sends a SAR (TS 29.228 §6.1.2) for an IMPI and its public identities; a failure is the SIP answer
 * to give (403 when the HSS refuses, 500/504 when it cannot be asked).
 */
export function serverAssignment(
  ctx: RegistrarContext,
  impi: string,
  impus: readonly string[],
  type: ServerAssignmentType,
  userDataAlreadyAvailable = false,
): Promise<Result<ServerAssignmentAnswer, SipReply>> {
  // A `then` on the answer rather than an async function: no async frame and promise of its own.
  try {
    return ctx.cx
      .sar({ userName: impi, publicIdentities: impus, serverName: ctx.serverName, serverAssignmentType: type, userDataAlreadyAvailable })
      .then((saa) => outcome(ctx, impi, type, saa));
  } catch (e) {
    return Promise.reject(e instanceof Error ? e : new Error(String(e)));
  }
}

function outcome(
  ctx: RegistrarContext,
  impi: string,
  type: ServerAssignmentType,
  saa: Result<ServerAssignmentAnswer, CxError>,
): Result<ServerAssignmentAnswer, SipReply> {
  if (!saa.ok) {
    ctx.log.warn({ impi, sat: satName(type), reason: saa.error.reason }, "registrar SAR got no answer");
    return err(cxErrorReply(saa.error));
  }
  if (!isSuccess(saa.value.result)) {
    ctx.log.warn({ impi, sat: satName(type), code: saa.value.result.code }, "registrar SAR refused");
    return err(cxFailureReply(saa.value.result));
  }
  if (ctx.log.isLevelEnabled("debug")) ctx.log.debug({ impi, sat: satName(type) }, "registrar SAR done");
  return saa;
}
