import type { Logger } from "@ims/runtime";
import type { RequestContext } from "@ims/sip";
import type { RegistrarContext } from "./registrar/context.js";
import { register } from "./registrar/register.js";

/** One S-CSCF procedure: answers or forwards the request it is given. */
export type Procedure = (rc: RequestContext) => Promise<void>;

/** Methods this S-CSCF serves (RFC 3261 §20.5 Allow). */
export const ALLOWED = ["REGISTER", "OPTIONS"] as const;

/**
 * The S-CSCF's request dispatch: REGISTER to the registrar (TS 24.229 §5.4.1); originating and
 * terminating session procedures (§5.4.3) are later files that plug in here. Until then other
 * requests are answered 501 (OPTIONS: 200 with Allow).
 */
export function createRouter(registrar: RegistrarContext, log: Logger): Procedure {
  const procedures: Record<string, Procedure> = {
    REGISTER: async (rc) => {
      const r = await register(registrar, rc.request);
      rc.respond(r.status, {
        ...(r.reason === undefined ? {} : { reason: r.reason }),
        ...(r.headers === undefined ? {} : { headers: r.headers }),
      });
      log.debug({ method: "REGISTER", status: r.status }, "scscf answered");
    },
    OPTIONS: (rc) => {
      rc.respond(200, { headers: [["Allow", ALLOWED.join(", ")]] });
      return Promise.resolve();
    },
  };
  return (rc) => {
    const p = procedures[rc.method];
    if (p !== undefined) return p(rc);
    rc.respond(501, { reason: "Not Implemented Yet At This S-CSCF", headers: [["Allow", ALLOWED.join(", ")]] });
    return Promise.resolve();
  };
}
