import { type CxResult, type RegistrationTerminationRequest, cxSuccess } from "@ims/ims";
import type { Registration } from "../storage/bindings.js";
import type { RegistrarContext } from "./context.js";

/**
 * TS 29.228 §6.5.1 / TS 24.229 §5.4.1.5: the HSS de-registers identities (RTR). The listed public
 * identities lose their registration (with its whole implicit set); an RTR naming none removes every
 * registration of the IMPI (and of its Associated-Identities). Answered DIAMETER_SUCCESS.
 */
export function registrationTermination(ctx: RegistrarContext, rtr: RegistrationTerminationRequest): CxResult {
  const removed = new Set<Registration>();
  for (const impu of rtr.publicIdentities) {
    const reg = ctx.bindings.remove(impu);
    if (reg !== undefined) removed.add(reg);
  }
  if (rtr.publicIdentities.length === 0) {
    for (const impi of [rtr.userName, ...(rtr.associatedIdentities ?? [])]) {
      for (const reg of ctx.bindings.ofImpi(impi)) {
        ctx.bindings.remove(reg.impu);
        removed.add(reg);
      }
    }
  }
  for (const reg of removed) ctx.challenges.forget(reg.impi);
  ctx.log.info(
    { impi: rtr.userName, reason: rtr.deregistrationReason.reasonCode, removed: [...removed].map((r) => r.impu) },
    "registrar RTR",
  );
  return cxSuccess;
}
