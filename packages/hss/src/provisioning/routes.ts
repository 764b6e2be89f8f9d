import type { z } from "zod";
import type { HssDb } from "../store/open-db.js";
import type { StoreResult } from "../store/errors.js";
import * as profiles from "../store/profile-repo.js";
import * as subscribers from "../store/subscriber-repo.js";
import {
  applicationServerSchema,
  capabilitySetSchema,
  chargingInfoSchema,
  ifcSchema,
  impiPatchSchema,
  impiSchema,
  impuPatchSchema,
  impuSchema,
  serviceProfileSchema,
  subscriptionSchema,
} from "./schemas.js";
import { addSubscriber, subscriberSchema } from "./subscriber.js";

/** What the API tells the Cx side, so the HSS can push RTR/PPR to the assigned S-CSCF. */
export interface ProvisioningEvents {
  /** A profile (iFCs, barring, charging…) of these IMPUs changed: send a PPR if registered. */
  profileChanged(impus: readonly string[]): void;
  /** An administrator de-registers an IMPU: send an RTR. Resolves to a short outcome text. */
  deregister(impu: string): Promise<StoreResult<{ sent: boolean }>>;
}

export type Reply = { status: number; body: unknown };
export interface RouteContext {
  readonly hss: HssDb;
  readonly events: ProvisioningEvents;
  readonly params: readonly string[];
  readonly body: unknown;
}
export interface Route {
  readonly method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  readonly path: string;
  readonly summary: string;
  readonly request?: z.ZodType;
  handle(ctx: RouteContext): Promise<Reply>;
}

const STATUS = { "not-found": 404, conflict: 409, invalid: 422 } as const;

export function reply<T>(r: StoreResult<T>, okStatus = 200): Reply {
  return r.ok ? { status: okStatus, body: r.value } : { status: STATUS[r.error.tag], body: { error: r.error.tag, reason: r.error.reason } };
}
const list = (body: unknown): Reply => ({ status: 200, body });
const p = (ctx: RouteContext, i = 0): string => ctx.params[i] ?? "";
function parse<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  return schema.parse(body);
}

/** Every REST route; paths use {x} for one URL-encoded segment. */
export const ROUTES: readonly Route[] = [
  // whole subscribers (one transaction)
  { method: "POST", path: "/subscribers", summary: "Add a subscriber in one step: subscription, IMPI, IMPUs (one transaction)", request: subscriberSchema,
    handle: async (c) => reply(await addSubscriber(c.hss.db, parse(subscriberSchema, c.body)), 201) },
  // subscriptions
  { method: "GET", path: "/subscriptions", summary: "List IMS subscriptions", handle: async (c) => list(await subscribers.listSubscriptions(c.hss.db)) },
  { method: "POST", path: "/subscriptions", summary: "Create an IMS subscription", request: subscriptionSchema,
    handle: async (c) => reply(await subscribers.createSubscription(c.hss.db, parse(subscriptionSchema, c.body)), 201) },
  { method: "GET", path: "/subscriptions/{name}", summary: "Read a subscription (identities, assigned S-CSCF)", handle: async (c) => reply(await subscribers.getSubscription(c.hss.db, p(c))) },
  { method: "PUT", path: "/subscriptions/{name}", summary: "Replace a subscription", request: subscriptionSchema,
    handle: async (c) => reply(await subscribers.updateSubscription(c.hss.db, p(c), parse(subscriptionSchema, c.body))) },
  { method: "DELETE", path: "/subscriptions/{name}", summary: "Delete a subscription with its IMPIs and IMPUs", handle: async (c) => reply(await subscribers.deleteSubscription(c.hss.db, p(c)), 204) },
  // IMPIs
  { method: "GET", path: "/impis", summary: "List private identities (secrets are never returned)", handle: async (c) => list(await subscribers.listImpis(c.hss.db)) },
  { method: "POST", path: "/impis", summary: "Create a private identity", request: impiSchema,
    handle: async (c) => reply(await subscribers.createImpi(c.hss.db, parse(impiSchema, c.body)), 201) },
  { method: "GET", path: "/impis/{identity}", summary: "Read a private identity", handle: async (c) => reply(await subscribers.getImpi(c.hss.db, p(c))) },
  { method: "PATCH", path: "/impis/{identity}", summary: "Change secrets, AMF, OP/OPc, SQN or schemes", request: impiPatchSchema,
    handle: async (c) => reply(await subscribers.updateImpi(c.hss.db, p(c), parse(impiPatchSchema, c.body))) },
  { method: "DELETE", path: "/impis/{identity}", summary: "Delete a private identity", handle: async (c) => reply(await subscribers.deleteImpi(c.hss.db, p(c)), 204) },
  // IMPUs
  { method: "GET", path: "/impus", summary: "List public identities", handle: async (c) => list(await subscribers.listImpus(c.hss.db)) },
  { method: "POST", path: "/impus", summary: "Create a public identity (or PSI)", request: impuSchema,
    handle: async (c) => reply(await subscribers.createImpu(c.hss.db, parse(impuSchema, c.body)), 201) },
  { method: "GET", path: "/impus/{identity}", summary: "Read a public identity", handle: async (c) => reply(await subscribers.getImpu(c.hss.db, p(c))) },
  { method: "PATCH", path: "/impus/{identity}", summary: "Change barring, profile, links…; a registered user gets a PPR", request: impuPatchSchema,
    handle: async (c) => {
      const r = await subscribers.updateImpu(c.hss.db, p(c), parse(impuPatchSchema, c.body));
      if (r.ok) c.events.profileChanged(r.value.implicitSet);
      return reply(r);
    } },
  { method: "DELETE", path: "/impus/{identity}", summary: "Delete a public identity", handle: async (c) => reply(await subscribers.deleteImpu(c.hss.db, p(c)), 204) },
  { method: "GET", path: "/impus/{identity}/registration", summary: "Registration state and assigned S-CSCF",
    handle: async (c) => {
      const u = await subscribers.getImpu(c.hss.db, p(c));
      if (!u.ok) return reply(u);
      const s = await subscribers.getSubscription(c.hss.db, u.value.subscription);
      return reply(s.ok ? { ok: true, value: { identity: u.value.identity, state: u.value.registrationState, scscfName: s.value.scscfName } } : s);
    } },
  { method: "POST", path: "/impus/{identity}/deregister", summary: "Administrative de-registration (sends an RTR)",
    handle: async (c) => reply(await c.events.deregister(p(c))) },
  { method: "GET", path: "/registrations", summary: "Every IMPU that is REGISTERED or UNREGISTERED",
    handle: async (c) => list((await subscribers.listImpus(c.hss.db)).filter((u) => u.registrationState !== "NOT_REGISTERED").map((u) => ({ identity: u.identity, state: u.registrationState }))) },
  // service profiles and iFCs
  { method: "GET", path: "/service-profiles", summary: "List service profiles with their iFCs", handle: async (c) => list(await profiles.listServiceProfiles(c.hss.db)) },
  { method: "POST", path: "/service-profiles", summary: "Create a service profile", request: serviceProfileSchema,
    handle: async (c) => reply(await profiles.createServiceProfile(c.hss.db, parse(serviceProfileSchema, c.body)), 201) },
  { method: "GET", path: "/service-profiles/{name}", summary: "Read a service profile", handle: async (c) => reply(await profiles.getServiceProfile(c.hss.db, p(c))) },
  { method: "PUT", path: "/service-profiles/{name}", summary: "Replace a service profile", request: serviceProfileSchema,
    handle: async (c) => reply(await profiles.updateServiceProfile(c.hss.db, p(c), parse(serviceProfileSchema, c.body))) },
  { method: "DELETE", path: "/service-profiles/{name}", summary: "Delete an unused service profile", handle: async (c) => reply(await profiles.deleteServiceProfile(c.hss.db, p(c)), 204) },
  { method: "PUT", path: "/service-profiles/{name}/ifcs/{ifc}", summary: "Create or replace an iFC (registered users get a PPR)", request: ifcSchema,
    handle: async (c) => {
      const body = parse(ifcSchema, { ...(c.body as object), name: p(c, 1) });
      const r = await profiles.putIfc(c.hss.db, p(c), body);
      if (r.ok) c.events.profileChanged(await impusOfProfile(c, p(c)));
      return reply(r);
    } },
  { method: "GET", path: "/service-profiles/{name}/ifcs/{ifc}", summary: "Read one iFC",
    handle: async (c) => {
      const sp = await profiles.getServiceProfile(c.hss.db, p(c));
      if (!sp.ok) return reply(sp);
      const ifc = sp.value.ifcs.find((i) => i.name === p(c, 1));
      return ifc === undefined ? { status: 404, body: { error: "not-found", reason: `iFC '${p(c, 1)}' not found` } } : { status: 200, body: ifc };
    } },
  { method: "DELETE", path: "/service-profiles/{name}/ifcs/{ifc}", summary: "Delete an iFC",
    handle: async (c) => {
      const r = await profiles.deleteIfc(c.hss.db, p(c), p(c, 1));
      if (r.ok) c.events.profileChanged(await impusOfProfile(c, p(c)));
      return reply(r, 204);
    } },
  // application servers, charging, capabilities
  { method: "GET", path: "/application-servers", summary: "List application servers", handle: async (c) => list(await profiles.listApplicationServers(c.hss.db)) },
  { method: "POST", path: "/application-servers", summary: "Create an application server", request: applicationServerSchema,
    handle: async (c) => reply(await profiles.createApplicationServer(c.hss.db, parse(applicationServerSchema, c.body)), 201) },
  { method: "GET", path: "/application-servers/{name}", summary: "Read an application server", handle: async (c) => reply(await profiles.getApplicationServer(c.hss.db, p(c))) },
  { method: "PUT", path: "/application-servers/{name}", summary: "Replace an application server", request: applicationServerSchema,
    handle: async (c) => {
      const r = await profiles.updateApplicationServer(c.hss.db, p(c), parse(applicationServerSchema, c.body));
      if (r.ok) c.events.profileChanged(await impusUsingServer(c, r.value.name));
      return reply(r);
    } },
  { method: "DELETE", path: "/application-servers/{name}", summary: "Delete an unused application server", handle: async (c) => reply(await profiles.deleteApplicationServer(c.hss.db, p(c)), 204) },
  { method: "GET", path: "/charging-infos", summary: "List charging information sets (ECF/CCF names)", handle: async (c) => list(await profiles.listChargingInfos(c.hss.db)) },
  { method: "PUT", path: "/charging-infos/{name}", summary: "Create or replace a charging information set", request: chargingInfoSchema,
    handle: async (c) => reply(await profiles.putChargingInfo(c.hss.db, parse(chargingInfoSchema, { ...(c.body as object), name: p(c) }))) },
  { method: "DELETE", path: "/charging-infos/{name}", summary: "Delete a charging information set", handle: async (c) => reply(await profiles.deleteChargingInfo(c.hss.db, p(c)), 204) },
  { method: "GET", path: "/capability-sets", summary: "List S-CSCF capability sets", handle: async (c) => list(await profiles.listCapabilitySets(c.hss.db)) },
  { method: "PUT", path: "/capability-sets/{name}", summary: "Create or replace a capability set", request: capabilitySetSchema,
    handle: async (c) => reply(await profiles.putCapabilitySet(c.hss.db, parse(capabilitySetSchema, { ...(c.body as object), name: p(c) }))) },
  { method: "DELETE", path: "/capability-sets/{name}", summary: "Delete a capability set", handle: async (c) => reply(await profiles.deleteCapabilitySet(c.hss.db, p(c)), 204) },
];

async function impusOfProfile(c: RouteContext, profile: string): Promise<string[]> {
  const rows = await c.hss.db
    .selectFrom("impu")
    .innerJoin("service_profile", "service_profile.id", "impu.service_profile_id")
    .select("impu.identity")
    .where("service_profile.name", "=", profile)
    .execute();
  return rows.map((r) => r.identity);
}

async function impusUsingServer(c: RouteContext, server: string): Promise<string[]> {
  const rows = await c.hss.db
    .selectFrom("impu")
    .innerJoin("ifc", "ifc.service_profile_id", "impu.service_profile_id")
    .innerJoin("application_server", "application_server.id", "ifc.application_server_id")
    .select("impu.identity")
    .where("application_server.name", "=", server)
    .distinct()
    .execute();
  return rows.map((r) => r.identity);
}
