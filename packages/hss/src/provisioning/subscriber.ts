import { ok } from "@ims/runtime";
import { z } from "zod";
import type { Kysely } from "kysely";
import { AUTH_SCHEMES } from "../auth/schemes.js";
import { guarded, StoreAbort, type StoreResult } from "../store/errors.js";
import { insertImpi, insertImpu } from "../store/subscriber-repo.js";
import type { HssDatabase } from "../store/tables.js";
import { impiSchema, impuSchema } from "./schemas.js";

/**
 * A whole subscriber in one object (what the CLI's one-liner and config/subscribers.json give):
 * a subscription named after the IMPI, the IMPI, its IMPUs in one implicit registration set.
 */
const hex = (n: number) => z.string().regex(new RegExp(`^[0-9a-fA-F]{${n}}$`), `must be ${n} hex digits`);
export const subscriberSchema = z
  .object({
    impi: z.string().min(1).max(255),
    impus: z.array(z.string().regex(/^(sips?|tel):\S+$/i, "must be a sip:, sips: or tel: URI")).min(1),
    subscription: z.string().min(1).max(255).optional(),
    secret: z.string().min(1).max(255).optional(),
    k: hex(32).optional(),
    amf: hex(4).default("8000"),
    op: hex(32).optional(),
    opc: hex(32).optional(),
    sqn: hex(12).default("000000000000"),
    authSchemes: z.array(z.enum(AUTH_SCHEMES)).min(1).default(["SIP Digest", "Digest-AKAv1-MD5"]),
    defaultScheme: z.enum(AUTH_SCHEMES).default("SIP Digest"),
    serviceProfile: z.string().min(1).default("default"),
    visitedNetworks: z.array(z.string().min(1)).default([]),
    displayName: z.string().optional(),
  })
  .strict();
export type SubscriberInput = z.input<typeof subscriberSchema>;

/** Adds a subscriber in one transaction; the "default" service profile is created when missing. */
export const addSubscriber = (db: Kysely<HssDatabase>, input: z.output<typeof subscriberSchema>): Promise<StoreResult<{ impi: string }>> =>
  guarded(() =>
    db.transaction().execute(async (trx) => {
      const name = input.subscription ?? input.impi;
      const exists = await trx.selectFrom("service_profile").select("id").where("name", "=", input.serviceProfile).executeTakeFirst();
      if (exists === undefined) {
        if (input.serviceProfile !== "default") throw new StoreAbort({ tag: "invalid", reason: `service profile '${input.serviceProfile}' does not exist` });
        await trx.insertInto("service_profile").values({ name: "default", cn_service_auth: null }).execute();
      }
      await trx.insertInto("subscription").values({ name, capability_set_id: null, preferred_scscf: null }).execute();
      const impi = impiSchema.safeParse({
        identity: input.impi,
        subscription: name,
        ...(input.secret === undefined ? {} : { secret: input.secret }),
        ...(input.k === undefined ? {} : { k: input.k }),
        amf: input.amf,
        ...(input.op === undefined ? {} : { op: input.op }),
        ...(input.opc === undefined ? {} : { opc: input.opc }),
        sqn: input.sqn,
        authSchemes: input.authSchemes,
        defaultScheme: input.defaultScheme,
      });
      if (!impi.success) throw new StoreAbort({ tag: "invalid", reason: impi.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") });
      await insertImpi(trx, impi.data);
      const [first, ...rest] = input.impus;
      for (const identity of [first, ...rest]) {
        await insertImpu(
          trx,
          impuSchema.parse({
            identity,
            subscription: name,
            serviceProfile: input.serviceProfile,
            implicitSetWith: identity === first ? null : first,
            impis: [input.impi],
            visitedNetworks: input.visitedNetworks,
            ...(input.displayName === undefined ? {} : { displayName: input.displayName }),
          }),
        );
      }
      return ok({ impi: input.impi });
    }),
  );
