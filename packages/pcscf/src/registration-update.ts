import type { RegisterRequest } from "@ims/ims";
import {
  type Contact,
  type Destination,
  type SipResponse,
  getContacts,
  getExpires,
  getNameAddrs,
  parseUri,
  serializeNameAddr,
  serializeUri,
  uriEquals,
} from "@ims/sip";
import { detachString } from "@ims/runtime";
import type { UeRegistration } from "./storage/registrations.js";

/** RFC 3261 §10.2.1.1: a registrar that says nothing means one hour. */
const DEFAULT_EXPIRES_S = 3600;

export interface RegistrationChanges {
  /** Entries to store (new or refreshed). */
  readonly save: readonly UeRegistration[];
  /** Entries the registrar no longer has. */
  readonly remove: readonly { readonly aor: string; readonly contact: string }[];
}

/**
 * What a 2xx to a REGISTER changes in the P-CSCF's view (TS 24.229 §5.2.2.1): the 200's Contacts
 * are the registrar's bindings of the IMPU (RFC 3261 §10.3 step 8), so
 * - each contact of the REGISTER listed there with expires > 0 is stored: its expiry from the
 *   200, the IMPUs of P-Associated-URI (default first; the registered IMPU when absent), the
 *   Service-Route (top first) and `source`, where the UE really is;
 * - every stored entry of the IMPU whose contact is no longer listed (de-registration, Contact *,
 *   a binding removed elsewhere) is removed.
 */
export function registrationChanges(
  reg: RegisterRequest,
  res: SipResponse,
  source: Destination,
  existing: readonly UeRegistration[],
  now: number,
  graceMs = 0,
): RegistrationChanges {
  const listed = getContacts(res);
  const live = (listed === undefined || listed === "*" ? [] : listed).map((c) => ({ c, expires: expiresOf(c, getExpires(res)) }));
  const alive = live.filter((l) => l.expires > 0);
  const isAlive = (contact: string) => {
    const u = parseUri(contact);
    return u.ok && alive.some((l) => uriEquals(l.c.uri, u.value));
  };
  // Kept as long as the registration: strings of their own, not views into the 200 OK's whole text.
  const impus = (getNameAddrs(res, "p-associated-uri") ?? []).map((na) => detachString(serializeUri(na.uri)));
  const serviceRoute = (getNameAddrs(res, "service-route") ?? []).map((na) => detachString(serializeNameAddr(na)));
  const save: UeRegistration[] = [];
  for (const asked of reg.contacts === "*" ? [] : reg.contacts) {
    const match = alive.find((l) => uriEquals(l.c.uri, asked.uri));
    if (match === undefined) continue;
    save.push({
      aor: reg.impu,
      contact: serializeUri(asked.uri),
      transport: source.transport,
      address: source.address,
      port: source.port,
      impus: impus.length > 0 ? impus : [reg.impu],
      serviceRoute,
      expiresAt: now + match.expires * 1000 + graceMs,
    });
  }
  const remove = existing.filter((e) => !isAlive(e.contact)).map((e) => ({ aor: e.aor, contact: e.contact }));
  return { save, remove };
}

const expiresOf = (c: Contact, header: number | undefined): number => c.expires ?? header ?? DEFAULT_EXPIRES_S;
