/**
 * What a request handler gets (`SipStack.onRequest`): the request (Route already pre-processed per
 * §16.4), where it came from, and three ways to act — answer it as a UAS (`respond`), proxy it
 * (`forward`), or learn it was cancelled (`onCancel`).
 */
import type { Destination } from "../transport/types.js";
import { type SipRequest, type SipResponse, createResponse, newTag } from "../message/index.js";
import type { ServerTransaction } from "../transaction/transaction-layer.js";
import type { SipUri } from "../uri/index.js";
import type { ForwardTarget } from "./forward-request.js";
import type { ForwardOptions } from "./proxy-operation.js";

export interface RespondOptions {
  readonly reason?: string;
  readonly headers?: readonly (readonly [string, string])[];
  readonly body?: Buffer | string;
  readonly contentType?: string;
}

/** What a context needs from its stack. */
export interface ContextOps {
  forward(ctx: RequestContext, targets: readonly ForwardTarget[], options: ForwardOptions): Promise<SipResponse>;
  forwardStateless(ctx: RequestContext, target: ForwardTarget): Promise<void>;
  /** A UAS sent a 2xx to INVITE: retransmit it until the ACK (§13.3.1.4). */
  sent2xx(ctx: RequestContext, response: SipResponse): void;
}

export class RequestContext {
  private tag: string | undefined;
  /** The To tag this element uses in its own responses (one per request, §8.2.6.2; made when first needed). */
  get toTag(): string {
    return (this.tag ??= newTag());
  }
  /** The top Route naming this element, as received, that §16.4 pre-processing removed (if any). */
  localRoute: SipUri | undefined;
  /** @internal The Request-URI as received (before §16.4 pre-processing), for the loop hash. */
  receivedUri: string | undefined;
  /** @internal The Route lines as received, when there were any (§16.4 may remove our own), for the loop hash. */
  receivedRoutes: readonly string[] | undefined;

  constructor(
    readonly request: SipRequest,
    readonly source: Destination,
    readonly transaction: ServerTransaction,
    private readonly ops: ContextOps,
  ) {}

  /**
   * Forwards without keeping state (§16.11): the server transaction is dropped, responses are
   * relayed by their Via, a retransmission reaches the handler again and goes out with the same branch.
   */
  forwardStateless(target: ForwardTarget = {}): Promise<void> {
    return this.ops.forwardStateless(this, target);
  }

  get method(): string {
    return this.request.method;
  }

  /** True once a CANCEL for this INVITE arrived. */
  get cancelled(): boolean {
    return this.transaction.cancelled;
  }

  /**
   * Answers as a UAS (§8.2.6): the response copies Via/From/To/Call-ID/CSeq, with our To tag. A 2xx
   * to INVITE is retransmitted by the stack until its ACK arrives (§13.3.1.4).
   */
  respond(status: number, options: RespondOptions = {}): SipResponse {
    const res = createResponse(this.request, status, {
      toTag: this.toTag,
      ...(options.reason === undefined ? {} : { reason: options.reason }),
      ...(options.headers === undefined ? {} : { headers: options.headers }),
      ...(options.body === undefined ? {} : { body: options.body }),
      ...(options.contentType === undefined ? {} : { contentType: options.contentType }),
    });
    this.send(res);
    return res;
  }

  /** Sends a response built elsewhere (e.g. a relayed one, or with a body set by setBody). */
  send(response: SipResponse): void {
    const first2xx = this.request.method === "INVITE" && response.status >= 200 && response.status < 300 && !this.transaction.answered;
    this.transaction.respond(response);
    if (first2xx) this.ops.sent2xx(this, response);
  }

  /**
   * Proxies the request statefully to one or more targets (§16.6); resolves with the final
   * response sent upstream. Answers 483 when Max-Forwards is 0 and 482 on a loop.
   */
  forward(targets: ForwardTarget | readonly ForwardTarget[] = {}, options: ForwardOptions = {}): Promise<SipResponse> {
    const list = Array.isArray(targets) ? (targets as readonly ForwardTarget[]) : [targets as ForwardTarget];
    return this.ops.forward(this, list, options);
  }

  /** Runs `fn` when a CANCEL for this request arrives (the CANCEL itself is already answered 200). */
  onCancel(fn: () => void): void {
    this.transaction.onCancel(() => fn());
  }
}
