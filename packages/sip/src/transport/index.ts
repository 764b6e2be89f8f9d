export type { Destination, Inbound, SipTransport, TransportProtocol } from "./types.js";
export { isReliable, viaTransportToken } from "./types.js";
export { replaceTopVia, popTopVia, countVias } from "./top-via.js";
export { stampReceived, responseDestination } from "./via-received.js";
export { type InboundOutcome, processInbound } from "./inbound.js";
export { type FramedItem, StreamFramer } from "./stream-framer.js";
export { type NetTransportOptions, NetTransport } from "./net-transport.js";
export { type SentRecord, FakeNetwork, FakeTransport, settle } from "./fake-network.js";
