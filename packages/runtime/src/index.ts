export { type Clock, type TimerHandle, type TimerHost, FakeClock, QueuedClock, nodeTimerHost, systemClock } from "./clock.js";
export { type Result, type TaggedError, ImsError, ok, err, assertNever } from "./errors.js";
export { type Logger, type LoggerConfig, SECRET_KEYS, createLogger, nodeLogger, silentLogger } from "./logger.js";
export { timingSafeEqualString } from "./secret.js";
export { toolAvailable, requireTool } from "./tools.js";
export type { Endpoint, TappedPacket, PacketTap } from "./packet-tap.js";
export { PcapWriter } from "./pcap-writer.js";
export { randomBase64, randomHex } from "./random.js";
export { InFlightMap, detachString } from "./retention.js";
