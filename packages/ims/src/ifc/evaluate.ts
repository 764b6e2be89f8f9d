import type {
  InitialFilterCriteria,
  ProfilePartIndicator,
  RegistrationType,
  ServicePointTrigger,
  SessionCase,
  TriggerPoint,
} from "../user-data/types.js";

/** What an iFC can look at in a request (TS 29.228 Annex B.2.2 Service Point Trigger). */
export interface IfcRequest {
  readonly method: string;
  readonly requestUri: string;
  /** Values of a header by name (case-insensitive), in order; [] when absent. */
  headers(name: string): readonly string[];
  /** The SDP body's lines as "type=value" (empty without SDP). */
  readonly sdpLines: readonly string[];
  /** For REGISTER triggers: which kind of registration this is. */
  readonly registrationType?: RegistrationType;
}

/** A regular expression from the profile; a broken one matches nothing rather than throwing. */
const regexCache = new Map<string, RegExp | null>();
function regex(source: string): RegExp | null {
  let r = regexCache.get(source);
  if (r === undefined) {
    try {
      r = new RegExp(source, "i");
    } catch {
      r = null;
    }
    if (regexCache.size > 1_000) regexCache.clear();
    regexCache.set(source, r);
  }
  return r;
}

function test(source: string, value: string): boolean {
  const r = regex(source);
  return r !== null && r.test(value);
}

/** One SPT against the request (Annex B.2.2: Method, RequestURI, SIPHeader, SessionCase, SessionDescription). */
export function matchSpt(spt: ServicePointTrigger, req: IfcRequest, sessionCase: SessionCase): boolean {
  const c = spt.condition;
  let hit: boolean;
  switch (c.kind) {
    case "method":
      hit = req.method.toUpperCase() === c.method.toUpperCase();
      // Annex B.2.2: for REGISTER, RegistrationType narrows the trigger to those kinds.
      if (hit && req.method === "REGISTER" && spt.registrationType !== undefined && spt.registrationType.length > 0) {
        hit = req.registrationType !== undefined && spt.registrationType.includes(req.registrationType);
      }
      break;
    case "requestUri":
      hit = test(c.requestUri, req.requestUri);
      break;
    case "sipHeader": {
      const values = req.headers(c.header);
      const content = c.content;
      hit = content === undefined ? values.length > 0 : values.some((v) => test(content, v));
      break;
    }
    case "sessionCase":
      hit = c.sessionCase === sessionCase;
      break;
    case "sessionDescription": {
      const prefix = `${c.line}=`;
      const lines = req.sdpLines.filter((l) => l.startsWith(prefix)).map((l) => l.slice(prefix.length));
      const content = c.content;
      hit = content === undefined ? lines.length > 0 : lines.some((v) => test(content, v));
      break;
    }
  }
  return spt.conditionNegated ? !hit : hit;
}

/**
 * A trigger point (Annex C): SPTs carry group numbers. CNF is an AND of groups, each the OR of its
 * SPTs; DNF is an OR of groups, each the AND of its SPTs. No trigger point: the iFC always applies.
 */
export function matchTriggerPoint(tp: TriggerPoint | undefined, req: IfcRequest, sessionCase: SessionCase): boolean {
  if (tp === undefined || tp.spt.length === 0) return true;
  const groups = new Map<number, boolean[]>();
  for (const spt of tp.spt) {
    const hit = matchSpt(spt, req, sessionCase);
    for (const g of spt.group.length === 0 ? [0] : spt.group) {
      const list = groups.get(g) ?? [];
      list.push(hit);
      groups.set(g, list);
    }
  }
  const results = [...groups.values()];
  return tp.conditionTypeCnf ? results.every((g) => g.some(Boolean)) : results.some((g) => g.every(Boolean));
}

/**
 * The iFCs that apply to a request, in priority order (lowest value first, TS 29.228 Annex B.2.1),
 * for the served user's session case; `profilePart` filters by ProfilePartIndicator (registered or
 * unregistered user), iFCs without one apply to both.
 */
export function matchingIfcs(
  ifcs: readonly InitialFilterCriteria[],
  req: IfcRequest,
  sessionCase: SessionCase,
  profilePart: ProfilePartIndicator,
): InitialFilterCriteria[] {
  return ifcs
    .filter((f) => f.profilePartIndicator === undefined || f.profilePartIndicator === profilePart)
    .filter((f) => matchTriggerPoint(f.triggerPoint, req, sessionCase))
    .sort((a, b) => a.priority - b.priority);
}
