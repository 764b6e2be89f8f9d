import { type SipResponse, headerLine, isHeader, parseAuth, serializeAuth } from "@ims/sip";
import { SecurityKeys } from "./storage/security-keys.js";

/** Challenge headers that may carry the keys (TS 24.229 §5.2.2.1: ck/ik in WWW-Authenticate). */
const CHALLENGE_HEADERS = ["www-authenticate", "proxy-authenticate"] as const;

/** The auth parameters only the P-CSCF may see (TS 33.203 §7.2, TS 24.229 §5.2.2.1). */
const KEY_PARAMS = ["ck", "ik"] as const;

/** A challenge we cannot parse but that still names a key: dropped rather than leaked. */
const NAMES_A_KEY = /(^|[\s,])(ck|ik)\s*=/i;

export interface FilteredChallenge {
  /** The keys of the first challenge that carried both; undefined when none did. */
  readonly keys?: SecurityKeys;
  /** Challenge lines rewritten (keys removed) or dropped (unparsable and naming a key). */
  readonly changed: number;
}

/**
 * Removes ck= and ik= from every challenge of a response in place, before it goes to the UE, and
 * returns the keys. A challenge that does not parse but mentions ck/ik is removed whole: a UE that
 * gets no usable challenge is better than one that learns the keys.
 */
export function stripChallengeKeys(res: SipResponse): FilteredChallenge {
  let keys: SecurityKeys | undefined;
  let changed = 0;
  const out = [];
  for (const h of res.headers) {
    if (!CHALLENGE_HEADERS.some((n) => isHeader(h, n))) {
      out.push(h);
      continue;
    }
    const parsed = parseAuth(h.value);
    if (!parsed.ok) {
      if (NAMES_A_KEY.test(h.value)) changed++;
      else out.push(h);
      continue;
    }
    const params = parsed.value.params;
    if (!KEY_PARAMS.some((k) => params.has(k))) {
      out.push(h);
      continue;
    }
    const ck = params.get("ck");
    const ik = params.get("ik");
    if (keys === undefined && ck !== undefined && ik !== undefined) keys = new SecurityKeys(ck, ik);
    for (const k of KEY_PARAMS) params.delete(k);
    out.push(headerLine(h.name, serializeAuth(parsed.value, "challenge")));
    changed++;
  }
  res.headers = out;
  return { ...(keys === undefined ? {} : { keys }), changed };
}
