export {
  type DnsHeader,
  type DnsMessage,
  type DnsQuestion,
  type RecordData,
  type ResourceRecord,
  type RrTypeName,
  type RcodeName,
  RR_TYPE,
  RR_CLASS,
  RCODE,
  OPCODE,
  rrTypeName,
  rcodeName,
} from "./wire/types.js";
export { type DnsDecodeError, decodeMessage } from "./wire/decode.js";
export { encodeMessage } from "./wire/encode.js";
export { type ZoneAnswer, type ZoneRecord, type SoaData, Zone, ZoneSet } from "./zone/zone.js";
export { type LabDnsNode, type LabZoneConfig, LAB_DNS_DEFAULTS, buildLabZone } from "./zone/lab-zone.js";
export { type QueryOutcome, type QueryTransport, answerQuery, EDNS_PAYLOAD } from "./responder/answer-query.js";
export { AnswerCache } from "./responder/answer-cache.js";
export { type ResponderOptions, type DnsResponder, startResponder } from "./responder/responder.js";
export { explainBindError, SETCAP_COMMAND } from "./responder/bind-error.js";
export { type DnsAnswer, type DnsQueryError, type DnsQueryErrorTag, type DnsSource, type StaticHosts, ZoneSource, HostsSource } from "./resolver/source.js";
export { type DnsServerConfig, DnsClient } from "./resolver/dns-client.js";
export { type CacheOptions, CachingSource } from "./resolver/cache.js";
export { orderSrv } from "./resolver/srv-order.js";
export { type SipResolveError, type SipResolveErrorTag, SIP_STATUS_FOR } from "./resolver/errors.js";
export { type SipTransport, type SipTargetSpec, type SipDestination, type SipResolverOptions, SipResolver } from "./resolver/sip-resolver.js";
export { type SipResolverConfig, createSipResolver } from "./resolver/create-resolver.js";
