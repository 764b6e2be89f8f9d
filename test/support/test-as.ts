/**
 * A small SIP application server for the iFC flow test (TS 24.229 §5.4.3.2/§5.7): the S-CSCF sends
 * it an initial request with Route = <AS>, <S-CSCF with the ODI>; it acts as a Record-Routing
 * proxy (§5.7.4) and sends the request back along the remaining Route, so the S-CSCF continues
 * with the next iFC. It keeps every request it received, as received, for the test to inspect.
 */
import { type Logger, silentLogger, systemClock } from "@ims/runtime";
import { type Resolver, type SipRequest, SipStack, addHeader, cloneMessage, getTo } from "@ims/sip";

export interface TestAsOptions {
  readonly address: string;
  readonly port: number;
  /** Resolves the S-CSCF's ODI Route (a host name in the lab): the lab's DNS resolver. */
  readonly resolver?: Resolver;
  /** A header this AS adds to what it proxies, to prove the request went through it. */
  readonly mark?: readonly [string, string];
  readonly logger?: Logger;
}

export class TestAs {
  /** Every request it received (initial and in-dialog), a copy taken before it forwarded it. */
  readonly received: SipRequest[] = [];
  readonly acks: SipRequest[] = [];

  private constructor(
    readonly stack: SipStack,
    readonly uri: string,
  ) {}

  static async start(o: TestAsOptions): Promise<TestAs> {
    const stack = await SipStack.open({
      address: o.address,
      port: o.port,
      logger: o.logger ?? silentLogger(),
      clock: systemClock,
      ...(o.resolver === undefined ? {} : { resolver: o.resolver }),
    });
    const as = new TestAs(stack, `sip:${o.address}:${o.port}`);
    stack.onRequest(async (ctx) => {
      as.received.push(cloneMessage(ctx.request));
      // An AS that stays in the dialog Record-Routes; in-dialog requests just follow their Route.
      const initial = getTo(ctx.request)?.tag === undefined;
      await ctx.forward(
        {},
        {
          ...(initial ? { recordRoute: true } : {}),
          onBranchRequest: (r) => {
            if (o.mark !== undefined && initial) addHeader(r, o.mark[0], o.mark[1]);
          },
        },
      );
    });
    stack.onAck((ack, forward) => {
      as.acks.push(cloneMessage(ack));
      void forward().catch(() => undefined);
    });
    return as;
  }

  stop(): Promise<void> {
    return this.stack.close();
  }
}
