/**
 * Choosing the response a forking proxy sends upstream (RFC 3261 §16.7 step 6-7): a 6xx if any,
 * else the lowest class, preferring within 4xx the responses that let the caller retry (401, 407,
 * 415, 420, 484); a chosen 503 becomes 500; a 401/407 carries every challenge the branches got.
 */
import { type SipResponse, addHeader, cloneMessage, getHeaders } from "../message/index.js";

const PREFERRED_4XX = [401, 407, 415, 420, 484] as const;

export function selectBest(responses: readonly SipResponse[]): SipResponse | undefined {
  if (responses.length === 0) return undefined;
  const sixx = responses.find((r) => r.status >= 600);
  if (sixx !== undefined) return sixx;
  const lowestClass = Math.min(...responses.map((r) => Math.floor(r.status / 100)));
  const inClass = responses.filter((r) => Math.floor(r.status / 100) === lowestClass);
  if (lowestClass === 4) {
    for (const code of PREFERRED_4XX) {
      const hit = inClass.find((r) => r.status === code);
      if (hit !== undefined) return hit;
    }
  }
  return inClass[0];
}

/** The final response to send upstream, after §16.7 steps 6-7 adjustments. */
export function finalizeBest(best: SipResponse, all: readonly SipResponse[]): SipResponse {
  if (best.status === 503) return { ...cloneMessage(best), status: 500, reason: "Server Internal Error" };
  if (best.status !== 401 && best.status !== 407) return best;
  const out = cloneMessage(best);
  for (const r of all) {
    if (r === best || (r.status !== 401 && r.status !== 407)) continue;
    for (const name of ["WWW-Authenticate", "Proxy-Authenticate"]) {
      for (const v of getHeaders(r, name)) addHeader(out, name, v, "last");
    }
  }
  return out;
}
