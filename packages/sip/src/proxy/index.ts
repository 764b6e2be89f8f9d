/**
 * SIP element core: what a CSCF, a registrar or a scripted UE is built on (RFC 3261 §8, §16,
 * RFC 3327 Path, RFC 3608 Service-Route as pushed Routes).
 *
 * ```ts
 * const stack = await SipStack.open({ address: "127.0.0.33", port: 5060, logger, tap,   // UDP+TCP sockets
 *   hosts: ["pcscf1.domain.imsprovider.org"], resolver });
 * // or new SipStack({ transport }) over any SipTransport (FakeNetwork in unit tests)
 *
 * stack.onRequest(async (ctx) => {            // every new request except ACK and CANCEL
 *   ctx.request                                // Route already pre-processed (§16.4): our own Route removed
 *   if (ctx.method === "REGISTER") {           // act as a UAS / registrar
 *     ctx.respond(200, { headers: [["Contact", "<sip:a@127.0.0.111:5566>;expires=600"]] });
 *     return;
 *   }
 *   const final = await ctx.forward(           // stateful proxy (§16.6): one target or several
 *     [{ uri: "sip:b@127.0.0.222:5577", routes: ["<sip:127.0.0.11:6060;lr>"] }],
 *     {
 *       recordRoute: true,                      // <sip:our-address:port;lr>, or a string
 *       mode: "parallel",                       // or "sequential" (next target after a failure)
 *       tryNextOn: (res) => res.status === 503, // sequential: which finals move on (default: any non-2xx)
 *       onBranchRequest: (req, target) => {},   // edit each outgoing copy (P-headers, SDP)
 *       onResponse: (res, target) => {},        // inspect/edit each response (our Via already removed)
 *       onFinal: (res) => {},                   // edit the final response before it goes upstream
 *     },
 *   );                                          // resolves with the final response sent upstream
 * });
 * ctx.forwardStateless(target)                 // §16.11, no transaction kept
 * ctx.source                                   // where it came from: as a target's `destination`
 *                                              // it reuses the UE's TCP connection (P-CSCF)
 * ctx.onCancel(() => ctx.respond(487))         // a UAS's INVITE was CANCELled (CANCEL answered 200 already)
 *
 * // As a UAC (scripted UE, S-CSCF's own requests):
 * const invite = buildRequest({ method: "INVITE", uri, from: "<sip:a@x>", to: "<sip:b@x>", contact, routes });
 * const out = stack.request(invite, { onResponse: (r) => {} });   // Via, branch, Max-Forwards added
 * out.cancel();                                                     // CANCEL once a provisional arrived
 * const res = await out.final;                                      // 408 / 503 synthesized on timeout / transport error
 * if (res.status < 300) await stack.sendAck(invite, res);          // ACK for 2xx along the Record-Route set
 * ```
 *
 * What happens without a handler's help: Max-Forwards 0 → 483, a loop → 482 (spirals pass), 100
 * Trying after 200 ms for INVITE, forwarded responses lose our Via, 100s are not relayed, every 2xx
 * is relayed, other finals wait for all branches and the best one goes (§16.7: 6xx first, else the
 * lowest class; 401/407 challenges merged; 503 becomes 500), 2xx/6xx CANCEL the other branches,
 * an upstream CANCEL is answered 200 and propagated, Timer C (181 s) CANCELs a stuck INVITE
 * branch, 2xx ACKs are forwarded along their Route set, responses without a transaction are
 * relayed by their Via. A UAS's 2xx to INVITE is retransmitted until its ACK (§13.3.1.4) and a
 * UAC re-sends its ACK to each retransmitted 2xx. The default resolver takes host/port/transport from the next-hop URI;
 * pass `resolver` for DNS (RFC 3263).
 */
export { type Resolver, literalResolver, isLocalUri, preprocessRoute, nextHopUri, topRouteUri, routeSetFromResponse, routeValues } from "./routing.js";
export { loopHash, proxyBranch, isLoop, pushVia } from "./branch.js";
export { selectBest, finalizeBest } from "./best-response.js";
export { buildCancel } from "./cancel.js";
export { type ForwardTarget, type BranchBuild, type PreparedBranch, prepareBranch } from "./forward-request.js";
export { type ForwardOptions, ProxyOperation, type ResponseVerdict } from "./proxy-operation.js";
export { type RespondOptions, type ContextOps, RequestContext } from "./request-context.js";
export { Uas2xxRetransmitter, UacAckCache, dialogKey } from "./two-xx.js";
export { type NewRequest, buildRequest, ackFor2xx } from "./ua.js";
export { type SipStackOptions, type UacOptions, type OutgoingRequest, SipStack } from "./sip-stack.js";
