import type { RegistrarContext } from "./context.js";
import type { BindingChange } from "./contact-changes.js";
import { okReply } from "./ok-response.js";
import type { RegisterRequest } from "./register-request.js";
import { SAT, serverAssignment } from "./server-assignment.js";
import type { SipReply } from "./sip-reply.js";

/**
 * TS 24.229 §5.4.1.4: a REGISTER with expiry 0 removes the bindings it names (all of them for "*");
 * when none is left the whole implicit set is de-registered and the HSS told with SAR
 * USER_DEREGISTRATION. The UE gets 200 OK even when the HSS cannot be told: its bindings are gone.
 */
export async function deregister(ctx: RegistrarContext, r: RegisterRequest, changes: readonly BindingChange[]): Promise<SipReply> {
  const current = ctx.bindings.find(r.impu);
  if (current === undefined) return okReply(ctx, r, undefined);
  const { bindings: _, ...base } = current;
  const left = ctx.bindings.update(base, changes);
  if (left === undefined) {
    ctx.log.info({ impi: current.impi, impu: current.impu }, "registrar user de-registered");
    await serverAssignment(ctx, current.impi, [current.impu], SAT.USER_DEREGISTRATION);
  }
  return okReply(ctx, r, left);
}
