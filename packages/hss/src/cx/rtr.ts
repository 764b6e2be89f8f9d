import { buildRtr, readRta, REASON_CODE } from "@ims/ims";
import { ok } from "@ims/runtime";
import type { StoreResult } from "../store/errors.js";
import { notFound } from "../store/errors.js";
import { findImpu, firstImpiOf, implicitSetOf, setAssignedScscf, setRegistrationState, subscriptionById } from "../store/cx-repo.js";
import type { CxContext } from "./context.js";
import type { CxSender } from "./sender.js";
import type { HssIdentity } from "./wire.js";

export interface DeregistrationOutcome {
  /** An RTR went to the assigned S-CSCF. */
  readonly sent: boolean;
  /** Result-Code or Experimental-Result-Code of the RTA. */
  readonly answer?: number;
  readonly reason?: string;
}

/**
 * TS 29.228 §6.1.3: administrative de-registration. The HSS sends an RTR (Reason-Code
 * PERMANENT_TERMINATION) for the IMPU's implicit registration set to the assigned S-CSCF, and on a
 * successful RTA (or when no S-CSCF is assigned) sets the set NOT_REGISTERED and clears the S-CSCF
 * once no identity of the subscription stays registered.
 */
export async function deregisterImpu(ctx: CxContext, id: HssIdentity, sender: CxSender, identity: string): Promise<StoreResult<DeregistrationOutcome>> {
  const db = ctx.hss.db;
  const impu = await findImpu(db, identity);
  if (impu === undefined) return notFound(`IMPU '${identity}'`);
  const sub = await subscriptionById(db, impu.subscription_id);
  const impi = await firstImpiOf(db, impu.id);
  const set = await implicitSetOf(db, impu);
  const clear = async () => {
    await db.transaction().execute(async (trx) => {
      await setRegistrationState(trx, set.map((u) => u.id), "NOT_REGISTERED");
      const still = await trx.selectFrom("impu").select("id").where("subscription_id", "=", impu.subscription_id).where("user_state", "!=", "NOT_REGISTERED").executeTakeFirst();
      if (still === undefined) await setAssignedScscf(trx, impu.subscription_id, { name: null, host: null, realm: null });
    });
  };
  if (sub === undefined || sub.scscf_host === null || impu.user_state === "NOT_REGISTERED" || impi === undefined) {
    await clear();
    return ok({ sent: false, reason: "no S-CSCF assigned" });
  }
  const rtr = buildRtr(
    {
      sessionId: sender.nextSessionId(),
      originHost: id.originHost,
      originRealm: id.originRealm,
      destinationHost: sub.scscf_host,
      destinationRealm: sub.scscf_realm ?? id.originRealm,
      userName: impi.identity,
      publicIdentities: set.map((u) => u.identity),
      deregistrationReason: { reasonCode: REASON_CODE.PERMANENT_TERMINATION, reasonInfo: "administrative de-registration" },
    },
    sender.nextIds(),
  );
  let answer;
  try {
    answer = readRta(await sender.send(rtr));
  } catch (e) {
    ctx.logger.warn({ impu: identity, scscf: sub.scscf_host, err: (e as Error).message }, "RTR not answered");
    return ok({ sent: true, reason: "no answer from the S-CSCF" });
  }
  if (!answer.ok) return ok({ sent: true, reason: answer.error.reason });
  if (answer.value.result.code >= 2000 && answer.value.result.code < 3000) await clear();
  return ok({ sent: true, answer: answer.value.result.code });
}
