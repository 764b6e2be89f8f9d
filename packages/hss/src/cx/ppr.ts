import { buildPpr, readPpa, serializeUserData } from "@ims/ims";
import { buildUserData, chargingInfoOf, findImpu, firstImpiOf, implicitSetOf, subscriptionById } from "../store/cx-repo.js";
import type { CxContext } from "./context.js";
import type { CxSender } from "./sender.js";
import type { HssIdentity } from "./wire.js";

/**
 * TS 29.228 §6.2.2: after an administrator changed a profile, the HSS pushes the new User-Data (and
 * Charging-Information) to the S-CSCF serving each registered or unregistered implicit set. Returns
 * the Result-Codes of the PPAs, one per set pushed.
 */
export async function pushProfiles(ctx: CxContext, id: HssIdentity, sender: CxSender, impus: readonly string[]): Promise<number[]> {
  const db = ctx.hss.db;
  const done = new Set<number>();
  const codes: number[] = [];
  for (const identity of impus) {
    const impu = await findImpu(db, identity);
    if (impu === undefined || done.has(impu.implicit_set) || impu.user_state === "NOT_REGISTERED") continue;
    done.add(impu.implicit_set);
    const sub = await subscriptionById(db, impu.subscription_id);
    const impi = await firstImpiOf(db, impu.id);
    if (sub === undefined || sub.scscf_host === null || impi === undefined) continue;
    const set = await implicitSetOf(db, impu);
    const ci = await chargingInfoOf(db, impu.charging_info_id);
    const ppr = buildPpr(
      {
        sessionId: sender.nextSessionId(),
        originHost: id.originHost,
        originRealm: id.originRealm,
        destinationHost: sub.scscf_host,
        destinationRealm: sub.scscf_realm ?? id.originRealm,
        userName: impi.identity,
        userData: serializeUserData(await buildUserData(db, impi.identity, set)),
        ...(ci === undefined
          ? {}
          : {
              chargingInformation: {
                ...(ci.pri_ecf === null ? {} : { primaryEventChargingFunctionName: ci.pri_ecf }),
                ...(ci.sec_ecf === null ? {} : { secondaryEventChargingFunctionName: ci.sec_ecf }),
                ...(ci.pri_ccf === null ? {} : { primaryChargingCollectionFunctionName: ci.pri_ccf }),
                ...(ci.sec_ccf === null ? {} : { secondaryChargingCollectionFunctionName: ci.sec_ccf }),
              },
            }),
      },
      sender.nextIds(),
    );
    try {
      const a = readPpa(await sender.send(ppr));
      codes.push(a.ok ? a.value.result.code : 0);
      if (!a.ok) ctx.logger.warn({ impu: identity, reason: a.error.reason }, "PPA unreadable");
    } catch (e) {
      ctx.logger.warn({ impu: identity, scscf: sub.scscf_host, err: (e as Error).message }, "PPR not answered");
      codes.push(0);
    }
  }
  return codes;
}
