import { type SipRequest, parseMessage, removeHeaders } from "@ims/sip";
import { describe, expect, it } from "vitest";
import { UNTRUSTED_FROM_UE, removeUntrusted } from "./trust-domain.js";

const request = (method: string, extra: readonly string[]): SipRequest => {
  const r = parseMessage(
    Buffer.from(
      `${method} sip:d SIP/2.0\r\nVia: SIP/2.0/UDP 127.5.3.111:5566;branch=z9hG4bK1\r\nFrom: <sip:a@d>;tag=1\r\nTo: <sip:a@d>\r\n` +
        `Call-ID: c\r\nCSeq: 1 ${method}\r\n${extra.map((l) => `${l}\r\n`).join("")}Content-Length: 0\r\n\r\n`,
    ),
  );
  if (!r.ok || r.value.kind !== "request") throw new Error("fixture");
  return r.value;
};

/** What removeUntrusted did before it took one pass: removeHeaders once per name. */
const reference = (req: SipRequest): number => {
  const names = req.method === "REGISTER" ? UNTRUSTED_FROM_UE.REGISTER : UNTRUSTED_FROM_UE.other;
  let n = 0;
  for (const name of names) n += removeHeaders(req, name);
  return n;
};

const LINES = [
  "P-Asserted-Identity: <sip:boss@d>",
  "p-asserted-identity: <sip:boss2@d>",
  "P-CHARGING-VECTOR: icid-value=forged",
  "P-Charging-Function-Addresses: ccf=evil",
  "Security-Client: ipsec-3gpp; alg=hmac-sha-1-96",
  "security-verify: ipsec-3gpp; alg=hmac-sha-1-96",
  "P-Visited-Network-ID: evil.net",
  "Path: <sip:evil.example.com;lr>",
  "PATH: <sip:evil2.example.com;lr>",
  "Supported: path",
  "P-Preferred-Identity: <sip:a@d>",
  "Paths: <sip:not-a-path@d>",
  "Security-Clients: x",
  "k: gruu",
];

describe("removeUntrusted", () => {
  it("removes what the trust domain writes, in any case, and keeps everything else in order", () => {
    for (const method of ["REGISTER", "INVITE"]) {
      const req = request(method, LINES);
      const ref = request(method, LINES);
      const n = removeUntrusted(req);
      expect(n).toBe(reference(ref));
      expect(req.headers.map((h) => `${h.name}: ${h.value}`)).toEqual(ref.headers.map((h) => `${h.name}: ${h.value}`));
    }
    const reg = request("REGISTER", LINES);
    expect(removeUntrusted(reg)).toBe(9);
    expect(reg.headers.map((h) => h.name)).toEqual(["Via", "From", "To", "Call-ID", "CSeq", "Supported", "P-Preferred-Identity", "Paths", "Security-Clients", "k", "Content-Length"]);
    // Path and P-Visited-Network-ID only go from a REGISTER
    const invite = request("INVITE", LINES);
    expect(removeUntrusted(invite)).toBe(6);
    expect(invite.headers.filter((h) => /^(path|p-visited-network-id)$/i.test(h.name))).toHaveLength(3);
  });

  it("removes a line wherever it is (first, last, every line) and every combination of the lines", () => {
    for (let mask = 0; mask < 1 << 6; mask++) {
      const extra = LINES.slice(4, 10).filter((_, i) => (mask & (1 << i)) !== 0);
      const req = request("REGISTER", extra);
      const ref = request("REGISTER", extra);
      expect(removeUntrusted(req)).toBe(reference(ref));
      expect(req.headers).toEqual(ref.headers);
    }
    const only = { kind: "request", method: "REGISTER", uri: "sip:d", headers: [{ name: "Path", value: "<sip:x>" }, { name: "path", value: "<sip:y>" }], body: Buffer.alloc(0) } as SipRequest;
    expect(removeUntrusted(only)).toBe(2);
    expect(only.headers).toEqual([]);
  });

  it("leaves the header list itself alone when the UE sent nothing to remove", () => {
    const req = request("REGISTER", ["Supported: path", "P-Preferred-Identity: <sip:a@d>"]);
    const before = req.headers;
    expect(removeUntrusted(req)).toBe(0);
    expect(req.headers).toBe(before);
  });
});
