import type { HssDb } from "./open-db.js";
import { createApplicationServer, createServiceProfile, putIfc } from "./profile-repo.js";
import { createImpi, createImpu, createSubscription } from "./subscriber-repo.js";
import { applicationServerSchema, ifcSchema, impiSchema, impuSchema, serviceProfileSchema, subscriptionSchema } from "../provisioning/schemas.js";

/** Provisions a user the way the API would (tests and benches). */
export async function provisionUser(
  hss: HssDb,
  user: { name: string; domain?: string; secret?: string; sqn?: string; profile?: string; impuExtra?: Record<string, unknown> },
): Promise<void> {
  const domain = user.domain ?? "domain.imsprovider.org";
  const profile = user.profile ?? "default";
  const impi = `${user.name}@${domain}`;
  await createSubscription(hss.db, subscriptionSchema.parse({ name: user.name }));
  const i = await createImpi(
    hss.db,
    impiSchema.parse({ identity: impi, subscription: user.name, secret: user.secret ?? `${user.name}pass`, sqn: user.sqn ?? "000000021090" }),
  );
  if (!i.ok) throw new Error(i.error.reason);
  const u = await createImpu(
    hss.db,
    impuSchema.parse({ identity: `sip:${impi}`, subscription: user.name, serviceProfile: profile, impis: [impi], ...user.impuExtra }),
  );
  if (!u.ok) throw new Error(u.error.reason);
}

export async function provisionProfile(hss: HssDb, name = "default"): Promise<void> {
  await createApplicationServer(hss.db, applicationServerSchema.parse({ name: `${name}-as`, serverName: "sip:as.domain.imsprovider.org:5070" }));
  await createServiceProfile(hss.db, serviceProfileSchema.parse({ name }));
  await putIfc(
    hss.db,
    name,
    ifcSchema.parse({
      name: "invite",
      priority: 1,
      applicationServer: `${name}-as`,
      triggerPoint: { conditionTypeCnf: false, spt: [{ condition: { kind: "method", method: "INVITE" } }] },
    }),
  );
}
