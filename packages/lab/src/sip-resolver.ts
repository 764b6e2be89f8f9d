import { createSipResolver } from "@ims/dns";
import type { Clock, PacketTap } from "@ims/runtime";
import type { Resolver } from "@ims/sip";

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
  return async (uri) => {
    const t = uri.params.get("transport");
    const transport = typeof t === "string" && (t.toLowerCase() === "tcp" || t.toLowerCase() === "udp") ? (t.toLowerCase() as "tcp" | "udp") : undefined;
    const result = await resolver.resolve({
      host: uri.host,
      ...(uri.port === undefined ? {} : { port: uri.port }),
      ...(transport === undefined ? {} : { transport }),
      secure: uri.scheme === "sips",
    });
    if (!result.ok) return undefined;
    const first = result.value.find((d) => d.transport === "udp" || d.transport === "tcp");
    return first === undefined ? undefined : { transport: first.transport as "udp" | "tcp", address: first.address, port: first.port };
  };
}
