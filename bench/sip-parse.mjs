// SIP parse + serialize throughput: @ims/sip against the npm `sip` package, in the same run.
// Usage: npx tsc -b packages/sip && node bench/sip-parse.mjs [seconds-per-sample, default 0.5]
// Each sample parses a message from a Buffer and serializes it back to a Buffer; samples of the
// two implementations alternate, and the median of 5 samples per (message, implementation) is kept.
import sip from "sip";
import { parseMessage, validateMessage, serializeMessage, setHeader, getFirstVia, getFrom, getTo, getCallId, getCSeq } from "@ims/sip";

const crlf = (lines) => Buffer.from(lines.join("\r\n"), "utf8");

const REGISTER = crlf([
  "REGISTER sip:scscf1.domain.imsprovider.org:6060 SIP/2.0",
  "Via: SIP/2.0/UDP 127.0.0.55:4060;branch=z9hG4bK3a1c.5d9e7f0b3c1a2e4d",
  "Via: SIP/2.0/UDP 127.0.0.33:5060;branch=z9hG4bK9e1f.0a7c2b3d4e5f6a7b;rport=5060",
  "Via: SIP/2.0/UDP 127.0.0.111:5566;received=127.0.0.111;rport=5566;branch=z9hG4bKPjb5c8d2e4f6a1",
  "Max-Forwards: 68",
  "From: <sip:a@domain.imsprovider.org>;tag=x2kQ3WmZpLv9bN8c",
  "To: <sip:a@domain.imsprovider.org>",
  "Call-ID: 7c1f9a2b4d6e8f0a1c3e5a7b9d1f3e5a@127.0.0.111",
  "CSeq: 24731 REGISTER",
  "User-Agent: PJSUA v2.14 Linux-6.1/x86_64/glibc-2.36",
  'Contact: <sip:a@127.0.0.111:5566;ob>;+sip.instance="<urn:uuid:00000000-0000-0000-0000-0000a1b2c3d4>";reg-id=1;expires=600',
  "Contact: <sip:a@[2001:db8::111]:5566;transport=tcp>;q=0.5;expires=600",
  "Contact: <sip:a@10.0.0.7:5566>;q=0.1;expires=600",
  "Expires: 600",
  "Allow: PRACK, INVITE, ACK, BYE, CANCEL, UPDATE, INFO, SUBSCRIBE, NOTIFY, REFER, MESSAGE, OPTIONS",
  "Supported: path, outbound, gruu, sec-agree",
  "Require: path",
  "Path: <sip:term@pcscf1.domain.imsprovider.org:5060;lr>",
  'Authorization: Digest username="a@domain.imsprovider.org", realm="domain.imsprovider.org", nonce="m+5aZ9TnYJMVyHAk7uSxNBc3uY2/AAAAAAAAAAAAAAA=", uri="sip:domain.imsprovider.org", response="0c9c2c5e4c6e9a2b8f6d1e3a5c7b9d1f", algorithm=AKAv1-MD5, cnonce="2b3c4d5e", qop=auth, nc=00000001',
  "P-Visited-Network-ID: domain.imsprovider.org",
  "P-Charging-Vector: icid-value=4f5a6b7c8d9e0f1a2b3c4d5e;icid-generated-at=127.0.0.33;orig-ioi=domain.imsprovider.org",
  "P-Access-Network-Info: 3GPP-E-UTRAN-FDD; utran-cell-id-3gpp=001010001000019b",
  "Content-Length: 0",
  "",
  "",
]);

const SDP = [
  "v=0",
  "o=- 3916843123 3916843123 IN IP4 127.0.0.111",
  "s=pjmedia",
  "b=AS:84",
  "t=0 0",
  "a=X-nat:0",
  "m=audio 4000 RTP/AVP 96 97 98 99 3 0 8 9 120 121 122",
  "c=IN IP4 127.0.0.111",
  "b=TIAS:64000",
  "a=rtcp:4001 IN IP4 127.0.0.111",
  "a=sendrecv",
  "a=rtpmap:96 speex/16000",
  "a=rtpmap:97 speex/8000",
  "a=rtpmap:3 GSM/8000",
  "a=rtpmap:0 PCMU/8000",
  "a=rtpmap:8 PCMA/8000",
  "a=rtpmap:120 telephone-event/16000",
  "a=fmtp:120 0-16",
  "a=ssrc:1417395434 cname:2a3b4c5d6e7f8a9b",
  "",
].join("\r\n");

const INVITE = crlf([
  "INVITE sip:b@domain.imsprovider.org SIP/2.0",
  "Via: SIP/2.0/UDP 127.0.0.33:5060;branch=z9hG4bK1d2e.3f4a5b6c7d8e9f0a",
  "Via: SIP/2.0/UDP 127.0.0.111:5566;received=127.0.0.111;rport=5566;branch=z9hG4bKPj7f6e5d4c3b2a",
  "Max-Forwards: 69",
  "Route: <sip:orig@scscf1.domain.imsprovider.org:6060;lr>",
  "Record-Route: <sip:mo@pcscf1.domain.imsprovider.org:5060;lr>",
  'From: "Alice" <sip:a@domain.imsprovider.org>;tag=Zx9yW8vU7tS6',
  "To: <sip:b@domain.imsprovider.org>",
  "Contact: <sip:a@127.0.0.111:5566;ob>",
  "Call-ID: 0f1e2d3c4b5a69788796a5b4c3d2e1f0",
  "CSeq: 5531 INVITE",
  "Allow: PRACK, INVITE, ACK, BYE, CANCEL, UPDATE, INFO, SUBSCRIBE, NOTIFY, REFER, MESSAGE, OPTIONS",
  "Supported: replaces, 100rel, timer, norefersub",
  "Session-Expires: 1800",
  "Min-SE: 90",
  "P-Asserted-Identity: <sip:a@domain.imsprovider.org>",
  "P-Charging-Vector: icid-value=5a6b7c8d9e0f1a2b3c4d5e6f;icid-generated-at=127.0.0.33",
  "User-Agent: PJSUA v2.14 Linux-6.1/x86_64/glibc-2.36",
  "Content-Type: application/sdp",
  `Content-Length: ${Buffer.byteLength(SDP)}`,
  "",
  SDP,
]);

const seconds = Number(process.argv[2] ?? 0.5);

const ours = (buf) => {
  const r = parseMessage(buf);
  if (!r.ok) throw new Error(r.error.reason);
  return serializeMessage(r.value);
};
// One header changed, so the message is serialized from the model: the changed line written, the
// unchanged lines copied from the received bytes (what a proxy sends on).
const oursEdited = (buf) => {
  const r = parseMessage(buf);
  if (!r.ok) throw new Error(r.error.reason);
  setHeader(r.value, "max-forwards", "67");
  return serializeMessage(r.value);
};
// What a transport + proxy do with every inbound message: validate it (typed parse of Via, From,
// To, Call-ID, CSeq, Max-Forwards, Contact, Expires, Route...), read the transaction keys, edit
// one header and serialize from the model.
const oursValidated = (buf) => {
  const r = parseMessage(buf);
  if (!r.ok) throw new Error(r.error.reason);
  const v = validateMessage(r.value);
  if (!v.ok) throw new Error(v.error.reason);
  const m = v.value;
  if (getFirstVia(m)?.branch === undefined || getFrom(m)?.tag === undefined || getTo(m) === undefined) throw new Error("typed");
  if (getCallId(m) === undefined || getCSeq(m) === undefined) throw new Error("typed");
  setHeader(m, "max-forwards", "67");
  return serializeMessage(m);
};
const reference = (buf) => {
  const m = sip.parse(buf);
  if (m === undefined) throw new Error("sip.parse failed");
  return Buffer.from(sip.stringify(m), "binary");
};

// Rates are per CPU second of this process (process.cpuUsage), not per wall-clock second: the
// machine is shared, and CPU time is what "on one core" means when other work competes for it.
function sample(fn, buf) {
  const deadline = performance.now() + seconds * 1000;
  const cpu0 = process.cpuUsage();
  let n = 0;
  let sink = 0;
  while (performance.now() < deadline) {
    for (let i = 0; i < 200; i++) sink += fn(buf).length;
    n += 200;
  }
  const cpu = process.cpuUsage(cpu0);
  if (sink === 0) throw new Error("no output");
  return n / ((cpu.user + cpu.system) / 1e6);
}

const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// sanity: both sides accept the messages and ours round-trips byte for byte
for (const m of [REGISTER, INVITE]) {
  if (!ours(m).equals(m)) throw new Error("round trip changed the message");
  reference(m);
}

const impls = { unchanged: ours, edited: oursEdited, validated: oursValidated, "npm sip": reference };
const results = {};
for (const [name, buf] of [["REGISTER", REGISTER], ["INVITE+SDP", INVITE]]) {
  for (const fn of Object.values(impls)) sample(fn, buf); // warm-up
  const rates = Object.fromEntries(Object.keys(impls).map((k) => [k, []]));
  for (let round = 0; round < 5; round++) for (const [k, fn] of Object.entries(impls)) rates[k].push(sample(fn, buf));
  results[name] = Object.fromEntries(Object.entries(rates).map(([k, v]) => [k, median(v)]));
}

const fmt = (n) => Math.round(n).toLocaleString("en-US").padStart(9);
console.log(`SIP parse+serialize per CPU second, one core (median of 5 samples of ${seconds}s each, node ${process.version})`);
console.log("  unchanged: parse, serialize as received | edited: parse, set Max-Forwards, serialize from the model");
console.log("  validated: edited + validateMessage + read top Via, From, To, Call-ID, CSeq");
console.log("  npm sip: sip.parse (parses Via, From, To, Contact, CSeq, auth eagerly) + sip.stringify: the reference");
for (const [msg, r] of Object.entries(results)) {
  const ref = r["npm sip"];
  const cells = ["unchanged", "edited", "validated"].map((k) => `${k} ${fmt(r[k])}/s (${(r[k] / ref).toFixed(2)}x)`);
  console.log(`${msg.padEnd(11)} ${cells.join("  ")}  npm sip ${fmt(ref)}/s`);
}
const reg = results.REGISTER.unchanged;
const ok = reg >= 150_000 && reg / results.REGISTER["npm sip"] >= 2;
console.log(`goal (REGISTER parse+serialize >= 150,000/s and >= 2x npm sip): ${ok ? "met" : "NOT met"}`);
