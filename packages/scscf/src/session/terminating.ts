import {
  CX_EXPERIMENTAL_RESULT,
  PROFILE_PART,
  SERVER_ASSIGNMENT_TYPE,
  SESSION_CASES,
  identityOfUri,
  isSuccess,
  parseUserData,
} from "@ims/ims";
import type { ForwardTarget, RequestContext } from "@ims/sip";
import { cxErrorReply } from "../registrar/cx-status.js";
import { ifcsOf, runIfcs } from "./ifc-routing.js";
import type { SessionContext } from "./session-context.js";

/**
 * A request to a served user (TS 24.229 §5.4.3.3), reaching us from the I-CSCF (or along our own
 * Service-Route for a home user): registered → terminating iFCs, then its contacts; not registered
 * → its services for unregistered users (SAR UNREGISTERED_USER gives the profile), else 480;
 * unknown → 404.
 */
export async function handleTerminating(ctx: RequestContext, s: SessionContext): Promise<void> {
  const served = identityOfUri(ctx.request.uri);
  if (served === undefined) {
    ctx.respond(416, { reason: "Unsupported URI Scheme" });
    return;
  }
  const reg = s.bindings.find(served);
  if (reg === undefined) return unregistered(ctx, s, served);
  const chain = {
    servedUser: served,
    sessionCase: SESSION_CASES.TERMINATING_REGISTERED,
    profilePart: PROFILE_PART.REGISTERED,
    ifcs: ifcsOf(reg.subscription, served),
    afterPriority: Number.NEGATIVE_INFINITY,
  };
  if (await runIfcs(ctx, s, chain)) return;
  await deliverToContacts(ctx, s, served);
}

async function unregistered(ctx: RequestContext, s: SessionContext, served: string): Promise<void> {
  const saa = await s.cx.sar({
    publicIdentities: [served],
    serverName: s.serverName,
    serverAssignmentType: SERVER_ASSIGNMENT_TYPE.UNREGISTERED_USER,
    userDataAlreadyAvailable: false,
  });
  if (!saa.ok) {
    const r = cxErrorReply(saa.error);
    ctx.respond(r.status, r.reason === undefined ? {} : { reason: r.reason });
    return;
  }
  const result = saa.value.result;
  if (!isSuccess(result)) {
    const unknown = result.kind === "experimental" && result.code === CX_EXPERIMENTAL_RESULT.ERROR_USER_UNKNOWN;
    s.log.debug({ served, code: result.code }, "scscf SAR for an unregistered user refused");
    ctx.respond(unknown ? 404 : 480, { reason: unknown ? "Not Found" : "Temporarily Unavailable" });
    return;
  }
  const sub = saa.value.userData === undefined ? undefined : parseUserData(saa.value.userData);
  const chain = {
    servedUser: served,
    sessionCase: SESSION_CASES.TERMINATING_UNREGISTERED,
    profilePart: PROFILE_PART.UNREGISTERED,
    ifcs: sub?.ok === true ? ifcsOf(sub.value, served) : [],
    afterPriority: Number.NEGATIVE_INFINITY,
  };
  if (await runIfcs(ctx, s, chain)) return;
  ctx.respond(480, { reason: "Temporarily Unavailable - Not Registered" });
}

/**
 * The last step of the terminating case (§5.4.3.3 step 9-10, RFC 3261 §16.6): one branch per live
 * contact, Request-URI = the contact, Route = the Path it registered with (back through its
 * P-CSCF, RFC 3327), P-Called-Party-ID = the Request-URI it was called by. Contacts of one q are
 * forked in parallel; with different q values they are tried one after the other, highest first.
 */
export async function deliverToContacts(ctx: RequestContext, s: SessionContext, served: string): Promise<void> {
  const contacts = s.bindings.contacts(served);
  if (contacts.length === 0) {
    ctx.respond(480, { reason: "Temporarily Unavailable - Not Registered" });
    return;
  }
  const called: readonly [string, string] = ["P-Called-Party-ID", `<${ctx.request.uri}>`];
  const targets: ForwardTarget[] = contacts.map((b) => ({ uri: b.contact, routes: b.path, headers: [called] }));
  const serial = new Set(contacts.map((b) => b.q)).size > 1;
  s.log.debug({ served, contacts: contacts.length, serial, method: ctx.method }, "scscf terminating request to contacts");
  await ctx.forward(targets, { recordRoute: s.recordRoute, mode: serial ? "sequential" : "parallel" });
}
