import { type Destination, type RequestContext, type SipRequest, getTo, parseUri, removeHeaders, uriEquals } from "@ims/sip";
import { advertiseVia, recordRouteValue } from "./advertised.js";
import type { PcscfContext } from "./context.js";
import type { UeRegistration } from "./storage/registrations.js";

/** Where a registered UE really is (its REGISTER's source, NAT included). */
export const ueDestination = (r: UeRegistration): Destination => ({ transport: r.transport, address: r.address, port: r.port });

/** The registration whose contact a request is addressed to (the S-CSCF retargets to it). */
export function registrationForTarget(uri: string, p: PcscfContext): UeRegistration | undefined {
  const u = parseUri(uri);
  if (!u.ok) return undefined;
  return p.registrations.forContact(uri).find((r) => {
    const c = parseUri(r.contact);
    return c.ok && uriEquals(c.value, u.value);
  });
}

/** Charging data of the network never leaves the trust domain towards a UE (RFC 7315 §5.6, TS 24.229 §5.2.6.4). */
export function removeChargingHeaders(req: SipRequest): void {
  removeHeaders(req, "p-charging-vector");
  removeHeaders(req, "p-charging-function-addresses");
}

/**
 * A request from the core to a UE registered through us (TS 24.229 §5.2.6.4): it arrives over the
 * Path (its Route to us already removed) or along a dialog's route set, with the UE's contact as
 * Request-URI, and goes to where the UE really is. An initial request gets our Record-Route.
 */
export async function handleTerminating(ctx: RequestContext, p: PcscfContext, reg: UeRegistration): Promise<void> {
  const inDialog = getTo(ctx.request)?.tag !== undefined;
  p.log.debug({ method: ctx.method, impu: reg.aor, inDialog }, "terminating request to UE");
  await ctx.forward(
    { destination: ueDestination(reg) },
    {
      ...(inDialog ? {} : { recordRoute: recordRouteValue(p.advertised) }),
      onBranchRequest: (r) => {
        removeChargingHeaders(r);
        advertiseVia(r, p.advertised, p.stack.transport.local.address);
      },
    },
  );
}
