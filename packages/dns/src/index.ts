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
export { type ResponderOptions, type DnsResponder, startResponder } from "./responder/responder.js";
export { explainBindError, SETCAP_COMMAND } from "./responder/bind-error.js";
