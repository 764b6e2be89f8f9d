import type { ExpiredBinding } from "../storage/bindings.js";
import type { RegistrarContext } from "./context.js";
import { SAT, serverAssignment } from "./server-assignment.js";

/**
 * A binding's lifetime ran out (RFC 3261 §10.3). When it was the last one of the registration, the
 * implicit set is de-registered and the HSS told with SAR TIMEOUT_DEREGISTRATION (TS 24.229 §5.4.1.5).
 */
export async function bindingExpired(ctx: RegistrarContext, e: ExpiredBinding): Promise<void> {
  const reg = e.registration;
  ctx.log.debug({ impu: reg.impu, contact: e.binding.contact, last: e.last }, "registrar binding expired");
  if (!e.last) return;
  ctx.log.info({ impi: reg.impi, impu: reg.impu }, "registrar registration expired");
  await serverAssignment(ctx, reg.impi, [reg.impu], SAT.TIMEOUT_DEREGISTRATION);
}
