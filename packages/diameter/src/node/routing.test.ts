import { describe, expect, it } from "vitest";
import { avp, createRequest } from "../codec/index.js";
import type { PeerStateMachine } from "../peer/index.js";
import { Router, type Routable } from "./routing.js";

const CX = 16777216;

/** A peer as the router sees it: open or not, with the realm and applications of its CEA. */
function peer(host: string, realm: string, options: { available?: boolean; apps?: number[]; relay?: boolean } = {}): Routable & { host: string } {
  const fsm = {
    isAvailable: options.available ?? true,
    capabilities: { originHost: host, originRealm: realm, commonApplicationIds: options.apps ?? [CX], relay: options.relay ?? false },
  } as unknown as PeerStateMachine;
  return { host, fsm };
}

function uar(destinationRealm: string, destinationHost?: string) {
  return createRequest(
    "UAR",
    [
      avp("Session-Id", "s;1"),
      avp("Origin-Host", "icscf.a"),
      avp("Origin-Realm", "a"),
      ...(destinationHost === undefined ? [] : [avp("Destination-Host", destinationHost)]),
      avp("Destination-Realm", destinationRealm),
    ],
    { hopByHop: 1, endToEnd: 1 },
  );
}

describe("request routing", () => {
  const peers = new Map(
    [
      peer("hss1.a", "a"),
      peer("down.a", "a", { available: false }),
      peer("noapp.a", "a", { apps: [4] }),
      peer("hss2.a", "a"),
      peer("relay.a", "a", { apps: [], relay: true }),
      peer("hss.b", "b"),
    ].map((p) => [p.host, p]),
  );
  const router = new Router(peers);

  it("takes turns over the open peers of the Destination-Realm that support the application", () => {
    const picks = Array.from({ length: 6 }, () => router.choose(uar("a"), undefined)?.host);
    expect(new Set(picks)).toEqual(new Set(["hss1.a", "hss2.a", "relay.a"]));
    expect(picks.slice(0, 3)).toEqual(picks.slice(3));
    expect(router.choose(uar("b"), undefined)?.host).toBe("hss.b");
    expect(router.choose(uar("c"), undefined)).toBeUndefined();
  });

  it("goes to the Destination-Host when it qualifies, else by realm; a forced peer only needs to be open", () => {
    expect(router.choose(uar("a", "hss2.a"), undefined)?.host).toBe("hss2.a");
    expect(["hss1.a", "hss2.a", "relay.a"]).toContain(router.choose(uar("a", "down.a"), undefined)?.host);
    expect(["hss1.a", "hss2.a", "relay.a"]).toContain(router.choose(uar("a", "noapp.a"), undefined)?.host);
    expect(router.choose(uar("a"), "noapp.a")?.host).toBe("noapp.a");
    expect(router.choose(uar("a"), "down.a")).toBeUndefined();
  });
});
