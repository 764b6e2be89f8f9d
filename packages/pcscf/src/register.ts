import { type RegisterRequest, isDeregistration, readRegister } from "@ims/ims";
import {
  type Destination,
  type RequestContext,
  type SipHeader,
  type SipRequest,
  type SipResponse,
  addHeader,
  keyOf,
  parsedHeader,
  parseTokenList,
  parseUri,
  serializePVisitedNetworkId,
} from "@ims/sip";
import { advertiseVia, pathValue } from "./advertised.js";
import { stripChallengeKeys } from "./challenge-filter.js";
import { registerChargingVectorOf } from "./charging.js";
import { type PcscfContext, registrationKey } from "./context.js";
import { registrationChanges } from "./registration-update.js";
import { removeUntrusted } from "./trust-domain.js";

/** Where a REGISTER may go: the home domain as it came, or our own address replaced by it. */
type RegisterTarget = { readonly ok: true; readonly uri?: string } | { readonly ok: false; readonly status: number; readonly reason: string };

const AS_IS: RegisterTarget = Object.freeze({ ok: true });

/**
 * TS 24.229 §5.2.2.1 (the REGISTER Request-URI names the home network's registrar, RFC 3261
 * §10.2): the home domain is forwarded as is; our own address or name (a client configured with
 * the P-CSCF as its "domain") is rewritten to the home domain; anything else is refused.
 */
export function registerTarget(requestUri: string, p: PcscfContext): RegisterTarget {
  // nearly every REGISTER names the home domain as sip:<domain>: that text is checked once per P-CSCF
  if (requestUri === registerValues(p).homeUri) return AS_IS;
  return targetOf(requestUri, p);
}

function targetOf(requestUri: string, p: PcscfContext): RegisterTarget {
  const u = parseUri(requestUri);
  if (!u.ok || u.value.kind !== "sip") return { ok: false, status: 404, reason: "Not Found - REGISTER Request-URI is not a SIP URI" };
  const uri = u.value;
  if (uri.user !== undefined) return { ok: false, status: 404, reason: "Not Found - REGISTER Request-URI names a user, not a domain" };
  if (uri.host.toLowerCase() === p.domain.toLowerCase()) return AS_IS;
  if (p.stack.isLocal(uri) || (uri.host.toLowerCase() === p.advertised.host.toLowerCase() && (uri.port ?? 5060) === p.advertised.port)) {
    return { ok: true, uri: `${uri.scheme}:${p.domain}` };
  }
  return { ok: false, status: 403, reason: `Forbidden - ${uri.host} is not the home domain of this P-CSCF` };
}

/**
 * The P-CSCF's REGISTER procedure (TS 24.229 §5.2.2, RFC 3327, RFC 3608): checks the request,
 * forwards it to the I-CSCF of the home domain (RFC 3263 on the domain, or the configured
 * I-CSCF) with Path, Supported/Require: path, P-Visited-Network-ID and P-Charging-Vector, takes
 * ck/ik out of the 401, and keeps the registration the 200 OK describes. No Record-Route: a
 * REGISTER creates no dialog.
 */
export function handleRegister(ctx: RequestContext, p: PcscfContext): Promise<void> | undefined {
  const read = readRegister(ctx.request, p.domain);
  if (!read.ok) {
    ctx.respond(read.error.status, { reason: read.error.reason });
    return undefined;
  }
  const target = registerTarget(ctx.request.uri, p);
  if (!target.ok) {
    ctx.respond(target.status, { reason: target.reason });
    return undefined;
  }
  const reg = read.value;
  const source = ctx.source;
  const known = p.registrations.hasSource(source.transport, source.address, source.port);
  if (!known && !isDeregistration(reg) && p.registrations.size() >= p.limits.maxRegistrations) {
    p.log.warn({ impu: reg.impu, size: p.registrations.size() }, "registration table full");
    ctx.respond(503, { reason: "Service Unavailable - registration table full", headers: [["Retry-After", "60"]] });
    return undefined;
  }
  // no async function (and no Promise around a resolver that answers at once): a REGISTER is
  // forwarded for the price of the I-CSCF lookup and the forward
  const resolved = p.resolver(p.icscf);
  if (!(resolved instanceof Promise)) return forwardRegister(ctx, p, reg, target.uri, resolved);
  return resolved.then(
    (icscf) => forwardRegister(ctx, p, reg, target.uri, icscf),
    () => forwardRegister(ctx, p, reg, target.uri, undefined),
  );
}

/** Forwards the REGISTER to the I-CSCF found (`uri`: a new Request-URI); 503 when none was. */
function forwardRegister(
  ctx: RequestContext,
  p: PcscfContext,
  reg: RegisterRequest,
  uri: string | undefined,
  icscf: Destination | undefined,
): Promise<void> | undefined {
  if (icscf === undefined) {
    p.log.warn({ icscf: p.icscf.host }, "I-CSCF not resolvable");
    ctx.respond(503, { reason: "Service Unavailable - I-CSCF not resolvable" });
    return undefined;
  }
  const source = ctx.source;
  const icid = p.newIcid();
  if (p.log.isLevelEnabled("debug")) {
    p.log.debug({ impu: reg.impu, src: `${source.transport}:${source.address}:${source.port}`, icid }, "REGISTER to I-CSCF");
  }
  return ctx
    .forward(uri === undefined ? { destination: icscf } : { destination: icscf, uri }, {
      onBranchRequest: (req) => prepareRegister(req, p, icid),
      onResponse: (res) => keepChallengeKeys(res, reg, source, p),
      onFinal: (res) => {
        if (res.status >= 200 && res.status < 300) updateRegistrations(reg, res, source, p);
      },
    })
    .then(done);
}

const done = (): void => undefined;

/** The edits of the REGISTER that goes to the I-CSCF (TS 24.229 §5.2.2.1 steps 1-4, RFC 3327 §5.1). */
export function prepareRegister(req: SipRequest, p: PcscfContext, icid: string): void {
  const values = registerValues(p);
  removeUntrusted(req);
  advertiseVia(req, p.advertised, p.stack.transport.local.address);
  addHeader(req, "Path", values.path, "first");
  if (!hasPathTag(req, "supported")) addHeader(req, "Supported", "path");
  // TS 24.228 §6.2 (R1-1c) and Kamailio's P-CSCF: a registrar that ignored Path would leave the
  // UE unreachable, so a misrouted REGISTER should fail with 420 rather than succeed (RFC 3327 §5.1).
  if (!hasPathTag(req, "require")) addHeader(req, "Require", "path");
  addHeader(req, "P-Visited-Network-ID", values.visitedNetworkId);
  addHeader(req, "P-Charging-Vector", values.chargingVector(icid));
}

/** The header values a P-CSCF writes in every REGISTER (its context does not change), written once. */
interface RegisterValues {
  /** sip:<home domain>, when it is a Request-URI forwarded as is (undefined for a domain that is no SIP host). */
  readonly homeUri: string | undefined;
  readonly path: string;
  readonly visitedNetworkId: string;
  readonly chargingVector: (icid: string) => string;
}

const valuesOf = new WeakMap<PcscfContext, RegisterValues>();

function registerValues(p: PcscfContext): RegisterValues {
  let v = valuesOf.get(p);
  if (v === undefined) {
    const home = `sip:${p.domain}`;
    v = {
      homeUri: targetOf(home, p) === AS_IS ? home : undefined,
      path: pathValue(p.advertised),
      visitedNetworkId: serializePVisitedNetworkId({ value: p.visitedNetworkId, params: new Map() }),
      chargingVector: registerChargingVectorOf(p.advertised.host, p.visitedNetworkId),
    };
    valuesOf.set(p, v);
  }
  return v;
}

/**
 * Whether the Supported or Require lines (`key`) list the option tag "path", in any case; false
 * when one of them is malformed (as `getTokens` then gives nothing). Reads the cached token lists
 * without copying them.
 */
function hasPathTag(req: SipRequest, key: "supported" | "require"): boolean {
  let found = false;
  for (const h of req.headers) {
    if (!isNamed(h, key)) continue;
    const r = parsedHeader(h, parseTokenList);
    if (!r.ok) return false;
    if (!found) for (const t of r.value) if (isPath(t)) found = true;
  }
  return found;
}

/** `h` is a `key` line: names of another length (but a compact form) are turned down without computing their key. */
const isNamed = (h: SipHeader, key: string): boolean => (h.name.length === key.length || h.name.length === 1) && keyOf(h) === key;

/** t.toLowerCase() === "path", without the copy. */
const isPath = (t: string): boolean =>
  t.length === 4 &&
  (t.charCodeAt(0) | 0x20) === 0x70 &&
  (t.charCodeAt(1) | 0x20) === 0x61 &&
  (t.charCodeAt(2) | 0x20) === 0x74 &&
  (t.charCodeAt(3) | 0x20) === 0x68;

/** ck/ik leave every response before it is relayed; the keys are kept for the registration. */
function keepChallengeKeys(res: SipResponse, reg: RegisterRequest, source: Destination, p: PcscfContext): void {
  const { keys, changed } = stripChallengeKeys(res);
  if (changed === 0) return;
  if (keys !== undefined) p.keys.set(registrationKey(reg.impu, source), keys, p.limits.challengeKeySeconds * 1000);
  if (p.log.isLevelEnabled("debug")) p.log.debug({ impu: reg.impu, status: res.status, keys: keys !== undefined }, "challenge keys removed");
}

function updateRegistrations(reg: RegisterRequest, res: SipResponse, source: Destination, p: PcscfContext): void {
  const now = p.clock.now();
  const changes = registrationChanges(reg, res, source, p.registrations.forAor(reg.impu), now, p.limits.graceSeconds * 1000);
  for (const r of changes.remove) p.registrations.remove(r.aor, r.contact);
  for (const r of changes.save) p.registrations.save(r);
  // the keys live as long as the last registration of this IMPU from this source
  const key = registrationKey(reg.impu, source);
  let mine = 0;
  let last = -Infinity;
  for (const r of p.registrations.forAor(reg.impu)) {
    if (registrationKey(r.aor, r) !== key) continue;
    mine++;
    last = Math.max(last, r.expiresAt);
  }
  if (mine === 0) p.keys.delete(key);
  else p.keys.extend(key, last - now);
  if (p.log.isLevelEnabled("debug")) {
    p.log.debug(
      { impu: reg.impu, saved: changes.save.length, removed: changes.remove.length, impus: changes.save[0]?.impus.length ?? 0 },
      isDeregistration(reg) ? "de-registered" : "registered",
    );
  }
}
