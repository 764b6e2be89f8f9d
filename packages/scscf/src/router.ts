import type { Logger } from "@ims/runtime";
import type { RequestContext } from "@ims/sip";
import type { RegistrarContext } from "./registrar/context.js";
import { register } from "./registrar/register.js";
import type { Sessions } from "./session/session.js";

/** One S-CSCF procedure: answers or forwards the request it is given. */
export type Procedure = (rc: RequestContext) => Promise<void>;

/** Methods this S-CSCF serves (RFC 3261 §20.5 Allow). */
export const ALLOWED = ["REGISTER", "OPTIONS"] as const;
/** With the session procedures (TS 24.229 §5.4.3). */
export const ALLOWED_WITH_SESSIONS = [...ALLOWED, "INVITE", "ACK", "CANCEL", "BYE", "PRACK", "UPDATE", "INFO", "MESSAGE", "REFER", "NOTIFY", "SUBSCRIBE"] as const;

/**
 * The S-CSCF's request dispatch: REGISTER to the registrar (TS 24.229 §5.4.1), OPTIONS to us 200,
 * every other request to the originating/terminating session procedures (§5.4.3, session/), or
 * 501 when there are none.
 */
export function createRouter(registrar: RegistrarContext, log: Logger, sessions?: Sessions): Procedure {
  const allow = (sessions === undefined ? ALLOWED : ALLOWED_WITH_SESSIONS).join(", ");
  const procedures: Record<string, Procedure> = {
    // One `then` rather than an async function: no async frame per REGISTER.
    REGISTER: (rc) =>
      register(registrar, rc.request).then((r) => {
        // The reply is the respond options as it is (its reason and headers; no body).
        rc.respond(r.status, r);
        if (log.isLevelEnabled("debug")) log.debug({ method: "REGISTER", status: r.status }, "scscf answered");
      }),
    OPTIONS: (rc) => {
      if (sessions !== undefined && !sessions.isForUs(rc.request)) return sessions.handle(rc);
      rc.respond(200, { headers: [["Allow", allow]] });
      return Promise.resolve();
    },
  };
  return (rc) => {
    const p = procedures[rc.method];
    if (p !== undefined) return p(rc);
    if (sessions !== undefined) return sessions.handle(rc);
    rc.respond(501, { reason: "Not Implemented Yet At This S-CSCF", headers: [["Allow", allow]] });
    return Promise.resolve();
  };
}
