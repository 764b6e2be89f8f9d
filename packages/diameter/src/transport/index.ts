/**
 * Diameter transport: the byte-stream seam (`StreamTransport`/`StreamConnection`), TCP on the node's
 * own address with per-tick write coalescing (`TcpTransport`), an in-memory `FakeNetwork` for unit
 * tests, and `DiameterStream`, which frames and decodes messages on a connection.
 */
export * from "./types.js";
export { TcpTransport } from "./tcp.js";
export { FakeNetwork } from "./fake-network.js";
export { type DiameterStreamHandlers, DiameterStream } from "./diameter-stream.js";
