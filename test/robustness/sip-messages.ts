/**
 * Malformed SIP for the robustness tests: one well-formed request template and the ways to break it.
 * Each case says what a node must do with it: answer with a status in `answer` (with a reason
 * phrase), or stay silent when nothing addressable is left.
 */
import type { Target } from "./raw.js";

/**
 * What a node must do: answer with one of these statuses (with a reason phrase), stay silent (no
 * Call-ID/CSeq/From/To/Via to build an answer from, or a response), or on TCP "wait" for the rest of
 * the stream or "close" a stream that can no longer be framed and holds nothing to answer.
 */
export type Expect = readonly number[] | "silence" | "wait" | "close";

export interface SipCase {
  readonly name: string;
  readonly bytes: (via: ViaInfo) => Buffer;
  readonly udp: Expect;
  /** Default: as on UDP. */
  readonly tcp?: Expect;
}

export interface ViaInfo {
  readonly transport: "UDP" | "TCP";
  readonly local: Target;
  readonly domain: string;
  readonly branch: string;
}

export function viaLine(v: ViaInfo): string {
  return `Via: SIP/2.0/${v.transport} ${v.local.address}:${v.local.port};branch=z9hG4bK${v.branch};rport`;
}

/** A well-formed request; `drop` removes header lines by name, `extra` adds lines, `body` sets the body. */
export function request(
  v: ViaInfo,
  o: { method?: string; uri?: string; drop?: readonly string[]; extra?: readonly string[]; body?: string; contentLength?: string } = {},
): string {
  const method = o.method ?? "OPTIONS";
  const body = o.body ?? "";
  const lines = [
    viaLine(v),
    "Max-Forwards: 70",
    `From: <sip:robot@${v.domain}>;tag=r${v.branch}`,
    `To: <sip:robot@${v.domain}>`,
    `Call-ID: robust-${v.branch}@${v.local.address}`,
    `CSeq: 1 ${method}`,
    `Contact: <sip:robot@${v.local.address}:${v.local.port}>`,
  ].filter((l) => !(o.drop ?? []).some((d) => l.toLowerCase().startsWith(`${d.toLowerCase()}:`)));
  lines.push(...(o.extra ?? []), `Content-Length: ${o.contentLength ?? String(Buffer.byteLength(body, "latin1"))}`);
  return `${method} ${o.uri ?? `sip:${v.domain}`} SIP/2.0\r\n${lines.join("\r\n")}\r\n\r\n${body}`;
}

const b = (s: string): Buffer => Buffer.from(s, "latin1");

/** Malformed requests every node's transport must survive, on UDP and TCP alike. */
export const MALFORMED: readonly SipCase[] = [
  // RFC 3261 §18.3: on a datagram a Content-Length past its end is a 400; on a stream the rest may come.
  { name: "Content-Length bigger than the body", bytes: (v) => b(request(v, { body: "v=0\r\n", contentLength: "5000" })), udp: [400], tcp: "wait" },
  // A stream that cannot be framed is answered (400) when the request can be, then closed.
  { name: "negative Content-Length", bytes: (v) => b(request(v, { contentLength: "-20" })), udp: [400] },
  { name: "non-numeric Content-Length", bytes: (v) => b(request(v, { contentLength: "ten" })), udp: [400] },
  { name: "two Content-Lengths that differ", bytes: (v) => b(request(v, { extra: ["Content-Length: 7"] })), udp: [400] },
  { name: "a 20 KB header line", bytes: (v) => b(request(v, { extra: [`X-Huge: ${"a".repeat(20_000)}`] })), udp: [513] },
  { name: "2,000 header lines", bytes: (v) => b(request(v, { extra: Array.from({ length: 2000 }, (_, i) => `X-H${i}: ${i}`) })), udp: [513] },
  // NUL in a header the stack does not interpret is passed on (RFC 3261 quoted-pair even allows an
  // escaped one); the request is processed as usual: 403 (not registered) at the P-CSCF, 404 behind it.
  { name: "NUL bytes in an unknown header's value", bytes: (v) => b(request(v, { extra: ["Subject: a\u0000b\u0000c"] })), udp: [403, 404] },
  { name: "NUL bytes in the Request-URI", bytes: (v) => b(request(v, { uri: `sip:\u0000\u0000@x` })), udp: [400] },
  { name: "NUL bytes in the Call-ID", bytes: (v) => b(request(v).replace(/Call-ID: robust-/, "Call-ID: \u0000robust-")), udp: [400] },
  // §8.2.6.2: a response copies From, To, Call-ID and CSeq; without one there is nothing to answer with.
  { name: "no Call-ID", bytes: (v) => b(request(v, { drop: ["call-id"] })), udp: "silence" },
  { name: "no CSeq", bytes: (v) => b(request(v, { drop: ["cseq"] })), udp: "silence" },
  { name: "no From", bytes: (v) => b(request(v, { drop: ["from"] })), udp: "silence" },
  { name: "no To", bytes: (v) => b(request(v, { drop: ["to"] })), udp: "silence" },
  { name: "CSeq method differs from the request method", bytes: (v) => b(request(v).replace(/CSeq: 1 OPTIONS/, "CSeq: 1 INVITE")), udp: [400] },
  { name: "invalid Request-URI", bytes: (v) => b(request(v, { uri: "sip:@@:99999999;;" })), udp: [400] },
  { name: "Request-URI with spaces and no scheme", bytes: (v) => b(request(v, { uri: "not a uri" })), udp: [400] },
  { name: "bad From URI", bytes: (v) => b(request(v).replace(/From: <[^>]*>/, "From: <sip:a@@b:xx>")), udp: [400] },
  { name: "negative Max-Forwards", bytes: (v) => b(request(v, { drop: ["max-forwards"], extra: ["Max-Forwards: -5"] })), udp: [400] },
  { name: "Max-Forwards of 2^64", bytes: (v) => b(request(v, { drop: ["max-forwards"], extra: ["Max-Forwards: 18446744073709551616"] })), udp: [400] },
  { name: "unknown SIP version", bytes: (v) => b(request(v).replace("SIP/2.0\r\n", "SIP/7.0\r\n")), udp: [505] },
  { name: "cut before Call-ID, no empty line", bytes: (v) => b(request(v).slice(0, 120)), udp: "silence", tcp: "wait" },
  { name: "no Via (nowhere to answer)", bytes: (v) => b(request(v, { drop: ["via"] })), udp: "silence" },
  { name: "a malformed response", bytes: (v) => b(`SIP/2.0 abc OK\r\n${viaLine(v)}\r\n\r\n`), udp: "silence", tcp: "close" },
  { name: "only the start line", bytes: () => b("INVITE sip:x SIP/2.0\r\n\r\n"), udp: "silence", tcp: "close" },
  { name: "ACK without Call-ID (an ACK is never answered)", bytes: (v) => b(request(v, { method: "ACK", drop: ["call-id"] })), udp: "silence" },
];

/** REGISTERs whose credentials or bindings are broken; the registrar answers them (never 5xx). */
export function badRegisters(v: ViaInfo, impi: string): { name: string; bytes: Buffer }[] {
  const user = impi.split("@")[0] ?? impi;
  const reg = (authorization: string, edit: (s: string) => string = (s) => s): Buffer =>
    b(edit(request(v, { method: "REGISTER", extra: [`Authorization: ${authorization}`, "Expires: 600", "Supported: path"] }).replace(/robot@/g, `${user}@`)));
  const uri = `sip:${v.domain}`;
  const empty = `Digest username="${impi}", realm="${v.domain}", nonce="", uri="${uri}", response=""`;
  return [
    { name: "Authorization that is not a digest at all", bytes: reg('Digest ,,,,=== "unterminated') },
    { name: "Authorization with an unknown scheme", bytes: reg("Basic YTphcGFzcw==") },
    { name: "Authorization with an empty value", bytes: reg("") },
    { name: "AKA Authorization with a non-base64 nonce", bytes: reg(`Digest username="${impi}", realm="${v.domain}", nonce="!!!not*base64$$$", uri="${uri}", response="00000000000000000000000000000000", algorithm=AKAv1-MD5`) },
    { name: "AKA Authorization with a wrong-length auts", bytes: reg(`Digest username="${impi}", realm="${v.domain}", nonce="${"A".repeat(43)}=", uri="${uri}", response="", auts="AAEC", algorithm=AKAv1-MD5`) },
    { name: "AKA Authorization with a non-base64 auts", bytes: reg(`Digest username="${impi}", realm="${v.domain}", nonce="AAAA", uri="${uri}", response="", auts="${"%".repeat(20)}", algorithm=AKAv1-MD5`) },
    { name: "digest with an 8 KB response", bytes: reg(`Digest username="${impi}", realm="${v.domain}", nonce="abc", uri="${uri}", response="${"f".repeat(8000)}"`) },
    { name: "digest with a path as user name", bytes: reg(`Digest username="../../etc/passwd", realm="${v.domain}", nonce="", uri="${uri}", response=""`) },
    { name: "Contact and Expires with absurd values", bytes: reg(empty, (s) => s.replace(/(Contact: <[^>]*>)/, "$1;expires=99999999999999999999999").replace("Expires: 600", "Expires: 99999999999999999999999")) },
    { name: "Contact with negative expires", bytes: reg(empty, (s) => s.replace(/(Contact: <[^>]*>)/, "$1;expires=-1")) },
    { name: "Contact that is not a URI", bytes: reg(empty, (s) => s.replace(/Contact: <[^>]*>/, "Contact: <<<>>>")) },
  ];
}
