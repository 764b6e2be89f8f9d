import { describe, expect, it } from "vitest";
import { getHeader } from "./header-ops.js";
import { responseToParseError } from "./build.js";
import { parseMessage } from "./parse.js";
import type { SipMessage } from "./types.js";
import { validateMessage } from "./validate.js";

const HEAD = ["Via: SIP/2.0/UDP h;branch=z9hG4bK1", "From: <sip:a@b>;tag=1", "To: <sip:c@d>", "Call-ID: x@y", "CSeq: 1 OPTIONS"];

const message = (start: string, extra: string[] = [], head = HEAD): SipMessage => {
  const r = parseMessage(Buffer.from([start, ...head, ...extra, "Content-Length: 0", "", ""].join("\r\n")));
  if (!r.ok) throw new Error(r.error.reason);
  return r.value;
};
const verdict = (m: SipMessage): string => {
  const v = validateMessage(m);
  return v.ok ? "ok" : `${v.error.status} ${v.error.reason}`;
};

describe("validateMessage", () => {
  it("accepts well-formed requests and responses, with any URI scheme", () => {
    expect(verdict(message("OPTIONS sip:c@d SIP/2.0"))).toBe("ok");
    expect(verdict(message("OPTIONS tel:+1-555-0100 SIP/2.0"))).toBe("ok");
    expect(verdict(message("OPTIONS urn:service:sos SIP/2.0"))).toBe("ok");
    expect(verdict(message("SIP/2.0 200 OK"))).toBe("ok");
    expect(verdict(message("OPTIONS sip:c@d SIP/2.0", ["Content-Length: 0"]))).toBe("ok"); // same value twice
  });

  it("names the fault", () => {
    expect(verdict(message("OPTIONS sip:c@d SIP/2.0", [], HEAD.slice(1)))).toBe("400 missing Via header");
    expect(verdict(message("OPTIONS sip:c@d SIP/2.0", [], HEAD.slice(0, 4)))).toBe("400 missing CSeq header");
    expect(verdict(message("OPTIONS sip:c@d SIP/2.0", ["t: <sip:e@f>"]))).toBe("400 more than one t header");
    expect(verdict(message("OPTIONS sip:c@d SIP/2.0", ["Max-Forwards: 256"]))).toMatch(/^400 malformed Max-Forwards/);
    expect(verdict(message("OPTIONS sip:c@d SIP/2.0", ["Expires: soon"]))).toMatch(/^400 malformed Expires/);
    expect(verdict(message("OPTIONS sip:c@d SIP/2.0", ["Route: <sip:p;lr"]))).toMatch(/^400 malformed Route/);
    expect(verdict(message("INVITE sip:c@d SIP/2.0"))).toBe("400 CSeq method OPTIONS does not match INVITE");
    expect(verdict(message("FOO sip:c@d SIP/2.0"))).toBe("501 CSeq method OPTIONS does not match FOO");
    expect(verdict(message("OPTIONS sip:c@d:70000 SIP/2.0"))).toMatch(/^400 malformed Request-URI/);
    expect(verdict(message("OPTIONS sip:c@d?Route=x SIP/2.0"))).toBe("400 Request-URI must not contain headers");
  });

  it("checks a response only for what acting on it needs: top Via, From, To, Call-ID, CSeq", () => {
    const res = (head: string[], extra: string[] = []) => verdict(message("SIP/2.0 200 OK", extra, head));
    expect(res(HEAD, ["Contact: <sip:a@b", "Record-Route: junk<", "Via: SIP/2.0/UDP h:99999", "Expires: soon"])).toBe("ok");
    expect(res(HEAD, ["To: <sip:c@d>"])).toBe("400 more than one To header");
    expect(res(["Via: SIP/2.0/UDP h:99999", ...HEAD.slice(1)])).toMatch(/^400 malformed Via/);
    expect(res([...HEAD.slice(0, 2), "To: sip:c@d x"], [])).toMatch(/^400 malformed To/);
    expect(res([...HEAD.slice(0, 4), "CSeq: x"])).toMatch(/^400 malformed CSeq/);
    expect(res(HEAD.slice(0, 3).concat(HEAD[4]!))).toBe("400 missing Call-ID header");
    // a request is still checked for all of them
    expect(verdict(message("OPTIONS sip:c@d SIP/2.0", ["Contact: <sip:a@b"]))).toMatch(/^400 malformed Contact/);
    expect(verdict(message("OPTIONS sip:c@d SIP/2.0", ["Via: SIP/2.0/UDP h:99999"]))).toMatch(/^400 malformed Via/);
  });

  it("keeps enough to answer, and the answer copies the request's identifiers", () => {
    const v = validateMessage(message("OPTIONS sip:c@d SIP/2.0", ["Max-Forwards: 999"]));
    if (v.ok) throw new Error("should fail");
    const res = responseToParseError(v.error, "tt");
    expect(res?.status).toBe(400);
    expect(res?.reason).toMatch(/^Bad Request \(malformed Max-Forwards/);
    expect(getHeader(res!, "to")).toBe("<sip:c@d>;tag=tt");
    expect(getHeader(res!, "call-id")).toBe("x@y");
    const resp = validateMessage(message("SIP/2.0 200 OK", ["CSeq: 2 OPTIONS"]));
    expect(!resp.ok && responseToParseError(resp.error)).toBeUndefined();
  });
});
