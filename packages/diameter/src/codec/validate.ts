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
  const problem = messageProblem(msg, dict);
  return problem === undefined ? ok(msg) : err(problem);
}

/** What `validateMessage` finds wrong, or undefined when the message is valid (no Result to unwrap). */
export function messageProblem(msg: DiameterMessage, dict: Dictionary = standardDictionary): DiameterError | undefined {
  const cmd = dict.command(msg.commandCode);
  if (cmd === undefined) return undefined;
  const request = (msg.flags & CMD_FLAG.R) !== 0;
  const rules = (msg.flags & CMD_FLAG.E) !== 0 ? dict.answerMessageRules : request ? cmd.requestRules : cmd.answerRules;
  const problem = checkAvps(msg.avps, rules, dict, 0);
  if (problem !== undefined) return withHeader(problem, msg);
  if (!request && !hasResult(msg.avps)) {
    return withHeader(missing("Result-Code", dict) ?? diameterError(RC.MISSING_AVP, "no Result-Code"), msg);
  }
  return undefined;
}

function hasResult(avps: readonly Avp[]): boolean {
  for (let i = 0; i < avps.length; i++) {
    const a = avps[i] as Avp;
    if (a.vendorId === 0 && (a.code === RESULT_CODE || a.code === EXPERIMENTAL_RESULT)) return true;
  }
  return false;
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

/** A CCF compiled against a dictionary: rule index by AVP entry, counted in a small array. */
interface CompiledRules {
  readonly rules: readonly CcfRule[];
  /** Rule position by AvpEntry.id, -1 when the CCF does not name the AVP. */
  readonly slot: Int16Array;
  readonly anyAllowed: boolean;
}

// Rule lists belong to one long-lived Dictionary (it parses its own), so they key the cache alone.
const compiledCache = new Map<readonly CcfRule[], CompiledRules>();
// Occurrence counters by nesting depth, reused across calls (validation is synchronous).
const scratch: Uint32Array[] = [];

function counters(depth: number, size: number): Uint32Array {
  let a = scratch[depth];
  if (a === undefined || a.length < size) scratch[depth] = a = new Uint32Array(Math.max(size, 64));
  a.fill(0, 0, size);
  return a;
}

function compile(rules: readonly CcfRule[], dict: Dictionary): CompiledRules {
  let c = compiledCache.get(rules);
  if (c !== undefined) return c;
  const slot = new Int16Array(dict.size).fill(-1);
  rules.forEach((r, i) => {
    const def = dict.avpByName(r.name);
    if (def !== undefined) slot[def.id] = i;
  });
  c = { rules, slot, anyAllowed: rules.some((r) => r.name === "AVP") };
  compiledCache.set(rules, c);
  return c;
}

function checkAvps(avps: readonly Avp[], rules: readonly CcfRule[], dict: Dictionary, depth: number): DiameterError | undefined {
  const c = compile(rules, dict);
  const counts = counters(depth, rules.length);
  for (let i = 0; i < avps.length; i++) {
    const a = avps[i] as Avp;
    const def = dict.avp(a.code, a.vendorId);
    const at = def === undefined ? -1 : (c.slot[def.id] as number);
    if (at < 0) {
      if (!c.anyAllowed) return diameterError(RC.AVP_NOT_ALLOWED, `${def?.name ?? `AVP ${a.vendorId}:${a.code}`} not allowed here`, { failedAvp: a });
    } else {
      const n = (counts[at] = (counts[at] as number) + 1);
      const rule = rules[at] as CcfRule;
      if (n > rule.max) {
        return diameterError(RC.OCCURS_TOO_MANY_TIMES, `${rule.name} occurs more than ${rule.max} time(s)`, { failedAvp: a });
      }
    }
    if (def?.members !== undefined && a.avps !== undefined && depth < 32) {
      const inner = checkAvps(a.avps, def.members, dict, depth + 1);
      if (inner !== undefined) return inner;
    }
  }
  for (let i = 0; i < rules.length; i++) {
    const r = rules[i] as CcfRule;
    if (r.min > 0 && r.name !== "AVP" && (counts[i] as number) < r.min) {
      return missing(r.name, dict) ?? diameterError(RC.MISSING_AVP, `missing ${r.name}`);
    }
  }
  return undefined;
}
