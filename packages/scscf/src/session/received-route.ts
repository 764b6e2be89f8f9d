import type { SipRequest, SipTransport, SipUri } from "@ims/sip";
import { topRouteUri } from "@ims/sip";

/**
 * The top Route of each request as it arrived, before the stack's §16.4 pre-processing removes the
 * one naming us. The S-CSCF needs it: its user part "orig" (the Service-Route, RFC 3608) marks the
 * originating case and its `odi` parameter a request coming back from an application server
 * (TS 24.229 §5.4.3.2, §5.4.3.3). Wrap the transport the SipStack is built on.
 */
export class ReceivedRoutes {
  private readonly tops = new WeakMap<SipRequest, SipUri>();

  wrap(t: SipTransport): SipTransport {
    return {
      get local() {
        return t.local;
      },
      get protocols() {
        return t.protocols;
      },
      send: (m, d) => t.send(m, d),
      onMessage: (handler) =>
        t.onMessage((inbound) => {
          if (inbound.kind === "request") {
            const top = topRouteUri(inbound.message);
            if (top !== undefined) this.tops.set(inbound.message, top);
          }
          handler(inbound);
        }),
      close: () => t.close(),
    };
  }

  /** The request's top Route as received (undefined when it had none). */
  topRoute(req: SipRequest): SipUri | undefined {
    return this.tops.get(req);
  }
}
