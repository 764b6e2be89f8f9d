import { parseMessage } from "@ims/sip";
import { describe, expect, it } from "vitest";
import { PADDING_LINES, bytesFreedByDropping } from "../../../../test/support/retained.js";
import { DEFAULT_LIMITS } from "../config.js";
import { contactChanges } from "./contact-changes.js";
import { readRegister } from "./register-request.js";

const D = "domain.imsprovider.org";

describe("contactChanges", () => {
  it("makes bindings of strings of their own: a stored binding does not keep the REGISTER's text alive", async () => {
    const bindings = () => {
      const text = [
        `REGISTER sip:${D} SIP/2.0`,
        "Via: SIP/2.0/UDP 127.5.3.131:5566;branch=z9hG4bK-u1",
        `Path: <sip:term@pcscf1.${D}:5060;lr>`,
        `From: <sip:alice@${D}>;tag=f`,
        `To: <sip:alice@${D}>`,
        "Call-ID: a84b4c76e66710-call-id-of-some-length",
        "CSeq: 2 REGISTER",
        'Contact: <sip:alice@127.5.3.131:5566;transport=udp>;expires=600;+sip.instance="<urn:uuid:00000000-0000-1000-8000-000a95a0e128>"',
        ...PADDING_LINES,
        "Content-Length: 0",
        "",
        "",
      ].join("\r\n");
      const req = parseMessage(Buffer.from(text));
      if (!req.ok || req.value.kind !== "request") throw new Error("fixture");
      const r = readRegister(req.value, D);
      if (!r.ok) throw new Error("fixture");
      const c = contactChanges(r.value, [], DEFAULT_LIMITS, 1_000);
      if (!c.ok) throw new Error("fixture");
      return c.value.map((x) => x.binding);
    };
    expect(bindings().map((b) => [b.contact, b.params, b.path, b.callId])).toEqual([
      [
        "sip:alice@127.5.3.131:5566;transport=udp",
        ';+sip.instance="<urn:uuid:00000000-0000-1000-8000-000a95a0e128>"',
        [`<sip:term@pcscf1.${D}:5060;lr>`],
        "a84b4c76e66710-call-id-of-some-length",
      ],
    ]);
    // Measured on other results, whose strings nothing has read (reading may flatten a string in
    // place, which drops the view): the 180 KB texts went with the requests. Four results: 722 KB of
    // text if they kept it, against less than one text's worth allowed.
    expect(await bytesFreedByDropping(() => [bindings(), bindings(), bindings(), bindings()])).toBeLessThan(180_000);
  });
});
