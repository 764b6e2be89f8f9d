export { type BValue, type BList, type BDict, type BencodeError, decodeBencode, encodeBencode } from "./ng/bencode.js";
export { type NgMessage, type NgParseError, parseNgMessage, encodeNgMessage } from "./ng/ng-message.js";
export { type SdpMedia, type SdpError, type RewriteTarget, parseSdp, rewriteSdp } from "./sdp/sdp.js";
