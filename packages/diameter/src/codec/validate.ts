import { type Result, err, ok } from "@ims/runtime";
import { type CcfRule, type Dictionary, standardDictionary } from "../dictionary/index.js";
import { type DiameterError, diameterError } from "./errors.js";
import { type Avp, type DiameterMessage, CMD_FLAG } from "./types.js";
import { minimumLength } from "./values.js";

const RC = { MISSING_AVP: 5005, AVP_NOT_ALLOWED: 5008, OCCURS_TOO_MANY_TIMES: 5009 } as const;
const RESULT_CODE = 268;
const EXPERIMENTAL_RESULT = 297;

/**
 * Checks a decoded message against its command's CCF (RFC 6733 §3.2) and every known Grouped AVP
 * against its format: a missing required AVP → 5005 DIAMETER_MISSING_AVP with a zero-filled example
 * in Failed-AVP (§7.5), one too many of a bounded AVP → 5009 with the extra occurrence, an AVP the
 * format does not allow (no `*[AVP]`) → 5008. Answers (E bit clear) must carry Result-Code or
 * Experimental-Result (§7.6). Commands unknown to the dictionary pass (the node answers 3001).
 */
export function validateMessage(msg: DiameterMessage, dict: Dictionary = standardDictionary): Result<DiameterMessage, DiameterError> {
  const cmd = dict.command(msg.commandCode);
  if (cmd === undefined) return ok(msg);
  const request = (msg.flags & CMD_FLAG.R) !== 0;
  const rules = (msg.flags & CMD_FLAG.E) !== 0 ? dict.answerMessageRules : request ? cmd.requestRules : cmd.answerRules;
  const problem = checkAvps(msg.avps, rules, dict, 0);
  if (problem !== undefined) return err(withHeader(problem, msg));
  if (!request && !msg.avps.some((a) => a.vendorId === 0 && (a.code === RESULT_CODE || a.code === EXPERIMENTAL_RESULT))) {
    return err(withHeader(missing("Result-Code", dict) ?? diameterError(RC.MISSING_AVP, "no Result-Code"), msg));
  }
  return ok(msg);
}

function withHeader(e: DiameterError, msg: DiameterMessage): DiameterError {
  const header = {
    flags: msg.flags,
    commandCode: msg.commandCode,
    applicationId: msg.applicationId,
    hopByHop: msg.hopByHop,
    endToEnd: msg.endToEnd,
  };
  return diameterError(e.resultCode, e.reason, { failedAvp: e.failedAvp, header, avps: msg.avps });
}

function missing(name: string, dict: Dictionary): DiameterError | undefined {
  const def = dict.avpByName(name);
  if (def === undefined) return undefined;
  const example: Avp = {
    code: def.code,
    flags: def.sendFlags,
    vendorId: def.vendorId,
    data: new Uint8Array(minimumLength(def.type)),
    avps: undefined,
  };
  return diameterError(RC.MISSING_AVP, `missing ${name}`, { failedAvp: example });
}

function checkAvps(avps: readonly Avp[], rules: readonly CcfRule[], dict: Dictionary, depth: number): DiameterError | undefined {
  const counts = new Map<string, number>();
  let anyAllowed = false;
  for (const r of rules) {
    if (r.name === "AVP") anyAllowed = true;
    else counts.set(r.name, 0);
  }
  for (const a of avps) {
    const def = dict.avp(a.code, a.vendorId);
    const n = def === undefined ? undefined : counts.get(def.name);
    if (def === undefined || n === undefined) {
      if (!anyAllowed) return diameterError(RC.AVP_NOT_ALLOWED, `${def?.name ?? `AVP ${a.vendorId}:${a.code}`} not allowed here`, { failedAvp: a });
    } else {
      counts.set(def.name, n + 1);
      const rule = rules.find((r) => r.name === def.name);
      if (rule !== undefined && n + 1 > rule.max) {
        return diameterError(RC.OCCURS_TOO_MANY_TIMES, `${def.name} occurs more than ${rule.max} time(s)`, { failedAvp: a });
      }
    }
    if (def?.members !== undefined && a.avps !== undefined && depth < 32) {
      const inner = checkAvps(a.avps, def.members, dict, depth + 1);
      if (inner !== undefined) return inner;
    }
  }
  for (const r of rules) {
    if (r.name === "AVP") continue;
    if ((counts.get(r.name) ?? 0) < r.min) {
      return missing(r.name, dict) ?? diameterError(RC.MISSING_AVP, `missing ${r.name}`);
    }
  }
  return undefined;
}
