import { type SipDestination, type SipTargetSpec, createSipResolver } from "@ims/dns";
import type { Clock, PacketTap } from "@ims/runtime";
import type { Destination, Resolver } from "@ims/sip";

/**
 * The SIP stack's next-hop resolver over RFC 3263 DNS (packages/dns): every CSCF of the lab asks
 * the lab's DNS server, as Kamailio asks bind9 in the tutorial. Numeric hosts need no query.
 */
export function dnsResolver(
  server: { address: string; port: number },
  clock: Clock,
  localAddress?: string,
  tap?: PacketTap,
): Resolver {
  const resolver = createSipResolver({
    clock,
    server: {
      address: server.address,
      port: server.port,
      ...(localAddress === undefined ? {} : { localAddress }),
      ...(tap === undefined ? {} : { tap }),
    },
  });
  return (uri) => {
    const t = uri.params.get("transport");
    const transport = typeof t === "string" && (t.toLowerCase() === "tcp" || t.toLowerCase() === "udp") ? (t.toLowerCase() as "tcp" | "udp") : undefined;
    const spec: { -readonly [K in keyof SipTargetSpec]: SipTargetSpec[K] } = { host: uri.host, secure: uri.scheme === "sips" };
    if (uri.port !== undefined) spec.port = uri.port;
    if (transport !== undefined) spec.transport = transport;
    // a next hop resolved a moment ago is answered at once: the proxy then forwards without waiting
    const kept = resolver.cached(spec);
    if (kept !== undefined) return firstUsable(kept);
    return resolver.resolve(spec).then((result) => (result.ok ? firstUsable(result.value) : undefined));
  };
}

function firstUsable(targets: readonly SipDestination[]): Destination | undefined {
  const first = targets.find((d) => d.transport === "udp" || d.transport === "tcp");
  return first === undefined ? undefined : { transport: first.transport as "udp" | "tcp", address: first.address, port: first.port };
}
