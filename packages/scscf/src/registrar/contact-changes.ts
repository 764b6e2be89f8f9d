import { nameAddrParamsText, nameAddrUriText } from "@ims/sip";
import { type Result, detachString, err, ok } from "@ims/runtime";
import { DEFAULT_LIMITS, type RegistrationLimits } from "../config.js";
import { type Binding, applyBindingChanges } from "../storage/bindings.js";
import type { RegisterRequest } from "./register-request.js";
import { type SipReply, reply } from "./sip-reply.js";

export interface BindingChange {
  readonly binding: Binding;
  readonly remove: boolean;
}

/**
 * RFC 3261 §10.3 steps 7–8 for each Contact: its lifetime is its expires parameter, else the
 * Expires header, else the default; 0 removes; below the minimum gets 423 (with Min-Expires);
 * above the maximum is shortened. "*" removes every binding of the AOR.
 */
export function contactChanges(
  r: RegisterRequest,
  current: readonly Binding[],
  limits: RegistrationLimits,
  now: number,
): Result<BindingChange[], SipReply> {
  if (r.contacts === "*") {
    const base = { path: r.path, callId: r.callId, cseq: r.cseq };
    return ok(current.map((b) => ({ binding: { ...b, ...base }, remove: true })));
  }
  const out: BindingChange[] = [];
  // A binding lives as long as its registration: strings of their own, not views into the
  // REGISTER's whole text (which each of them would keep alive).
  let path: readonly string[] | undefined;
  let callId: string | undefined;
  for (const c of r.contacts) {
    const requested = c.expires ?? r.expires ?? limits.defaultExpires;
    if (requested > 0 && requested < limits.minExpires) {
      return err(reply(423, "Interval Too Brief", [["Min-Expires", String(limits.minExpires)]]));
    }
    const seconds = Math.min(requested, limits.maxExpires);
    out.push({
      binding: {
        contact: detachString(nameAddrUriText(c)),
        expiresAt: now + seconds * 1000,
        q: c.q ?? 1,
        params: detachString(nameAddrParamsText(c, "expires")),
        path: (path ??= r.path.length === 0 ? r.path : r.path.map(detachString)),
        callId: (callId ??= detachString(r.callId)),
        cseq: r.cseq,
      },
      remove: seconds === 0,
    });
  }
  return ok(out);
}

/**
 * The bindings the IMPU would hold after `changes` (merged as `Bindings.update` does), checked
 * against the per-IMPU limits: a 403 when over, else undefined. Without it a user could bind so many
 * (or such long) contacts that the 200 OK listing them no longer parsed at the next hop, so every
 * later REGISTER of that user, de-registration included, timed out (408) until they expired.
 */
export function overContactLimits(
  current: readonly Binding[],
  changes: readonly BindingChange[],
  limits: RegistrationLimits,
  now: number,
): SipReply | undefined {
  const kept: Binding[] = [];
  for (let i = 0; i < current.length; i++) if ((current[i] as Binding).expiresAt > now) kept.push(current[i] as Binding);
  applyBindingChanges(kept, changes, false);
  const maxContacts = limits.maxContacts ?? DEFAULT_LIMITS.maxContacts ?? 20;
  const maxBytes = limits.maxContactBytes ?? DEFAULT_LIMITS.maxContactBytes ?? 32 * 1024;
  if (kept.length > maxContacts) return reply(403, `Forbidden - more than ${maxContacts} contacts`);
  let bytes = 0;
  // "Contact: <uri>;expires=NNNNNN" + params + CRLF, as the 200 OK will carry it
  for (let i = 0; i < kept.length; i++) bytes += (kept[i] as Binding).contact.length + (kept[i] as Binding).params.length + 32;
  if (bytes > maxBytes) return reply(403, `Forbidden - contacts longer than ${maxBytes} octets together`);
  return undefined;
}
