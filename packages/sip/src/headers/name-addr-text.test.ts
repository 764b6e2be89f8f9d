import { describe, expect, it } from "vitest";
import { serializeUri } from "../uri/serialize.js";
import { nameAddrParamsText, nameAddrUriText, parseContact, parseNameAddr, type NameAddr } from "./name-addr.js";

/** What the text accessors must equal: the URI and the params Map (less `without`) written back. */
function viaObjects(na: NameAddr, without?: string): { uri: string; params: string } {
  let params = "";
  for (const [k, v] of na.params) if (k !== without) params += v === null ? `;${k}` : `;${k}=${v}`;
  return { uri: serializeUri(na.uri), params };
}

const VALUES = [
  "<sip:alice@10.0.0.1:5060;transport=udp>;expires=600;+sip.instance=\"<urn:uuid:1>\"",
  "<sip:alice@10.0.0.1:5060>;+sip.instance=\"<urn:uuid:1>\";expires=600;+g.3gpp.icsi-ref=\"urn%3Aurn-7\"",
  "<sip:alice@10.0.0.1>;expires=600",
  "<sip:alice@10.0.0.1>",
  "<sip:alice@10.0.0.1>;reg-id=1;expires=0;q=0.5",
  "\"Alice\" <sips:alice:secret@[2001:db8::1]:5061;lr;maddr=x>;expires=3",
  "sip:bob@host;expires=600",
  "sip:bob@host",
  "<SIP:bob@HOST;Transport=UDP>;EXPIRES=5;Foo=Bar",
  "<sip:bob@host:05060>;a=1",
  "<sip:bob@host;%6Cr;lr>;a",
  "<sip:bob@host;lr;lr=1>;a;a=2",
  "<sip:bob@host>  ;  expires = 60 ; q=1",
  "<sip:bob@host>;expires=60 ;q=1",
  "<sip:bob@host?Subject=hi&Priority=urgent>;x=\"a b\"",
  "<tel:+1-555-0100;phone-context=example.com>;expires=9",
  "<TEL:+15550100;Ext=1>",
  "<urn:service:sos>;expires=1",
  "<mailto:Bob@Example.COM>",
  "<sip:host:0>;flag",
];

describe("nameAddrUriText / nameAddrParamsText", () => {
  for (const v of VALUES) {
    it(`match the URI and params written back: ${v}`, () => {
      for (const without of [undefined, "expires", "q", "a", "flag"]) {
        const lazy = parseNameAddr(v);
        const built = parseNameAddr(v);
        expect(lazy.ok && built.ok).toBe(true);
        if (!lazy.ok || !built.ok) return;
        const want = viaObjects(built.value, without);
        expect({ uri: nameAddrUriText(lazy.value), params: nameAddrParamsText(lazy.value, without) }).toEqual(want);
        // once the objects are built, they are what is written
        expect({ uri: nameAddrUriText(built.value), params: nameAddrParamsText(built.value, without) }).toEqual(want);
      }
    });
  }

  it("take the text as sent when it is already in written-back form", () => {
    const r = parseNameAddr("<sip:a@h:5060;transport=tcp>;+sip.instance=\"<urn:x>\";expires=600;reg-id=1");
    if (!r.ok) throw new Error("parse");
    expect(nameAddrUriText(r.value)).toBe("sip:a@h:5060;transport=tcp");
    expect(nameAddrParamsText(r.value, "expires")).toBe(";+sip.instance=\"<urn:x>\";reg-id=1");
    expect(nameAddrParamsText(r.value)).toBe(";+sip.instance=\"<urn:x>\";expires=600;reg-id=1");
  });

  it("normalise what serializing would change", () => {
    const r = parseNameAddr("<SIP:a@h:05060;Transport=TCP;lr;LR>  ; Expires=5; X=1;x=2");
    if (!r.ok) throw new Error("parse");
    expect(nameAddrUriText(r.value)).toBe("sip:a@h:5060;transport=TCP;lr");
    expect(nameAddrParamsText(r.value, "expires")).toBe(";x=2");
  });

  it("use a URI or params set on the name-addr, and work on a spread copy", () => {
    const r = parseNameAddr("<sip:a@h>;expires=5;b=1");
    if (!r.ok) throw new Error("parse");
    const copy = { ...r.value };
    expect(nameAddrUriText(copy)).toBe("sip:a@h");
    expect(nameAddrParamsText(copy, "expires")).toBe(";b=1");
    r.value.params = new Map([["c", "3"]]);
    r.value.uri = { kind: "tel", scheme: "tel", number: "+1", params: new Map() };
    expect(nameAddrUriText(r.value)).toBe("tel:+1");
    expect(nameAddrParamsText(r.value, "expires")).toBe(";c=3");
  });

  it("read Contacts of a list", () => {
    const r = parseContact("<sip:a@h>;expires=5, <sip:b@h>;q=0.1;expires=7");
    if (!r.ok || r.value === "*") throw new Error("parse");
    expect(r.value.map((c) => [nameAddrUriText(c), nameAddrParamsText(c, "expires")])).toEqual([
      ["sip:a@h", ""],
      ["sip:b@h", ";q=0.1"],
    ]);
  });
});
