import { type SipRequest, digestParams, parseAuth, parseMessage } from "@ims/sip";
import { describe, expect, it } from "vitest";
import { identityOf, impiOf, isDeregistration, readRegister } from "./register-request.js";

function register(extra: string[], contact = "Contact: <sip:a@127.0.0.111:5566>;expires=600"): SipRequest {
  const text = [
    "REGISTER sip:domain.imsprovider.org SIP/2.0",
    "Via: SIP/2.0/UDP 127.0.0.111:5566;branch=z9hG4bK-r1",
    "Max-Forwards: 70",
    "From: <sip:a@domain.imsprovider.org>;tag=f1",
    "To: <sip:a@DOMAIN.imsprovider.org;user=phone>",
    "Call-ID: reg-1",
    "CSeq: 7 REGISTER",
    ...(contact === "" ? [] : [contact]),
    ...extra,
    "Content-Length: 0",
    "",
    "",
  ].join("\r\n");
  const r = parseMessage(Buffer.from(text));
  if (!r.ok || r.value.kind !== "request") throw new Error("fixture does not parse");
  return r.value;
}

describe("readRegister", () => {
  it("takes the IMPU from To without parameters and the IMPI from the Authorization username", () => {
    const r = readRegister(
      register(['Authorization: Digest username="a@domain.imsprovider.org", realm="domain.imsprovider.org", nonce="", uri="sip:domain.imsprovider.org", response=""']),
      "domain.imsprovider.org",
    );
    expect(r.ok && r.value.impu).toBe("sip:a@DOMAIN.imsprovider.org");
    expect(r.ok && r.value.impi).toBe("a@domain.imsprovider.org");
    expect(r.ok && r.value.cseq).toBe(7);
    expect(r.ok && r.value.callId).toBe("reg-1");
    expect(r.ok && r.value.credentials).toEqual({
      username: "a@domain.imsprovider.org",
      realm: "domain.imsprovider.org",
      nonce: "",
      uri: "sip:domain.imsprovider.org",
      response: "",
    });
    expect(r.ok && r.value.credentials === r.value.credentials).toBe(true);
    const bare = readRegister(register(['Authorization: Digest username="a", realm="home.net", nonce="", uri="sip:x", response=""']), "d");
    expect(bare.ok && bare.value.impi).toBe("a@home.net");
    const none = readRegister(register([]), "domain.imsprovider.org");
    expect(none.ok && none.value.credentials).toBeUndefined();
    expect(none.ok && none.value.impi).toBe("a@DOMAIN.imsprovider.org");
  });

  it("derives the IMPI from the IMPU without Authorization (MicroSIP) and completes a bare user name", () => {
    expect(impiOf(undefined, "sip:a@domain.imsprovider.org", "x")).toBe("a@domain.imsprovider.org");
    expect(impiOf({ username: "a", realm: "domain.imsprovider.org" }, "sip:a@x", "y")).toBe("a@domain.imsprovider.org");
    expect(impiOf({ username: "a" }, "sip:a@x", "home.net")).toBe("a@home.net");
    expect(impiOf(undefined, "tel:+34600", "home.net")).toBe("+34600@home.net");
  });

  it("sees a de-registration in Expires 0, every contact expires=0 or Contact *", () => {
    const read = (extra: string[], contact?: string) => {
      const r = readRegister(register(extra, contact), "d");
      if (!r.ok) throw new Error(r.error.reason);
      return isDeregistration(r.value);
    };
    expect(read([])).toBe(false);
    expect(read(["Expires: 0"], "Contact: <sip:a@h>")).toBe(true);
    expect(read([], "Contact: <sip:a@h>;expires=0")).toBe(true);
    expect(read(["Expires: 0"], "Contact: <sip:a@h>;expires=60")).toBe(false);
    expect(read(["Expires: 0"], "Contact: *")).toBe(true);
    expect(read([], "")).toBe(false);
  });

  it("rejects Contact * without Expires 0, a bad Expires and a broken Authorization with 400", () => {
    const star = readRegister(register([], "Contact: *"), "d");
    expect(!star.ok && star.error).toEqual({ status: 400, reason: "Invalid Contact *" });
    const exp = readRegister(register(["Expires: soon"]), "d");
    expect(!exp.ok && exp.error.status).toBe(400);
    const auth = readRegister(register(['Authorization: Digest username="a']), "d");
    expect(!auth.ok && auth.error.reason).toBe("Malformed Authorization Header");
  });

  it("refuses a To that is not a sip, sips or tel URI (RFC 4475 unksm2)", () => {
    const req = register([]);
    req.headers = req.headers.map((h) => (h.name === "To" ? { name: "To", value: "isbn:2983792873" } : h));
    const r = readRegister(req, "d");
    expect(!r.ok && r.error.status).toBe(400);
  });

  it("reads the scheme and Supported tokens case-insensitively, the credentials as digestParams gives them, expires only when sent", () => {
    const auth = 'Authorization: DIGEST username="a@d", realm="d", nonce="bm9uY2U=", uri="sip:d", response="r", qop=auth, nc=00000001, cnonce="c", __proto__="x"';
    const r = readRegister(register([auth, "Supported: 100rel, PATH", "Path: <sip:p1;lr>", "Path: <sip:p2;lr>"]), "d");
    if (!r.ok) throw new Error(r.error.reason);
    const parsed = parseAuth(auth.slice("Authorization: ".length));
    if (!parsed.ok) throw new Error("fixture");
    expect(r.value.credentials).toStrictEqual(digestParams(parsed.value));
    expect(Object.keys(r.value.credentials ?? {})).toEqual(Object.keys(digestParams(parsed.value)));
    expect(Object.getPrototypeOf(r.value.credentials)).toBe(Object.prototype);
    expect(r.value.impi).toBe("a@d");
    expect(r.value.supportsPath).toBe(true);
    expect(r.value.path).toEqual(["<sip:p1;lr>", "<sip:p2;lr>"]);
    expect("expires" in r.value).toBe(false);
    const withExpires = readRegister(register(["Expires: 0", "Supported: 100rel"]), "d");
    expect(withExpires.ok && withExpires.value.expires).toBe(0);
    expect(withExpires.ok && withExpires.value.supportsPath).toBe(false);
    const other = readRegister(register(['Authorization: Basic realm="x"']), "d");
    expect(other.ok && other.value.credentials).toBeUndefined();
  });

  it("identityOf keeps tel URIs", () => {
    const req = register([]);
    req.headers = req.headers.map((h) => (h.name === "To" ? { name: "To", value: "<tel:+34600000001>" } : h));
    expect(identityOf(req)).toBe("tel:+34600000001");
  });
});
