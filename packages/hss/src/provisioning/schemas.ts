import { z } from "zod";
import { AUTH_SCHEMES } from "../auth/schemes.js";
import { IMPU_TYPES } from "../store/tables.js";

/**
 * Provisioning input shapes, shared by the REST API, the CLI and config/subscribers.json.
 * Objects reference each other by name (subscription name, IMPI/IMPU identity, profile name).
 */
const hex = (digits: number) =>
  z.string().regex(new RegExp(`^[0-9a-fA-F]{${digits}}$`), `must be ${digits} hex digits`).transform((s) => s.toLowerCase());
const name = z.string().min(1).max(255);
const uri = z.string().regex(/^(sips?|tel):\S+$/i, "must be a sip:, sips: or tel: URI").max(255);

const spt = z
  .object({
    conditionNegated: z.boolean().default(false),
    group: z.array(z.number().int().nonnegative()).min(1).default([0]),
    condition: z.discriminatedUnion("kind", [
      z.object({ kind: z.literal("method"), method: z.string().min(1) }).strict(),
      z.object({ kind: z.literal("requestUri"), requestUri: z.string().min(1) }).strict(),
      z.object({ kind: z.literal("sipHeader"), header: z.string().min(1), content: z.string().optional() }).strict(),
      z.object({ kind: z.literal("sessionCase"), sessionCase: z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3), z.literal(4)]) }).strict(),
      z.object({ kind: z.literal("sessionDescription"), line: z.string().min(1), content: z.string().optional() }).strict(),
    ]),
    registrationType: z.array(z.union([z.literal(0), z.literal(1), z.literal(2)])).optional(),
  })
  .strict();

export const triggerPointSchema = z.object({ conditionTypeCnf: z.boolean(), spt: z.array(spt).min(1) }).strict();

export const applicationServerSchema = z
  .object({
    name,
    serverName: z.string().regex(/^sips?:\S+$/i, "must be a SIP URI"),
    defaultHandling: z.union([z.literal(0), z.literal(1)]).default(0),
    serviceInfo: z.string().max(1024).nullable().default(null),
    includeRegisterRequest: z.boolean().default(false),
    includeRegisterResponse: z.boolean().default(false),
  })
  .strict();

export const serviceProfileSchema = z
  .object({ name, cnServiceAuth: z.number().int().nonnegative().nullable().default(null) })
  .strict();

export const ifcSchema = z
  .object({
    name,
    priority: z.number().int().nonnegative(),
    triggerPoint: triggerPointSchema.nullable().default(null),
    applicationServer: name,
    profilePartIndicator: z.union([z.literal(0), z.literal(1)]).nullable().default(null),
  })
  .strict();

export const chargingInfoSchema = z
  .object({
    name,
    priEcf: z.string().nullable().default(null),
    secEcf: z.string().nullable().default(null),
    priCcf: z.string().nullable().default(null),
    secCcf: z.string().nullable().default(null),
  })
  .strict();

export const capabilitySetSchema = z
  .object({
    name,
    mandatory: z.array(z.number().int().nonnegative()).default([]),
    optional: z.array(z.number().int().nonnegative()).default([]),
  })
  .strict();

export const subscriptionSchema = z
  .object({
    name,
    capabilitySet: name.nullable().default(null),
    preferredScscf: z.string().regex(/^sips?:\S+$/i, "must be a SIP URI").nullable().default(null),
  })
  .strict();

export const impiSchema = z
  .object({
    identity: z.string().min(1).max(255),
    subscription: name,
    secret: z.string().min(1).max(255).optional(),
    k: hex(32).optional(),
    amf: hex(4).default("8000"),
    op: hex(32).optional(),
    opc: hex(32).optional(),
    sqn: hex(12).default("000000000000"),
    authSchemes: z.array(z.enum(AUTH_SCHEMES)).min(1).default(["SIP Digest", "Digest-AKAv1-MD5"]),
    defaultScheme: z.enum(AUTH_SCHEMES).default("SIP Digest"),
  })
  .strict()
  .refine((i) => i.secret !== undefined || i.k !== undefined, { message: "secret or k is required", path: ["secret"] })
  .refine((i) => i.authSchemes.includes(i.defaultScheme), { message: "must be one of authSchemes", path: ["defaultScheme"] });

/** PATCH of an IMPI: everything but the identity may change; secrets stay write-only. */
export const impiPatchSchema = z
  .object({
    secret: z.string().min(1).max(255).optional(),
    k: hex(32).nullable().optional(),
    amf: hex(4).optional(),
    op: hex(32).nullable().optional(),
    opc: hex(32).nullable().optional(),
    sqn: hex(12).optional(),
    authSchemes: z.array(z.enum(AUTH_SCHEMES)).min(1).optional(),
    defaultScheme: z.enum(AUTH_SCHEMES).optional(),
  })
  .strict();

export const impuSchema = z
  .object({
    identity: uri,
    subscription: name,
    type: z.enum(IMPU_TYPES).default("public_user"),
    wildcardPsi: z.string().max(255).nullable().default(null),
    displayName: z.string().max(255).nullable().default(null),
    barring: z.boolean().default(false),
    canRegister: z.boolean().default(true),
    psiActivation: z.boolean().default(false),
    serviceProfile: name,
    chargingInfo: name.nullable().default(null),
    /** Join the implicit registration set of this IMPU (TS 29.228 §6.5); else a set of its own. */
    implicitSetWith: uri.nullable().default(null),
    impis: z.array(z.string().min(1)).default([]),
    visitedNetworks: z.array(z.string().min(1).max(255)).default([]),
  })
  .strict();

export const impuPatchSchema = z
  .object({
    displayName: z.string().max(255).nullable().optional(),
    barring: z.boolean().optional(),
    canRegister: z.boolean().optional(),
    psiActivation: z.boolean().optional(),
    serviceProfile: name.optional(),
    chargingInfo: name.nullable().optional(),
    impis: z.array(z.string().min(1)).optional(),
    visitedNetworks: z.array(z.string().min(1).max(255)).optional(),
  })
  .strict();

export type ApplicationServerInput = z.input<typeof applicationServerSchema>;
export type ApplicationServerData = z.output<typeof applicationServerSchema>;
export type ServiceProfileData = z.output<typeof serviceProfileSchema>;
export type IfcData = z.output<typeof ifcSchema>;
export type ChargingInfoData = z.output<typeof chargingInfoSchema>;
export type CapabilitySetData = z.output<typeof capabilitySetSchema>;
export type SubscriptionData = z.output<typeof subscriptionSchema>;
export type ImpiData = z.output<typeof impiSchema>;
export type ImpiPatch = z.output<typeof impiPatchSchema>;
export type ImpuData = z.output<typeof impuSchema>;
export type ImpuPatch = z.output<typeof impuPatchSchema>;
