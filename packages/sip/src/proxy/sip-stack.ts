/**
 * SipStack: a transport, a transaction layer and the glue a SIP element needs on top — request
 * dispatch to one handler with a `RequestContext`, stateful proxying (`ctx.forward`), a UAC
 * (`request` / `sendRequest`, `sendAck`), stateless forwarding, and routing of what has no
 * transaction (2xx ACKs along their Route set, stray responses by their Via).
 */
import { createHash } from "node:crypto";
import { type Clock, type Logger, silentLogger, systemClock } from "@ims/runtime";
import { getCSeq, getFirstVia, getMaxForwards, getTokens } from "../headers/index.js";
import {
  type SipRequest,
  type SipResponse,
  cloneMessage,
  createResponse,
  getHeader,
  getHeaders,
  newBranch,
  setHeader,
} from "../message/index.js";
import type { TimerBase } from "../transaction/timers.js";
import { type ClientTransaction, TransactionLayer } from "../transaction/transaction-layer.js";
import { isKey } from "../message/header-line.js";
import { popTopVia } from "../transport/top-via.js";
import { type NetTransportOptions, NetTransport } from "../transport/net-transport.js";
import type { Destination, SipTransport } from "../transport/types.js";
import { responseDestination } from "../transport/via-received.js";
import { type Uri, parseUri } from "../uri/index.js";
import { isLoop, loopHash, pushVia } from "./branch.js";
import { buildCancel } from "./cancel.js";
import { type BranchBuild, type ForwardTarget, prepareBranch } from "./forward-request.js";
import { type ForwardOptions, ProxyOperation } from "./proxy-operation.js";
import { type ContextOps, RequestContext } from "./request-context.js";
import { type Resolver, isLocalUri, literalResolver, nextHopUri, preprocessRoute } from "./routing.js";
import { UacAckCache, Uas2xxRetransmitter, dialogKey } from "./two-xx.js";
import { ackFor2xx, hasVia } from "./ua.js";

export interface SipStackOptions {
  readonly transport: SipTransport;
  readonly clock?: Clock;
  readonly timers?: TimerBase;
  /** Delay of the automatic 100 Trying to INVITE (default 200 ms; 0 = at once). */
  readonly tryingDelay?: number;
  readonly logger?: Logger;
  /** Host names that also mean this node in Route / Request-URI (e.g. "pcscf1.domain.imsprovider.org"). */
  readonly hosts?: readonly string[];
  /** Next-hop URI → destination (RFC 3263). Default: the URI's host, port (5060), transport param. */
  readonly resolver?: Resolver;
  /** Option tags this proxy supports; any other in Proxy-Require is refused with 420 (§16.3 step 5). */
  readonly proxySupported?: readonly string[];
}

export interface UacOptions {
  /** Send here instead of resolving the next hop from Route / Request-URI. */
  readonly destination?: Destination;
  /** Every response before the final one (and 2xx retransmissions / other forks after it). */
  readonly onResponse?: (response: SipResponse) => void;
}

/** A request sent as a UAC. */
export interface OutgoingRequest {
  readonly request: SipRequest;
  /** First final response; a timeout gives a local 408, a transport error a local 503. */
  readonly final: Promise<SipResponse>;
  /** Sends CANCEL (INVITE only; waits for a provisional response as §9.1 requires). */
  cancel(): void;
}

const NO_ROUTES: readonly string[] = [];

function hasRoute(req: SipRequest): boolean {
  for (const h of req.headers) if (isKey(h, "route")) return true;
  return false;
}

export class SipStack {
  readonly layer: TransactionLayer;
  readonly clock: Clock;
  readonly log: Logger;
  private readonly resolver: Resolver;
  private readonly isLocalFn = (u: Uri): boolean => this.isLocal(u);
  private readonly uas2xx: Uas2xxRetransmitter;
  private readonly uacAcks: UacAckCache;
  private handler: (ctx: RequestContext) => void | Promise<void> = (ctx) => void ctx.respond(501);
  private ackHandler: ((ack: SipRequest, forward: (target?: ForwardTarget) => Promise<void>) => void) | undefined;

  constructor(readonly options: SipStackOptions) {
    this.clock = options.clock ?? systemClock;
    this.log = options.logger ?? silentLogger();
    this.resolver = options.resolver ?? literalResolver;
    this.layer = new TransactionLayer({
      transport: options.transport,
      clock: this.clock,
      logger: this.log,
      ...(options.timers === undefined ? {} : { timers: options.timers }),
      ...(options.tryingDelay === undefined ? {} : { tryingDelay: options.tryingDelay }),
    });
    this.uas2xx = new Uas2xxRetransmitter(this.clock, options.timers);
    this.uacAcks = new UacAckCache(this.clock, options.timers);
    const ops: ContextOps = {
      forward: (c, t, o) => this.proxy(c, t, o),
      forwardStateless: (c, t) => {
        if (getMaxForwards(c.request) === 0) return Promise.resolve(void c.respond(483));
        this.layer.discard(c.transaction);
        return this.forwardStateless(c.request, t);
      },
      sent2xx: (c, res) =>
        this.uas2xx.start(
          dialogKey(c.request),
          () => c.transaction.respond(res),
          () => this.log.info({ callId: getHeader(c.request, "call-id") }, "sip 2xx never ACKed"),
        ),
    };
    this.layer.onRequest((tx) => this.dispatch(new RequestContext(tx.request, tx.source, tx, ops)));
    this.layer.onAck((ack) => this.routeAck(ack));
    this.layer.onStrayResponse((res) => this.relayStray(res));
  }

  /**
   * Opens UDP+TCP sockets on the node's address (see NetTransport) and a stack on them. Throws
   * ImsError("bind-failed") when the address cannot be bound.
   */
  static async open(options: NetTransportOptions & Omit<SipStackOptions, "transport">): Promise<SipStack> {
    const transport = await NetTransport.open(options);
    return new SipStack({ ...options, transport });
  }

  get transport(): SipTransport {
    return this.options.transport;
  }

  /** Does this URI name this node? */
  isLocal(uri: Uri): boolean {
    return isLocalUri(uri, this.transport.local, this.options.hosts);
  }

  /** The one handler of new requests (ACK and CANCEL excluded: see onAck, ctx.onCancel). */
  onRequest(handler: (ctx: RequestContext) => void | Promise<void>): void {
    this.handler = handler;
  }

  /**
   * ACKs outside a transaction (ACK for 2xx), Route already pre-processed. Default: forwarded along
   * the Route set / Request-URI unless the Request-URI names us (then the ACK ends here).
   */
  onAck(handler: (ack: SipRequest, forward: (target?: ForwardTarget) => Promise<void>) => void): void {
    this.ackHandler = handler;
  }

  private dispatch(ctx: RequestContext): void {
    // The loop hash covers the Request-URI and Route as received (§16.6 step 8): our own Route entry
    // is what tells a spiral (S-CSCF orig, then term) from a loop, and preprocessRoute removes it.
    // Only what preprocessRoute may change is kept here; the hash is computed when proxying (most
    // requests a registrar answers never need it). Without a Route, preprocessRoute changes nothing.
    const req = ctx.request;
    ctx.receivedUri = req.uri;
    if (hasRoute(req)) {
      ctx.receivedRoutes = getHeaders(req, "route");
      ctx.localRoute = preprocessRoute(req, this.isLocalFn);
    } else ctx.receivedRoutes = NO_ROUTES;
    const fail = (e: unknown) => {
      this.log.error({ err: String(e), method: ctx.method }, "sip request handler failed");
      if (!ctx.transaction.answered) ctx.respond(500);
    };
    try {
      const r = this.handler(ctx);
      if (r instanceof Promise) r.catch(fail);
    } catch (e) {
      fail(e);
    }
  }

  private proxy(ctx: RequestContext, targets: readonly ForwardTarget[], options: ForwardOptions): Promise<SipResponse> {
    const req = ctx.request;
    if (getMaxForwards(req) === 0) return Promise.resolve(ctx.respond(483));
    const hash = loopHash(req, ctx.receivedUri, ctx.receivedRoutes);
    if (isLoop(req, this.transport.local, this.options.hosts, hash)) return Promise.resolve(ctx.respond(482));
    const required = getTokens(req, "proxy-require");
    if (required !== undefined && required.length > 0) {
      const supported = this.options.proxySupported ?? [];
      const unknown = required.filter((t) => !supported.includes(t.toLowerCase()));
      if (unknown.length > 0) return Promise.resolve(ctx.respond(420, { headers: [["Unsupported", unknown.join(", ")]] }));
    }
    const build: BranchBuild = { local: this.transport.local, loopHash: hash, resolver: this.resolver, recordRoute: options.recordRoute };
    const op = new ProxyOperation(this.layer, this.clock, ctx.transaction, req, targets, build, options);
    op.start();
    return op.final;
  }

  /** §16.11 stateless forwarding: the branch is a hash of the incoming one, so retransmissions keep it. */
  async forwardStateless(request: SipRequest, target: ForwardTarget = {}): Promise<void> {
    const prepared = await prepareBranch(request, target, {
      local: this.transport.local,
      loopHash: "",
      resolver: this.resolver,
    });
    const dest = prepared.destination;
    if (dest === undefined) return;
    const via = getFirstVia(prepared.request);
    if (via !== undefined) {
      const incoming = getFirstVia(request)?.branch ?? request.uri;
      const h = createHash("md5").update(incoming).update(request.method === "ACK" ? "ack" : "").update(prepared.request.uri);
      popTopVia(prepared.request);
      pushVia(prepared.request, dest.transport, this.transport.local, `z9hG4bK${h.digest("hex").slice(0, 16)}`);
    }
    await this.transport.send(prepared.request, dest);
  }

  private routeAck(ack: SipRequest): void {
    this.uas2xx.ack(dialogKey(ack));
    preprocessRoute(ack, this.isLocalFn);
    const forward = (target?: ForwardTarget) => this.forwardStateless(ack, target);
    if (this.ackHandler !== undefined) return this.ackHandler(ack, forward);
    const ruri = parseUri(ack.uri);
    if (ruri.ok && this.isLocal(ruri.value)) return;
    if (getMaxForwards(ack) === 0) return; // an ACK gets no 483: it is dropped
    forward().catch((e: unknown) => this.log.debug({ err: String(e) }, "sip ACK not forwarded"));
  }

  /** §16.7 for a response matching no transaction: forward statelessly after removing our Via. */
  private relayStray(res: SipResponse): void {
    if (this.resendAck(res)) return;
    const via = getFirstVia(res);
    const local = this.transport.local;
    if (via === undefined || via.host !== local.address || (via.port ?? 5060) !== local.port) return;
    const out = cloneMessage(res);
    popTopVia(out);
    const dest = responseDestination(out);
    if (dest !== undefined) this.transport.send(out, dest).catch(() => undefined);
  }

  /** Sends a request as a UAC: adds Via (fresh branch, rport) and Max-Forwards, runs a client transaction. */
  request(request: SipRequest, options: UacOptions = {}): OutgoingRequest {
    let settle!: (r: SipResponse) => void;
    const final = new Promise<SipResponse>((r) => (settle = r));
    let tx: ClientTransaction | undefined;
    let dest: Destination | undefined;
    let provisional = false;
    let cancelWanted = false;
    let done = false;
    const finish = (r: SipResponse) => {
      if (done) return;
      done = true;
      settle(r);
    };
    const sendCancel = () => {
      if (tx === undefined || dest === undefined) return;
      this.layer.sendRequest(buildCancel(request), dest, { onResponse: () => undefined });
    };
    const start = async () => {
      if (getMaxForwards(request) === undefined) setHeader(request, "Max-Forwards", "70");
      const hop = options.destination === undefined ? nextHopUri(request) : undefined;
      dest = options.destination ?? (hop === undefined ? undefined : await this.resolver(hop));
      if (dest === undefined) return finish(createResponse(request, 503, { reason: "Next Hop Unresolvable" }));
      // Each transaction gets a fresh branch: a Via of ours left from an earlier send is replaced.
      const top = getFirstVia(request);
      if (top !== undefined && top.host === this.transport.local.address && top.port === this.transport.local.port) popTopVia(request);
      if (!hasVia(request)) pushVia(request, dest.transport, this.transport.local, newBranch());
      tx = this.layer.sendRequest(request, dest, {
        onResponse: (r) => {
          if (r.status < 200) {
            provisional = true;
            if (cancelWanted) {
              cancelWanted = false;
              sendCancel();
            }
          }
          if (r.status >= 200 && done) this.resendAck(r);
          if (r.status >= 200) finish(r);
          options.onResponse?.(r);
        },
        onFailure: (f) => finish(createResponse(request, f === "timeout" ? 408 : 503)),
      });
    };
    start().catch((e: unknown) => finish(createResponse(request, 503, { reason: String(e).slice(0, 60) })));
    return {
      request,
      final,
      cancel: () => {
        if (request.method !== "INVITE" || done) return;
        if (provisional) sendCancel();
        else cancelWanted = true;
      },
    };
  }

  /** `request(...).final` for the common case. */
  sendRequest(request: SipRequest, options: UacOptions = {}): Promise<SipResponse> {
    return this.request(request, options).final;
  }

  /** Sends the ACK for a 2xx to `invite` (a new transaction outside the INVITE's, §13.2.2.4). */
  async sendAck(invite: SipRequest, response: SipResponse, destination?: Destination): Promise<SipRequest> {
    const ack = ackFor2xx(invite, response);
    const hop = nextHopUri(ack);
    const dest = destination ?? (hop === undefined ? undefined : await this.resolver(hop));
    if (dest === undefined) throw new Error("ACK: next hop unresolvable");
    pushVia(ack, dest.transport, this.transport.local, newBranch());
    this.uacAcks.remember(ack, dest);
    await this.transport.send(ack, dest);
    return ack;
  }

  /** A retransmitted 2xx to an INVITE we ACKed: send the same ACK again (§13.2.2.4). */
  private resendAck(res: SipResponse): boolean {
    if (res.status < 200 || res.status >= 300 || getCSeq(res)?.method !== "INVITE") return false;
    const hit = this.uacAcks.lookup(res);
    if (hit === undefined) return false;
    this.transport.send(hit.ack, hit.dest).catch(() => undefined);
    return true;
  }

  close(): Promise<void> {
    return this.transport.close();
  }
}
