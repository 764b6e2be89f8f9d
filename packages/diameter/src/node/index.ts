/**
 * Diameter node (RFC 6733): what the HSS, I-CSCF and S-CSCF build on.
 *
 *   const node = await DiameterNode.start({
 *     originHost: "hss.domain.imsprovider.org", originRealm: "domain.imsprovider.org",
 *     bindAddress: "127.0.0.77", listenPort: 3868,                  // omit listenPort for a client-only node
 *     peers: [{ host: "icscf.domain.imsprovider.org", address: "127.0.0.55", connect: false }],
 *     // applications default to Cx {Vendor-Id 10415, Auth-Application-Id 16777216}; productName "ims-core"
 *     logger: nodeLogger("hss"), tap,                               // optional; clock defaults to systemClock
 *   });                                                             // a bad config throws ImsError naming the key
 *   node.handle(CX_APPLICATION_ID, 303, async (mar, { peer }) => answerTo(mar, [...]));  // per (app, command)
 *
 *   // client side (S-CSCF): peers: [{ host: "hss…", address: "127.0.0.77", port: 3868, connect: true }]
 *   await node.waitForPeerOpen("hss.domain.imsprovider.org", 10_000);   // true once CER/CEA is done
 *   const r = await node.request(buildMar(fields, node.nextIds()), { timeoutMs: 3000 });
 *   if (!r.ok) r.error.kind;      // "no-route" | "timeout" | "peer-down" | "stopped" (DiameterRequestError)
 *   else getValue(r.value, "Result-Code");                            // the answer, whatever its code
 *   await node.stop("REBOOTING");                                      // DPR to every open peer, sockets closed
 *
 * Routing: Destination-Host if it is an open peer that advertised the request's application, else
 * round robin over open peers of the Destination-Realm; `{ peer: host }` forces one (any application).
 * Answers are matched by hop-by-hop (set by the node) and end-to-end id. A peer whose watchdog is
 * SUSPECT takes no new requests. When a peer closes, its pending requests routed by realm are sent once
 * more to another qualifying peer with the T flag; the others fail at once with "peer-down".
 * Incoming: automatic answers 3001 (command without handler), 3002 (Destination-Host not us),
 * 3003 (other realm), 3007 (application not ours), decode/CCF errors with their Result-Code and
 * Failed-AVP (E bit for 3xxx), 5012 when a handler throws; duplicates (Origin-Host + End-to-End id
 * within duplicateWindowMs) get the cached answer again (with their own hop-by-hop id). Unknown peers
 * get CEA 3010 unless `acceptUnknownPeers`. Watchdog (Tw 30 s ± 2 s), Tc 30 s and the other timers are
 * in `timers`. `subscribe(e => …)` reports peer state and watchdog changes; `peerStatus(host)` the state,
 * watchdog and the peer's advertised capabilities; `localEndpoint` the bound address (listenPort 0).
 * Logs: one debug line per message in/out (codec `summarize`, no AVP values), peer states at info.
 */
export { type PeerConfig, type DiameterNodeConfig, DIAMETER_PORT, CX_APPLICATION, localIdentity } from "./config.js";
export { type RequestFailure, type DiameterRequestError, requestError } from "./errors.js";
export { type RequestContext, type RequestHandler, NODE_RESULT, RequestDispatcher } from "./inbound.js";
export { type DuplicateLookup, DuplicateCache } from "./duplicate-cache.js";
export { DiameterNode } from "./node.js";
export type { NodeEvent, PeerStatus, RequestOptions as NodeRequestOptions } from "./types.js";
