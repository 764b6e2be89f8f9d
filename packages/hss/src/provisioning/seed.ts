import { readFileSync } from "node:fs";
import { z } from "zod";
import { ImsError, type Logger } from "@ims/runtime";
import type { HssDb } from "../store/open-db.js";
import { createApplicationServer, createServiceProfile, putIfc } from "../store/profile-repo.js";
import { applicationServerSchema, ifcSchema, serviceProfileSchema } from "./schemas.js";
import { addSubscriber, subscriberSchema } from "./subscriber.js";

/** config/subscribers.json: application servers, service profiles with iFCs, subscribers. */
export const seedFileSchema = z
  .object({
    $comment: z.string().optional(),
    applicationServers: z.array(applicationServerSchema).default([]),
    serviceProfiles: z.array(serviceProfileSchema.extend({ ifcs: z.array(ifcSchema).default([]) })).default([]),
    subscribers: z.array(subscriberSchema).default([]),
  })
  .strict();
export type SeedFile = z.output<typeof seedFileSchema>;

export function loadSeedFile(path: string): SeedFile {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new ImsError("config-invalid", `${path}: ${(e as Error).message}`);
  }
  const r = seedFileSchema.safeParse(json);
  if (!r.success) {
    throw new ImsError("config-invalid", `${path}: ${r.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ")}`);
  }
  return r.data;
}

/**
 * Loads the seed idempotently: what exists is left alone (an IMPI's SQN is never reset by a
 * restart), what is missing is created. Returns how many subscribers were added.
 */
export async function applySeed(hss: HssDb, seed: SeedFile, logger: Logger): Promise<number> {
  for (const as of seed.applicationServers) await createApplicationServer(hss.db, as);
  for (const sp of seed.serviceProfiles) {
    const created = await createServiceProfile(hss.db, { name: sp.name, cnServiceAuth: sp.cnServiceAuth });
    if (created.ok) {
      for (const ifc of sp.ifcs) {
        const r = await putIfc(hss.db, sp.name, ifc);
        if (!r.ok) logger.warn({ ifc: ifc.name, reason: r.error.reason }, "seed: iFC not added");
      }
    }
  }
  let added = 0;
  for (const s of seed.subscribers) {
    const exists = await hss.db.selectFrom("impi").select("id").where("identity", "=", s.impi).executeTakeFirst();
    if (exists !== undefined) continue;
    const r = await addSubscriber(hss.db, s);
    if (r.ok) added++;
    else logger.warn({ impi: s.impi, reason: r.error.reason }, "seed: subscriber not added");
  }
  return added;
}
