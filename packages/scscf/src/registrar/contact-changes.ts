import { serializeParams, serializeUri } from "@ims/sip";
import { type Result, err, ok } from "@ims/runtime";
import type { RegistrationLimits } from "../config.js";
import type { Binding } from "../storage/bindings.js";
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
  const base = { path: r.path, callId: r.callId, cseq: r.cseq };
  if (r.contacts === "*") return ok(current.map((b) => ({ binding: { ...b, ...base }, remove: true })));
  const out: BindingChange[] = [];
  for (const c of r.contacts) {
    const requested = c.expires ?? r.expires ?? limits.defaultExpires;
    if (requested > 0 && requested < limits.minExpires) {
      return err(reply(423, "Interval Too Brief", [["Min-Expires", String(limits.minExpires)]]));
    }
    const seconds = Math.min(requested, limits.maxExpires);
    const params = new Map(c.params);
    params.delete("expires");
    out.push({
      binding: {
        contact: serializeUri(c.uri),
        expiresAt: now + seconds * 1000,
        q: c.q ?? 1,
        params: serializeParams(params),
        ...base,
      },
      remove: seconds === 0,
    });
  }
  return ok(out);
}
