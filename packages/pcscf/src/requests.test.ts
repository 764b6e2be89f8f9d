import { parseMessage, type SipRequest } from "@ims/sip";
import { describe, expect, it } from "vitest";
import { senderRegistration } from "./requests.js";
import type { UeRegistration } from "./storage/registrations.js";

const reg = (user: string): UeRegistration =>
  ({
    aor: `sip:${user}@domain.imsprovider.org`,
    contact: `sip:${user}@192.0.2.1:5060`,
    transport: "udp",
    address: "192.0.2.1",
    port: 5060,
    impus: [`sip:${user}@domain.imsprovider.org`, `tel:+3460000${user === "a" ? 1 : 2}`],
    serviceRoute: [],
    expiresAt: 1e12,
  }) as unknown as UeRegistration;

function invite(from: string, extra = ""): SipRequest {
  const text =
    `INVITE sip:c@domain.imsprovider.org SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK1\r\nMax-Forwards: 70\r\n` +
    `From: <${from}>;tag=1\r\nTo: <sip:c@domain.imsprovider.org>\r\nCall-ID: x\r\nCSeq: 1 INVITE\r\n${extra}Content-Length: 0\r\n\r\n`;
  const r = parseMessage(Buffer.from(text));
  if (!r.ok || r.value.kind !== "request") throw new Error("fixture");
  return r.value;
}

describe("senderRegistration: several users behind one source (NAT, SIPp)", () => {
  const a = reg("a");
  const b = reg("b");
  it("picks the registration whose identities hold the From URI", () => {
    expect(senderRegistration([a, b], invite("sip:b@domain.imsprovider.org"))?.aor).toBe(b.aor);
    expect(senderRegistration([a, b], invite("sip:a@domain.imsprovider.org"))?.aor).toBe(a.aor);
  });
  it("prefers a registered P-Preferred-Identity, and falls back to the first", () => {
    expect(senderRegistration([a, b], invite("sip:anonymous@anonymous.invalid", "P-Preferred-Identity: <tel:+34600002>\r\n"))?.aor).toBe(b.aor);
    expect(senderRegistration([a, b], invite("sip:someone@else.org"))?.aor).toBe(a.aor);
    expect(senderRegistration([], invite("sip:a@domain.imsprovider.org"))).toBeUndefined();
  });
});
