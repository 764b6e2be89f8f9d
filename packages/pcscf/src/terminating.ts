import { type Destination, type RequestContext, type SipRequest, getTo, parseUri, removeHeaders, uriEquals } from "@ims/sip";
import { advertiseVia, recordRouteValue } from "./advertised.js";
import type { PcscfContext } from "./context.js";
import type { UeRegistration } from "./storage/registrations.js";
import { anchorRequest } from "./media/forward-hooks.js";

/** Where a registered UE really is (its REGISTER's source, NAT included). */
export const ueDestination = (r: UeRegistration): Destination => ({ transport: r.transport, address: r.address, port: r.port });

/**
 * The registration a request from the core is addressed to: the contact the S-CSCF retargeted to;
 * or, inside a dialog, the UE at the Request-URI's host and port: a dialog's remote target is the
 * Contact of the UE's own 2xx (RFC 3261 §12.1.1), which need not be its registered contact.
 */
export function registrationForTarget(uri: string, p: PcscfContext, inDialog = false): UeRegistration | undefined {
  const u = parseUri(uri);
  if (!u.ok) return undefined;
  const exact = p.registrations.forContact(uri).find((r) => {
    const c = parseUri(r.contact);
    return c.ok && uriEquals(c.value, u.value);
  });
  if (exact !== undefined || !inDialog || u.value.kind !== "sip") return exact;
  const host = u.value.host;
  const port = u.value.port ?? 5060;
  return p.registrations.fromSource("udp", host, port)[0] ?? p.registrations.fromSource("tcp", host, port)[0];
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
  const onResponse = await anchorRequest(ctx, p.media, "term", !inDialog);
  await ctx.forward(
    { destination: ueDestination(reg) },
    {
      ...(inDialog ? {} : { recordRoute: recordRouteValue(p.advertised) }),
      ...(onResponse === undefined ? {} : { onResponse }),
      onBranchRequest: (r) => {
        removeChargingHeaders(r);
        advertiseVia(r, p.advertised, p.stack.transport.local.address);
      },
    },
  );
}
