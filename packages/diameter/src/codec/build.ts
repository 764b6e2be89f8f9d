import { ImsError } from "@ims/runtime";
import {
  type AvpName,
  type AvpValue,
  type CommandAbbrev,
  type Dictionary,
  AVP_FLAG,
  standardDictionary,
} from "../dictionary/index.js";
import type { GroupedValue } from "../dictionary/types.js";
import { encodeAvps } from "./encode.js";
import { encodeValue } from "./values.js";
import { type Avp, type DiameterMessage, CMD_FLAG, membersOf } from "./types.js";

export interface AvpOptions {
  /** Override the M bit the dictionary gives. */
  readonly mandatory?: boolean;
  readonly dictionary?: Dictionary;
}

/**
 * Builds an AVP by dictionary name with a typed value: `avp("Origin-Host", "hss.example")`,
 * `avp("Vendor-Specific-Application-Id", [avp("Vendor-Id", 10415), avp("Auth-Application-Id", 16777216)])`.
 * Code, vendor and V/M flags come from the dictionary. Unknown names throw (a programmer error).
 */
export function avp<N extends AvpName>(name: N, value: AvpValue<N>, options?: AvpOptions): Avp {
  const dict = options?.dictionary ?? standardDictionary;
  const def = dict.avpByName(name);
  if (def === undefined) throw new ImsError("diameter-encode", `unknown AVP ${name}`);
  let flags = def.sendFlags;
  if (options?.mandatory !== undefined) flags = options.mandatory ? flags | AVP_FLAG.M : flags & ~AVP_FLAG.M;
  if (def.type === "Grouped") {
    const members = value as GroupedValue as readonly Avp[];
    return { code: def.code, flags, vendorId: def.vendorId, data: encodeAvps(members), avps: members };
  }
  return { code: def.code, flags, vendorId: def.vendorId, data: encodeValue(def.type, value), avps: undefined };
}

/** An AVP from raw parts (for AVPs outside the dictionary). The V bit follows vendorId. */
export function rawAvp(code: number, data: Uint8Array, options?: { vendorId?: number; mandatory?: boolean }): Avp {
  const vendorId = options?.vendorId ?? 0;
  const flags = (vendorId !== 0 ? AVP_FLAG.V : 0) | (options?.mandatory === true ? AVP_FLAG.M : 0);
  return { code, flags, vendorId, data, avps: undefined };
}

/** Hop-by-hop and end-to-end identifiers of a request (RFC 6733 §3). */
export interface MessageIds {
  readonly hopByHop: number;
  readonly endToEnd: number;
}

export interface RequestOptions {
  /** Required for commands whose application is that of the session (RAR, STR, ASR, ACR). */
  readonly applicationId?: number;
  readonly proxiable?: boolean;
  /** T bit: a retransmission after failover. */
  readonly retransmitted?: boolean;
  readonly dictionary?: Dictionary;
}

/**
 * A request by its abbreviation ("CER", "MAR"...): command code, application id and P bit from the
 * dictionary; AVPs in the order given.
 */
export function createRequest(
  command: CommandAbbrev,
  avps: readonly Avp[],
  ids: MessageIds,
  options?: RequestOptions,
): DiameterMessage {
  const def = (options?.dictionary ?? standardDictionary).commandByAbbrev(command);
  if (def === undefined) throw new ImsError("diameter-encode", `unknown command ${command}`);
  const applicationId = options?.applicationId ?? def.applicationId;
  if (applicationId === null) throw new ImsError("diameter-encode", `${command} needs an applicationId`);
  let flags = CMD_FLAG.R;
  if (options?.proxiable ?? def.proxiable) flags |= CMD_FLAG.P;
  if (options?.retransmitted === true) flags |= CMD_FLAG.T;
  return { flags, commandCode: def.code, applicationId, hopByHop: ids.hopByHop, endToEnd: ids.endToEnd, avps };
}

const SESSION_ID = 263;
const PROXY_INFO = 284;

/** The first base-protocol (vendor 0) AVP with that code (a loop: no callback per answer). */
function firstBase(avps: readonly Avp[], code: number): Avp | undefined {
  for (let i = 0; i < avps.length; i++) {
    const a = avps[i] as Avp;
    if (a.code === code && a.vendorId === 0) return a;
  }
  return undefined;
}

/**
 * The answer to a request (RFC 6733 §6.2): same command code, application id, hop-by-hop and
 * end-to-end ids, P bit copied, R cleared, E set when `error` is true. The request's Session-Id is put
 * first unless `avps` already has one, and its Proxy-Info AVPs are appended in order.
 */
export function answerTo(request: DiameterMessage, avps: readonly Avp[], options?: { error?: boolean }): DiameterMessage {
  const out: Avp[] = [];
  const req = membersOf(request);
  const session = firstBase(req, SESSION_ID);
  if (session !== undefined && firstBase(avps, SESSION_ID) === undefined) out.push(session);
  for (let i = 0; i < avps.length; i++) out.push(avps[i] as Avp);
  for (let i = 0; i < req.length; i++) {
    const a = req[i] as Avp;
    if (a.code === PROXY_INFO && a.vendorId === 0) out.push(a);
  }
  return {
    flags: (request.flags & CMD_FLAG.P) | (options?.error === true ? CMD_FLAG.E : 0),
    commandCode: request.commandCode,
    applicationId: request.applicationId,
    hopByHop: request.hopByHop,
    endToEnd: request.endToEnd,
    avps: out,
  };
}
