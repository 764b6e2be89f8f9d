import { type ImsSubscription, parseUserData } from "@ims/ims";
import { impuKey } from "../storage/bindings.js";

/** What the S-CSCF keeps of the SAA's User-Data (TS 29.228 Annex B). */
export interface Profile {
  /** Registered together (TS 23.228 §4.3.3.3), barred identities excluded, the HSS's order (default first). */
  readonly implicitSet: readonly string[];
  readonly subscription?: ImsSubscription;
}

/**
 * The implicit registration set is the service profile holding the registered IMPU: its public
 * identities that are not barred. Without usable User-Data the IMPU alone is registered.
 */
export function profileOf(userData: string | undefined, impu: string): Profile {
  if (userData === undefined) return { implicitSet: [impu] };
  const parsed = parseUserData(userData);
  if (!parsed.ok) return { implicitSet: [impu] };
  const sub = parsed.value;
  const key = impuKey(impu);
  const profile =
    sub.serviceProfiles.find((p) => p.publicIdentities.some((i) => impuKey(i.identity) === key)) ?? sub.serviceProfiles[0];
  const set = (profile?.publicIdentities ?? []).filter((i) => i.barringIndication !== true).map((i) => i.identity);
  if (!set.some((i) => impuKey(i) === key)) set.push(impu);
  return { implicitSet: [...new Set(set)], subscription: sub };
}
