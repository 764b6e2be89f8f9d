import type { ImsSubscription, InitialFilterCriteria } from "@ims/ims";
import { FakeClock, silentLogger } from "@ims/runtime";
import {
  type Destination,
  FakeNetwork,
  type RequestContext,
  type Resolver,
  type SipRequest,
  SipStack,
  buildRequest,
  literalResolver,
} from "@ims/sip";
import { FakeCxClient } from "../cx/fake-cx-client.js";
import { createRegistrar } from "../registrar/registrar.js";
import { DEFAULT_LIMITS } from "../config.js";
import { createRouter } from "../router.js";
import { createSessions } from "../session/session.js";
import type { Binding } from "../storage/bindings.js";

export const DOMAIN = "domain.imsprovider.org";
export const SCSCF_URI = "sip:scscf1.domain.imsprovider.org:6060";
export const ICSCF_URI = "sip:icscf.domain.imsprovider.org:4060";
export const RR = "<sip:scscf1.domain.imsprovider.org:6060;lr>";
export const ORIG_ROUTE = "<sip:orig@scscf1.domain.imsprovider.org:6060;lr>";
export const PATH = "<sip:term@pcscf1.domain.imsprovider.org;lr>";

/** Session test addresses (127.5.6.x: this package's session tests only). */
export const ADDR = { scscf: "127.5.6.11", pcscf: "127.5.6.33", icscf: "127.5.6.55", as: "127.5.6.20", as2: "127.5.6.21" } as const;

/** The lab's DNS, as the injected resolver: node names to the test addresses; records what it was asked. */
export function labResolver(asked: string[]): Resolver {
  const names: Record<string, string> = {
    "scscf1.domain.imsprovider.org": ADDR.scscf,
    "pcscf1.domain.imsprovider.org": ADDR.pcscf,
    "icscf.domain.imsprovider.org": ADDR.icscf,
  };
  return (uri) => {
    asked.push(uri.host);
    const address = names[uri.host.toLowerCase()];
    return address === undefined ? literalResolver(uri) : { transport: "udp", address, port: uri.port ?? 5060 };
  };
}

/** A peer node that records what reaches it and answers with `answer` (default 200). */
export class Peer {
  readonly got: SipRequest[] = [];
  answer: (ctx: RequestContext) => void | Promise<void> = (ctx) => void ctx.respond(200);

  constructor(readonly stack: SipStack) {
    stack.onRequest((ctx) => {
      this.got.push(ctx.request);
      return this.answer(ctx);
    });
  }
}

/** An S-CSCF (registrar + session procedures) with a P-CSCF, an I-CSCF and two ASs around it, on a FakeNetwork. */
export function sessionHarness(opts: { icscfUri?: string | null; trustedAddresses?: readonly string[] } = {}) {
  const clock = new FakeClock();
  const net = new FakeNetwork();
  const cx = new FakeCxClient();
  const asked: string[] = [];
  const log = silentLogger();
  const registrar = createRegistrar({
    domain: DOMAIN,
    serverName: SCSCF_URI,
    serviceRoute: ORIG_ROUTE,
    limits: DEFAULT_LIMITS,
    nonceLifetimeMs: 30_000,
    cx,
    clock,
    log,
  });
  const stack = new SipStack({
    transport: net.transport(ADDR.scscf, 6060),
    clock,
    logger: log,
    hosts: ["scscf1.domain.imsprovider.org"],
    resolver: labResolver(asked),
  });
  const icscfUri = opts.icscfUri === null ? {} : { icscfUri: opts.icscfUri ?? ICSCF_URI };
  const trusted = opts.trustedAddresses === undefined ? {} : { trustedAddresses: opts.trustedAddresses };
  const sessions = createSessions({ domain: DOMAIN, serverName: SCSCF_URI, ...icscfUri, ...trusted, stack, bindings: registrar.ctx.bindings, cx, clock, log });
  stack.onRequest(createRouter(registrar.ctx, log, sessions));
  const peer = (address: string, port: number, hosts: string[] = []) =>
    new Peer(new SipStack({ transport: net.transport(address, port), clock, logger: log, hosts, resolver: labResolver([]) }));
  const toS: Destination = { transport: "udp", address: ADDR.scscf, port: 6060 };
  const pcscf = peer(ADDR.pcscf, 5060, ["pcscf1.domain.imsprovider.org"]);
  const icscf = peer(ADDR.icscf, 4060, ["icscf.domain.imsprovider.org"]);
  return {
    clock,
    net,
    cx,
    asked,
    sessions,
    bindings: registrar.ctx.bindings,
    pcscf,
    icscf,
    as: peer(ADDR.as, 5070),
    as2: peer(ADDR.as2, 5070),
    /** Sends a request from the P-CSCF (originating) to the S-CSCF; resolves with the final response. */
    fromP: (req: SipRequest) => pcscf.stack.sendRequest(req, { destination: toS }),
    /** Sends a request from an address outside the trust domain (as a spoofing UE would). */
    fromStranger: (req: SipRequest) => peer("127.5.6.250", 5060).stack.sendRequest(req, { destination: toS }),
    /** Sends a request from the I-CSCF (terminating) to the S-CSCF. */
    fromI: (req: SipRequest) => icscf.stack.sendRequest(req, { destination: toS }),
    toS,
    /** Requests that went over the wire from one address to another, in order. */
    sent: (from: string, to: string): SipRequest[] =>
      net.sent.filter((r) => r.from.address === from && r.to.address === to && r.message.kind === "request").map((r) => r.message as SipRequest),
  };
}

/** A registration for `impu` with these contacts (q, Path) and iFCs, put straight into the store. */
export function registerUser(
  h: ReturnType<typeof sessionHarness>,
  impu: string,
  contacts: readonly Partial<Binding>[],
  ifcs: readonly InitialFilterCriteria[] = [],
): void {
  const subscription: ImsSubscription = {
    privateId: impu.replace(/^sip:/, ""),
    serviceProfiles: [{ publicIdentities: [{ identity: impu }], initialFilterCriteria: ifcs }],
  };
  const bindings: Binding[] = contacts.map((c, i) => ({
    contact: c.contact ?? `sip:u${i}@127.5.6.${100 + i}:5060`,
    expiresAt: h.clock.now() + 600_000,
    q: c.q ?? 1,
    path: c.path ?? [PATH],
    callId: `reg-${i}`,
    cseq: 1,
    params: "",
  }));
  h.bindings.update(
    { impi: subscription.privateId, impu, implicitSet: [impu], userData: "", subscription },
    bindings.map((binding) => ({ binding, remove: false })),
  );
}

/** An iFC sending `methods` of `sessionCase` to `as`. */
export function ifc(priority: number, as: string, sessionCase: 0 | 1 | 2, methods: readonly string[] = ["INVITE", "MESSAGE"], defaultHandling: 0 | 1 = 0): InitialFilterCriteria {
  return {
    priority,
    applicationServer: { serverName: as, defaultHandling },
    ...(sessionCase === 2 ? { profilePartIndicator: 1 as const } : {}),
    triggerPoint: {
      conditionTypeCnf: true,
      spt: [
        ...methods.map((m) => ({ conditionNegated: false, group: [0], condition: { kind: "method" as const, method: m } })),
        { conditionNegated: false, group: [1], condition: { kind: "sessionCase" as const, sessionCase } },
      ],
    },
  };
}

/** An initial request from a (registered) user a, as its P-CSCF sends it along the Service-Route. */
export function originating(method: string, to: string, pai = `sip:a@${DOMAIN}`, routes = [ORIG_ROUTE]): SipRequest {
  return buildRequest({
    method,
    uri: to,
    from: `<sip:a@${DOMAIN}>`,
    to: `<${to}>`,
    contact: "<sip:a@127.5.6.111:5566>",
    routes,
    headers: [
      ["P-Asserted-Identity", `<${pai}>`],
      ["P-Charging-Vector", "icid-value=icid-1;icid-generated-at=pcscf1.domain.imsprovider.org"],
      ["Record-Route", "<sip:pcscf1.domain.imsprovider.org:5060;lr>"],
    ],
  });
}

/** An initial request for `to`, as the I-CSCF sends it to us after LIR. */
export function terminating(method: string, to: string): SipRequest {
  return buildRequest({
    method,
    uri: to,
    from: `<sip:a@${DOMAIN}>`,
    to: `<${to}>`,
    contact: "<sip:a@127.5.6.111:5566>",
    routes: [`<${SCSCF_URI};lr>`],
    headers: [["P-Asserted-Identity", `<sip:a@${DOMAIN}>`]],
  });
}
