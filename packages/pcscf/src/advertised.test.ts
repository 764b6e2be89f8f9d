import { type SipRequest, getFirstVia, getHeaders, parseVia, replaceTopVia, serializeVia } from "@ims/sip";
import { describe, expect, it } from "vitest";
import { advertiseVia, withSentByHost } from "./advertised.js";

const BOUND = "127.5.3.33";
const HOST = "pcscf1.example.net";

/** What advertiseVia did before it edited the text: parse, change the host, serialize. */
function reference(req: SipRequest, host: string, bound: string): void {
  if (host === bound) return;
  const via = getFirstVia(req);
  if (via === undefined || via.host !== bound) return;
  replaceTopVia(req, serializeVia({ ...via, host }));
}

const request = (...vias: string[]): SipRequest => ({
  kind: "request",
  method: "REGISTER",
  uri: "sip:d",
  headers: [...vias.map((value) => ({ name: "Via", value })), { name: "From", value: "<sip:a@d>;tag=1" }],
  body: Buffer.alloc(0),
});

const VIAS = [
  // as the stack writes them
  `SIP/2.0/UDP ${BOUND}:5060;branch=z9hG4bK0123456789.abcdef;rport`,
  `SIP/2.0/TCP ${BOUND}:5060;branch=z9hG4bKx;rport`,
  `SIP/2.0/TLS ${BOUND}:5061;branch=z9hG4bKx`,
  `SIP/2.0/UDP ${BOUND};branch=z9hG4bKx`,
  `SIP/2.0/UDP ${BOUND}:5060`,
  `SIP/2.0/UDP ${BOUND}`,
  `SIP/2.0/UDP ${BOUND}:0;branch=z9hG4bKx`,
  `SIP/2.0/UDP ${BOUND}:65535;branch=z9hG4bKx;received=1.2.3.4;rport=5060;maddr=[::1];ttl=1`,
  `SIP/2.0/UDP ${BOUND}:5060;branch=z9hG4bKx;rport=05060;x-a=b:c/d;x-b`,
  // written otherwise: parsed (and normalised) as before
  `SIP/2.0/UDP ${BOUND}:05060;branch=z9hG4bKx`,
  `SIP/2.0/UDP ${BOUND}:65536;branch=z9hG4bKx`,
  `SIP/2.0/UDP ${BOUND}:123456;branch=z9hG4bKx`,
  `SIP/2.0/UDP ${BOUND}:;branch=z9hG4bKx`,
  `SIP/2.0/udp ${BOUND}:5060;branch=z9hG4bKx`,
  `sip/2.0/UDP ${BOUND}:5060;branch=z9hG4bKx`,
  `SIP / 2.0 / UDP ${BOUND}:5060;branch=z9hG4bKx`,
  `SIP/2.0/UDP  ${BOUND}:5060;branch=z9hG4bKx`,
  `SIP/2.0/UDP ${BOUND} : 5060 ; branch = z9hG4bKx`,
  `SIP/2.0/UDP ${BOUND}:5060;Branch=z9hG4bKx;RPORT`,
  `SIP/2.0/UDP ${BOUND}:5060;branch=z9hG4bKx;branch=z9hG4bKy`,
  `SIP/2.0/UDP ${BOUND}:5060;branch=z9hG4bKx;rport;rport`,
  `SIP/2.0/UDP ${BOUND}:5060;rport;branch=z9hG4bKx;rport=1`,
  `SIP/2.0/UDP ${BOUND}:5060;ab=1;a=2;abc=3;a=4`,
  `SIP/2.0/UDP ${BOUND}:5060;branch`,
  `SIP/2.0/UDP ${BOUND}:5060;branch=`,
  `SIP/2.0/UDP ${BOUND}:5060;rport=abc`,
  `SIP/2.0/UDP ${BOUND}:5060;rport=70000`,
  `SIP/2.0/UDP ${BOUND}:5060;rport=123456`,
  `SIP/2.0/UDP ${BOUND}:5060;x="a;b"`,
  `SIP/2.0/UDP ${BOUND}:5060;;branch=z9hG4bKx`,
  `SIP/2.0/UDP ${BOUND}:5060;branch=z9hG4bKx;`,
  `SIP/2.0/UDP ${BOUND}:5060;branch=z9hG4bKx junk`,
  `SIP/2.0/UDP ${BOUND}:5060;branch=z9hG4bKx `,
  ` SIP/2.0/UDP ${BOUND}:5060;branch=z9hG4bKx`,
  `SIP/2.0/UDP ${BOUND}:5060;branch=z9hG4bKx, SIP/2.0/UDP 127.5.3.111:5566;branch=z9hG4bKy`,
  `SIP/2.0/SCTP ${BOUND}:5060;branch=z9hG4bKx`,
  `SIP/2.0/UDP ${BOUND}5:5060;branch=z9hG4bKx`,
  `SIP/2.0/UDP ${BOUND}.:5060;branch=z9hG4bKx`,
  `SIP/2.0/UDP 127.5.3.34:5060;branch=z9hG4bKx`,
  `SIP/2.0/UDP [::1]:5060;branch=z9hG4bKx`,
  `SIP/2.0/UDP ${BOUND}:5060;branch=z9hG4bKx;x=\u00e9`,
  "SIP/2.0/UDP",
  "",
];

describe("advertiseVia", () => {
  it("gives what parsing, changing the host and serializing gave, for Vias written in every way", () => {
    for (const v of VIAS) {
      for (const bound of [BOUND, "[::1]", "127.5.3.3"]) {
        const req = request(v, "SIP/2.0/UDP 127.5.3.111:5566;branch=z9hG4bKue");
        const ref = request(v, "SIP/2.0/UDP 127.5.3.111:5566;branch=z9hG4bKue");
        advertiseVia(req, { host: HOST, port: 5060 }, bound);
        reference(ref, HOST, bound);
        expect(getHeaders(req, "via"), `${v} (bound ${bound})`).toEqual(getHeaders(ref, "via"));
      }
    }
  });

  it("swaps the host in the text only when the Via is written as the stack writes it", () => {
    const swapped = VIAS.filter((v) => withSentByHost(v, BOUND, HOST) !== undefined);
    expect(swapped).toEqual(VIAS.slice(0, 9));
    for (const v of swapped) {
      const parsed = parseVia(v);
      if (!parsed.ok) throw new Error(v);
      expect(withSentByHost(v, BOUND, HOST)).toBe(serializeVia({ ...parsed.value[0]!, host: HOST }));
    }
    expect(withSentByHost(VIAS[0]!, BOUND, HOST)).toBe(`SIP/2.0/UDP ${HOST}:5060;branch=z9hG4bK0123456789.abcdef;rport`);
  });

  it("leaves a top Via of another host, a message without Via and an advertised host that is the bound one alone", () => {
    const other = request("SIP/2.0/UDP 127.5.3.111:5566;branch=z9hG4bKue");
    const before = other.headers[0];
    advertiseVia(other, { host: HOST, port: 5060 }, BOUND);
    expect(other.headers[0]).toBe(before);
    const none = request();
    advertiseVia(none, { host: HOST, port: 5060 }, BOUND);
    expect(none.headers).toHaveLength(1);
    const same = request(VIAS[0]!);
    advertiseVia(same, { host: BOUND, port: 5060 }, BOUND);
    expect(getHeaders(same, "via")).toEqual([VIAS[0]]);
  });
});
