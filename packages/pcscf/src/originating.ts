import {
  type RequestContext,
  type SipRequest,
  addHeader,
  getNameAddrs,
  getTo,
  removeHeaders,
  serializePChargingVector,
  serializeUri,
} from "@ims/sip";
import { advertiseVia, recordRouteValue } from "./advertised.js";
import type { PcscfContext } from "./context.js";
import type { UeRegistration } from "./storage/registrations.js";
import { removeUntrusted } from "./trust-domain.js";
import { anchorRequest } from "./media/forward-hooks.js";

/**
 * The identity the P-CSCF asserts for a registered UE (TS 24.229 §5.2.6.3.1, RFC 3325 §6): the
 * P-Preferred-Identity when it is one of the UE's registered IMPUs, else the default IMPU.
 */
export function assertedIdentity(req: SipRequest, reg: UeRegistration): string {
  const preferred = (getNameAddrs(req, "p-preferred-identity") ?? []).map((na) => serializeUri(na.uri));
  return preferred.find((p) => reg.impus.includes(p)) ?? reg.impus[0] ?? reg.aor;
}

/**
 * A request from a UE registered through us (TS 24.229 §5.2.6.3). An initial request gets
 * P-Asserted-Identity (instead of any P-Preferred-Identity), a fresh P-Charging-Vector, our
 * Record-Route, and the registration's Service-Route in place of whatever route the UE preloaded
 * (§5.2.6.3.2). A request inside a dialog follows its Route set (Record-Route of the dialog).
 */
export async function handleOriginating(ctx: RequestContext, p: PcscfContext, reg: UeRegistration): Promise<void> {
  const req = ctx.request;
  const inDialog = getTo(req)?.tag !== undefined;
  const onResponse = await anchorRequest(ctx, p.media, "orig", !inDialog);
  if (inDialog) {
    await ctx.forward({}, { onBranchRequest: (r) => advertiseVia(r, p.advertised, p.stack.transport.local.address), ...(onResponse === undefined ? {} : { onResponse }) });
    return;
  }
  const identity = assertedIdentity(req, reg);
  const icid = p.newIcid();
  removeHeaders(req, "route");
  p.log.debug({ method: req.method, identity, icid }, "originating request along Service-Route");
  await ctx.forward(
    { routes: reg.serviceRoute },
    {
      recordRoute: recordRouteValue(p.advertised),
      ...(onResponse === undefined ? {} : { onResponse }),
      onBranchRequest: (r) => {
        removeUntrusted(r);
        removeHeaders(r, "p-preferred-identity");
        addHeader(r, "P-Asserted-Identity", `<${identity}>`);
        addHeader(r, "P-Charging-Vector", serializePChargingVector({ icidValue: icid, icidGeneratedAt: p.advertised.host, origIoi: p.visitedNetworkId }));
        advertiseVia(r, p.advertised, p.stack.transport.local.address);
      },
    },
  );
}
