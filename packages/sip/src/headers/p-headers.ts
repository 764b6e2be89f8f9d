import { ok, type Result } from "@ims/runtime";
import { headerFail, parseParams, quote, readQuoted, serializeParams, splitList, tokenEnd, unquote, type HeaderParseError, type Params } from "./lex.js";

/** P-Charging-Vector (RFC 7315 §4.6): icid-value is mandatory; orig-ioi / term-ioi per TS 24.229. */
export interface PChargingVector {
  readonly icidValue: string;
  readonly icidGeneratedAt?: string;
  readonly origIoi?: string;
  readonly termIoi?: string;
  /** Every parameter, icid-value included, raw (quoted values keep their quotes), in order. */
  params: Params;
}

export function parsePChargingVector(value: string): Result<PChargingVector, HeaderParseError> {
  const p = parseParams(`;${value.trim()}`, 0);
  if (!p.ok) return p;
  if (p.value.end !== value.trim().length + 1) return headerFail("junk in P-Charging-Vector");
  const params = p.value.params;
  const icid = unquote(params.get("icid-value"));
  if (icid === undefined || icid.length === 0) return headerFail("P-Charging-Vector without icid-value");
  const out: { -readonly [K in keyof PChargingVector]: PChargingVector[K] } = { icidValue: icid, params };
  const gen = unquote(params.get("icid-generated-at"));
  if (gen !== undefined) out.icidGeneratedAt = gen;
  const o = unquote(params.get("orig-ioi"));
  if (o !== undefined) out.origIoi = o;
  const t = unquote(params.get("term-ioi"));
  if (t !== undefined) out.termIoi = t;
  return ok(out);
}

/** Build a P-Charging-Vector value; values that are not tokens are quoted. */
export function serializePChargingVector(v: {
  icidValue: string;
  icidGeneratedAt?: string;
  origIoi?: string;
  termIoi?: string;
  params?: ReadonlyMap<string, string | null>;
}): string {
  const tok = (s: string): string => (s.length > 0 && tokenEnd(s, 0) === s.length ? s : quote(s));
  const m = new Map<string, string | null>(v.params ?? []);
  m.set("icid-value", tok(v.icidValue));
  if (v.icidGeneratedAt !== undefined) m.set("icid-generated-at", v.icidGeneratedAt);
  if (v.origIoi !== undefined) m.set("orig-ioi", tok(v.origIoi));
  if (v.termIoi !== undefined) m.set("term-ioi", tok(v.termIoi));
  return serializeParams(m).slice(1);
}

/** One P-Access-Network-Info value (RFC 7315 §4.4): access type and its parameters. */
export interface AccessNetworkInfo {
  accessType: string;
  params: Params;
}

export function parsePAccessNetworkInfo(value: string): Result<AccessNetworkInfo[], HeaderParseError> {
  const out: AccessNetworkInfo[] = [];
  for (const item of splitList(value)) {
    const te = tokenEnd(item, 0);
    if (te === 0) return headerFail("malformed access-type");
    const p = parseParams(item, te);
    if (!p.ok) return p;
    if (p.value.end !== item.length) return headerFail("junk in P-Access-Network-Info");
    out.push({ accessType: item.slice(0, te), params: p.value.params });
  }
  return ok(out);
}

export const serializePAccessNetworkInfo = (a: AccessNetworkInfo): string => `${a.accessType}${serializeParams(a.params)}`;

/** One P-Visited-Network-ID value (RFC 7315 §4.3): token or quoted string, with parameters. */
export interface VisitedNetworkId {
  /** Unquoted network name. */
  value: string;
  params: Params;
}

export function parsePVisitedNetworkId(value: string): Result<VisitedNetworkId[], HeaderParseError> {
  const out: VisitedNetworkId[] = [];
  for (const item of splitList(value)) {
    let v: string;
    let end: number;
    if (item.charCodeAt(0) === 0x22) {
      const q = readQuoted(item, 0);
      if (q === undefined) return headerFail("unterminated quoted P-Visited-Network-ID");
      v = q.value;
      end = q.end;
    } else {
      end = tokenEnd(item, 0);
      if (end === 0) return headerFail("malformed P-Visited-Network-ID");
      v = item.slice(0, end);
    }
    const p = parseParams(item, end);
    if (!p.ok) return p;
    if (p.value.end !== item.length) return headerFail("junk in P-Visited-Network-ID");
    out.push({ value: v, params: p.value.params });
  }
  return ok(out);
}

export function serializePVisitedNetworkId(v: VisitedNetworkId): string {
  const name = v.value.length > 0 && tokenEnd(v.value, 0) === v.value.length ? v.value : quote(v.value);
  return name + serializeParams(v.params);
}
