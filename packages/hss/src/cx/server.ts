import {
  answerTo,
  avp,
  errorAnswer,
  RESULT_CODE,
  standardDictionary,
  validateMessage,
  type Avp,
  type DiameterMessage,
} from "@ims/diameter";
import { ImsError } from "@ims/runtime";
import type { CxContext } from "./context.js";
import { handleLir, liaAvps, lirFromRequest } from "./lir.js";
import { handleMar, maaAvps, marFromRequest } from "./mar.js";
import { result } from "./outcome.js";
import { handleSar, saaAvps, sarFromRequest } from "./sar.js";
import { handleUar, uaaAvps, uarFromRequest } from "./uar.js";
import { answerHead, cxSessionAvps, isMissing, type HssIdentity, type MissingAvp } from "./wire.js";

function codeOf(abbrev: "UAR" | "SAR" | "LIR" | "MAR"): number {
  const c = standardDictionary.commandByAbbrev(abbrev);
  if (c === undefined) throw new ImsError("dictionary", `no ${abbrev}`);
  return c.code;
}
const CODES = { UAR: codeOf("UAR"), SAR: codeOf("SAR"), LIR: codeOf("LIR"), MAR: codeOf("MAR") } as const;

function missingAnswer(id: HssIdentity, request: DiameterMessage, m: MissingAvp): DiameterMessage {
  const def = standardDictionary.avpByName(m.missing);
  const failed: Avp[] = def === undefined ? [] : [avp("Failed-AVP", [{ code: def.code, flags: def.sendFlags, vendorId: def.vendorId, data: new Uint8Array(0) }])];
  return answerTo(request, [...answerHead(id, result("DIAMETER_MISSING_AVP")), avp("Error-Message", `missing ${m.missing}`), ...failed]);
}

/**
 * Answers one Cx request (UAR, SAR, LIR, MAR): CCF validation (unless the node already did it),
 * then the command's procedure.
 * Never throws: a store failure becomes DIAMETER_UNABLE_TO_COMPLY.
 */
export function answerCx(ctx: CxContext, id: HssIdentity, request: DiameterMessage, options?: { validated?: boolean }): Promise<DiameterMessage> {
  if (options?.validated !== true) {
    const valid = validateMessage(request);
    if (!valid.ok) {
      const a = errorAnswer(valid.error, id, cxSessionAvps());
      if (a !== undefined) return Promise.resolve(a);
    }
  }
  // One function per outcome, without an async frame per request (the procedures are async already).
  const failed = (e: unknown): DiameterMessage => {
    ctx.logger.error({ command: request.commandCode, err: (e as Error).message }, "Cx request failed");
    return answerTo(request, answerHead(id, result("DIAMETER_UNABLE_TO_COMPLY")));
  };
  try {
    switch (request.commandCode) {
      case CODES.UAR: {
        const input = uarFromRequest(request);
        if (isMissing(input)) return Promise.resolve(missingAnswer(id, request, input));
        return handleUar(ctx, input).then((out) => answerTo(request, uaaAvps(id, out)), failed);
      }
      case CODES.MAR: {
        const input = marFromRequest(request);
        if (isMissing(input)) return Promise.resolve(missingAnswer(id, request, input));
        return handleMar(ctx, input).then((out) => answerTo(request, maaAvps(id, out)), failed);
      }
      case CODES.SAR: {
        const input = sarFromRequest(request);
        if (isMissing(input)) return Promise.resolve(missingAnswer(id, request, input));
        return handleSar(ctx, input).then((out) => answerTo(request, saaAvps(id, out)), failed);
      }
      case CODES.LIR: {
        const input = lirFromRequest(request);
        if (isMissing(input)) return Promise.resolve(missingAnswer(id, request, input));
        return handleLir(ctx, input).then((out) => answerTo(request, liaAvps(id, out)), failed);
      }
      default:
        return Promise.resolve(
          answerTo(
            request,
            [avp("Origin-Host", id.originHost), avp("Origin-Realm", id.originRealm), avp("Result-Code", RESULT_CODE.DIAMETER_COMMAND_UNSUPPORTED)],
            { error: true },
          ),
        );
    }
  } catch (e) {
    return Promise.resolve(failed(e));
  }
}
