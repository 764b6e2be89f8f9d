import { buildLabZone, startResponder } from "@ims/dns";
import { FakeClock } from "@ims/runtime";
import { parseUri, type SipUri } from "@ims/sip";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dnsResolver } from "./sip-resolver.js";

const NS = { address: "127.5.74.66", port: 5353 };

const sipUri = (text: string): SipUri => {
  const u = parseUri(text);
  if (!u.ok || u.value.kind !== "sip") throw new Error(`not a SIP URI: ${text}`);
  return u.value;
};

describe("dnsResolver (RFC 3263 over the lab's DNS)", () => {
  let stop: () => Promise<void>;
  beforeAll(async () => {
    const zone = buildLabZone({
      domain: "domain.imsprovider.org",
      nodes: [
        { name: "icscf", address: "127.5.74.55", sipPort: 4060 },
        { name: "ns", address: NS.address },
      ],
      ttl: 60,
    });
    const responder = await startResponder({ zones: zone, ...NS });
    stop = () => responder.stop();
  });
  afterAll(() => stop());

  it("walks NAPTR/SRV/A for the home domain, then answers the same next hop at once from its cache until it expires", async () => {
    const clock = new FakeClock();
    const resolve = dnsResolver(NS, clock, "127.5.74.1");
    const first = resolve(sipUri("sip:domain.imsprovider.org"));
    expect(first).toBeInstanceOf(Promise);
    expect(await first).toEqual({ transport: "udp", address: "127.5.74.55", port: 4060 });
    clock.advance(1_000);
    // a cache hit is no Promise: the proxy forwards in the same turn
    expect(resolve(sipUri("sip:domain.imsprovider.org"))).toEqual({ transport: "udp", address: "127.5.74.55", port: 4060 });
    expect(resolve(sipUri("sip:domain.imsprovider.org;transport=tcp"))).toBeInstanceOf(Promise);
    clock.advance(5_000);
    const again = resolve(sipUri("sip:domain.imsprovider.org"));
    expect(again).toBeInstanceOf(Promise);
    expect(await again).toEqual({ transport: "udp", address: "127.5.74.55", port: 4060 });
    expect(await resolve(sipUri("sip:nowhere.domain.imsprovider.org"))).toBeUndefined();
  });
});
