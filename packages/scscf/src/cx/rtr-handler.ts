import { type DiameterMessage, errorAnswer } from "@ims/diameter";
import { buildRta, cxSuccess, readRtr, resultCode } from "@ims/ims";
import type { RegistrarContext } from "../registrar/context.js";
import { registrationTermination } from "../registrar/rtr.js";

/**
 * Answers an RTR from the HSS (TS 29.229 §6.1.9/§6.1.10): a readable RTR runs the registrar's
 * registration-termination procedure and is answered RTA 2001; an unreadable one gets its error code.
 */
const DIAMETER_MISSING_AVP = 5005;

export function answerRtr(
  ctx: RegistrarContext,
  origin: { readonly originHost: string; readonly originRealm: string },
  request: DiameterMessage,
): DiameterMessage {
  const rtr = readRtr(request);
  if (!rtr.ok) {
    ctx.log.debug({ dir: "in", cmd: "RTR", error: rtr.error.reason }, "cx malformed");
    return errorAnswer(rtr.error, origin) ?? buildRta(request, { ...origin, result: resultCode(rtr.error.resultCode) });
  }
  ctx.log.debug({ dir: "in", cmd: "RTR", impi: rtr.value.userName }, "cx");
  // TS 29.229 §6.1.9: User-Name is mandatory
  if (rtr.value.userName === "") return buildRta(request, { ...origin, result: resultCode(DIAMETER_MISSING_AVP) });
  const result = registrationTermination(ctx, rtr.value);
  ctx.log.debug({ dir: "out", cmd: "RTA", result: result.code }, "cx");
  return buildRta(request, { ...origin, result: result.code === 2001 ? cxSuccess : result });
}
