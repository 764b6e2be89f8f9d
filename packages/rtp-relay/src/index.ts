export { type BValue, type BList, type BDict, type BencodeError, decodeBencode, encodeBencode } from "./ng/bencode.js";
export { type NgMessage, type NgParseError, parseNgMessage, encodeNgMessage } from "./ng/ng-message.js";
export { NG_COMMANDS, type NgCommand } from "./ng/ng-handler.js";
export {
  type NgClientOptions, type NgClientError, type NgClientErrorTag, type MediaSessionIds, type NgExtra, NgClient,
} from "./ng/ng-client.js";
export { type SdpMedia, type SdpError, type RewriteTarget, parseSdp, rewriteSdp } from "./sdp/sdp.js";
export { type PortPair, type PortsExhausted, PortAllocator } from "./media/port-allocator.js";
export { type RtpStatsSnapshot, RtpStats } from "./media/rtp-stats.js";
export { buildRtpPacket } from "./media/rtp-packet.js";
export {
  type RtpRelayOptions, type RtpRelay, type RtpRelayStats, type RtpRelayCallState, type RtpRelayLegState, startRtpRelay,
} from "./relay/start-rtp-relay.js";
