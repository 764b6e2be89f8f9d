import { describe, expect, it } from "vitest";
import { uriEquals } from "./compare.js";
import { unescapeUri } from "./escape.js";
import { builtUri, checkUri, hasUriHeaders, parseUri } from "./parse.js";
import { serializeUri } from "./serialize.js";
import type { Uri } from "./types.js";

const p = (s: string): Uri => {
  const r = parseUri(s);
  if (!r.ok) throw new Error(`${s}: ${r.error.reason}`);
  return r.value;
};

describe("parseUri", () => {
  it("parses SIP URIs with user, password, port, params and headers", () => {
    const u = p("sips:alice:secret@Atlanta.com:5061;transport=TCP;lr;maddr=239.255.255.1?subject=project%20x&priority=urgent");
    expect(u).toEqual({
      kind: "sip",
      scheme: "sips",
      user: "alice",
      password: "secret",
      host: "Atlanta.com",
      port: 5061,
      params: new Map([["transport", "TCP"], ["lr", null], ["maddr", "239.255.255.1"]]),
      headers: [["subject", "project%20x"], ["priority", "urgent"]],
    });
  });

  it("handles IPv6 references, escaped users and the telephone-subscriber user part", () => {
    const v6 = p("sip:[2001:db8::10]:5070;transport=udp");
    expect(v6.kind === "sip" && [v6.host, v6.port]).toEqual(["[2001:db8::10]", 5070]);
    const v6b = p("sip:bob@[::1]");
    expect(v6b.kind === "sip" && v6b.host).toBe("[::1]");
    const semi = p("sip:user;par=u%40example.net@example.com");
    expect(semi.kind === "sip" && unescapeUri(semi.user!)).toBe("user;par=u@example.net");
    const odd = p("sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*:&it+has=1,weird!*pas$wo~d_too.(doesn't-it)@example.com");
    expect(odd.kind === "sip" && [odd.user, odd.password, odd.host]).toEqual([
      "1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*",
      "&it+has=1,weird!*pas$wo~d_too.(doesn't-it)",
      "example.com",
    ]);
    expect(unescapeUri("value%2541")).toBe("value%41");
  });

  it("parses tel and keeps other schemes opaque", () => {
    expect(p("tel:+1-201-555-0123;phone-context=example.com")).toEqual({
      kind: "tel",
      scheme: "tel",
      number: "+1-201-555-0123",
      params: new Map([["phone-context", "example.com"]]),
    });
    expect(p("nobodyKnowsThisScheme:totallyopaquecontent")).toEqual({
      kind: "absolute",
      scheme: "nobodyKnowsThisScheme",
      opaque: "totallyopaquecontent",
    });
  });

  it("rejects malformed URIs", () => {
    for (const bad of [
      "sip:user@example.com; lr",
      "<sip:a@b>",
      "sip:a@b:99999",
      "sip:a@[::1",
      "sip:@b",
      "sip:a@b;;x",
      "sip:a@b%zz",
      "sip:a@-bad-.com",
      "noscheme",
      "tel:abc-xyz",
      "sip:a@b?noequals",
    ]) {
      expect(parseUri(bad).ok, bad).toBe(false);
    }
  });

  it("checks a URI inside a longer text as parseUri would, and builds it from there", () => {
    for (const t of [
      "sip:alice@atlanta.com",
      "SIPS:alice:pw@[2001:db8::1]:5061;transport=tcp;lr?h=v&x=y",
      "sip:a@b;",
      "tel:+358-555-1234567;postd=pp22",
      "urn:service:sos",
      "sip:a@b;;x",
      "sip:a@[::1",
      "sip:a@b?",
      "sip:a@b?x=1&",
      "sip:a@b;=x",
      "tel:",
      "urn:",
      "1sip:a@b",
    ]) {
      const r = parseUri(t);
      expect(checkUri(`<${t}>;x`, 1, t.length + 1), t).toBe(r.ok ? undefined : r.error.reason);
      if (r.ok) expect(builtUri(`<${t}>`, 1, t.length + 1), t).toEqual(r.value);
    }
  });

  it("tells whether a checked SIP URI has headers without building it", () => {
    for (const [t, has] of [
      ["sip:a@b?x=1", true],
      ["SIPS:b;lr?x=1&y=2", true],
      ["sip:a?b@c", false],
      ["sip:a?b@c?d=e", true],
      ["sip:a@b;x=%3F", false],
      ["urn:a?b=c", false],
      ["sip:a@b", false],
    ] as const) {
      expect(checkUri(t, 0, t.length), t).toBeUndefined();
      const u = p(t);
      expect(u.kind === "sip" && u.headers.length > 0, t).toBe(has);
      expect(hasUriHeaders(t), t).toBe(has);
    }
  });

  it("serializes back to the same text", () => {
    for (const s of [
      "sip:alice@atlanta.com",
      "sips:alice:pw@[2001:db8::1]:5061;transport=tcp;lr?h=v&x=y",
      "sip:%61lice@atlanta.com;maddr=1.2.3.4",
      "tel:+358-555-1234567;postd=pp22",
      "urn:service:sos",
    ]) {
      expect(serializeUri(p(s))).toBe(s);
    }
  });
});

describe("uriEquals (RFC 3261 §19.1.4 examples)", () => {
  const eq = (a: string, b: string): boolean => uriEquals(p(a), p(b));
  it("finds the equivalent sets equal", () => {
    expect(eq("sip:%61lice@atlanta.com;transport=TCP", "sip:alice@AtLanTa.CoM;Transport=tcp")).toBe(true);
    expect(eq("sip:carol@chicago.com", "sip:carol@chicago.com;newparam=5")).toBe(true);
    expect(eq("sip:carol@chicago.com;security=on", "sip:carol@chicago.com;newparam=5")).toBe(true);
    expect(
      eq(
        "sip:biloxi.com;transport=tcp;method=REGISTER?to=sip:bob%40biloxi.com",
        "sip:biloxi.com;method=REGISTER;transport=tcp?to=sip:bob%40biloxi.com",
      ),
    ).toBe(true);
    expect(eq("sip:alice@atlanta.com?subject=project%20x&priority=urgent", "sip:alice@atlanta.com?priority=urgent&subject=project%20x")).toBe(true);
    expect(eq("tel:+1-201-555-0123", "tel:+12015550123")).toBe(true);
  });
  it("finds the non-equivalent sets different", () => {
    expect(eq("SIP:ALICE@AtLanTa.CoM;Transport=udp", "sip:alice@AtLanTa.CoM;Transport=UDP")).toBe(false);
    expect(eq("sip:bob@biloxi.com", "sip:bob@biloxi.com:5060")).toBe(false);
    expect(eq("sip:bob@biloxi.com", "sip:bob@biloxi.com;transport=udp")).toBe(false);
    expect(eq("sip:bob@biloxi.com", "sip:bob@biloxi.com:6000;transport=tcp")).toBe(false);
    expect(eq("sip:carol@chicago.com", "sip:carol@chicago.com?Subject=next%20meeting")).toBe(false);
    expect(eq("sip:bob@phone21.boxesbybob.com", "sip:bob@192.0.2.4")).toBe(false);
    expect(eq("sip:a@b", "sips:a@b")).toBe(false);
    expect(eq("sip:a@b;maddr=1.2.3.4", "sip:a@b")).toBe(false);
    expect(eq("sip:%00@b", "sip:%00%00@b")).toBe(false);
    expect(eq("sip:a@b", "tel:+1")).toBe(false);
  });
});

describe("isValidHost", () => {
  it("accepts names, IPv4, IPv6 references; rejects the rest", async () => {
    const { isValidHost } = await import("./parse.js");
    for (const h of ["a", "example.com", "example.com.", "3com.net", "192.0.2.1", "[2001:db8::1]", "[::ffff:192.0.2.1]", "a-b.c"]) {
      expect(isValidHost(h), h).toBe(true);
    }
    for (const h of ["", ".", "a..b", "-a.com", "a-.com", ".a", "a_b", "[1:2", "a b", "é.com"]) {
      expect(isValidHost(h), h).toBe(false);
    }
  });
});
