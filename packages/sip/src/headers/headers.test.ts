import { describe, expect, it } from "vitest";
import { parseMessage } from "../message/parse.js";
import { serializeMessage } from "../message/serialize.js";
import type { SipMessage } from "../message/types.js";
import { authHeader, challengeWithout, digestParams, parseAuth, serializeAuth } from "./auth.js";
import { getAuthHeaders, getContacts, getFirstVia, getNameAddrs, getPChargingVector, getRequestUri, getTokens, getVias } from "./accessors.js";
import { parseParams, parseTokenList, splitList } from "./lex.js";
import { removeFirstValue } from "./list-ops.js";
import { parseContact, parseNameAddr, serializeNameAddr } from "./name-addr.js";
import { headerKey, headerSpelling } from "./names.js";
import {
  parsePAccessNetworkInfo,
  parsePChargingVector,
  parsePVisitedNetworkId,
  serializePAccessNetworkInfo,
  serializePChargingVector,
  serializePVisitedNetworkId,
} from "./p-headers.js";
import { parseCallId, parseContentType, parseCSeq, parseDeltaSeconds, parseMaxForwards } from "./scalars.js";
import { parseVia, serializeVia, viaSentBy } from "./via.js";

const okv = <T>(r: { ok: true; value: T } | { ok: false; error: { reason: string } }): T => {
  if (!r.ok) throw new Error(r.error.reason);
  return r.value;
};

describe("names", () => {
  it("expands compact forms and normalises case", () => {
    expect(["v", "V", "i", "m", "l", "k", "CALL-ID", "x"].map(headerKey)).toEqual([
      "via", "via", "call-id", "contact", "content-length", "supported", "call-id", "session-expires",
    ]);
    expect(["call-id", "www-authenticate", "p-charging-vector", "record-route", "t"].map(headerSpelling)).toEqual([
      "Call-ID", "WWW-Authenticate", "P-Charging-Vector", "Record-Route", "To",
    ]);
  });
});

describe("lexer", () => {
  it("splits lists around quotes and angle brackets", () => {
    expect(splitList('"a, b" <sip:x@y;p=1,2>, <sip:z>;q=0.5 ,  w')).toEqual(['"a, b" <sip:x@y;p=1,2>', "<sip:z>;q=0.5", "w"]);
    expect(splitList('"esc \\", still" <sip:a>, b')).toEqual(['"esc \\", still" <sip:a>', "b"]);
    expect(splitList("a,,b")).toEqual(["a", "", "b"]);
  });
  it("parses parameters with LWS, quoted values and IPv6 hosts; rejects empty ones", () => {
    const p = okv(parseParams(' ; a = 1 ;b; c="x;y" ; received=[2001:db8::1]', 0));
    expect([...p.params]).toEqual([["a", "1"], ["b", null], ["c", '"x;y"'], ["received", "[2001:db8::1]"]]);
    expect(parseParams(";;", 0).ok).toBe(false);
    expect(parseParams(';a="open', 0).ok).toBe(false);
    expect(parseParams(";a=", 0).ok).toBe(false);
  });
  it("parses token lists", () => {
    expect(okv(parseTokenList("path, sec-agree ,gruu"))).toEqual(["path", "sec-agree", "gruu"]);
    expect(parseTokenList("path, , x").ok).toBe(false);
    expect(parseTokenList("a b").ok).toBe(false);
  });
});

describe("Via", () => {
  it("parses sent-protocol with LWS, IPv6 sent-by, branch/received/rport", () => {
    const [v] = okv(parseVia("SIP / 2.0 / tcp [2001:db8::9]:5070 ;branch=z9hG4bK1;received=10.0.0.1;rport=1234"));
    expect(v).toMatchObject({ protocol: "SIP/2.0", transport: "TCP", host: "[2001:db8::9]", port: 5070, branch: "z9hG4bK1", received: "10.0.0.1", rport: 1234 });
    const [w] = okv(parseVia("SIP/2.0/UDP host.example.com;rport;branch=z9hG4bK2"));
    expect(w!.rport).toBeNull();
    expect(viaSentBy(w!)).toEqual({ host: "host.example.com", port: 5060 });
    expect(viaSentBy(okv(parseVia("SIP/2.0/TLS h"))[0]!).port).toBe(5061);
  });
  it("serializes with edited params", () => {
    const [v] = okv(parseVia("SIP/2.0/UDP 1.2.3.4;rport;branch=z9hG4bKa"));
    v!.params.set("rport", "5062");
    v!.params.set("received", "5.6.7.8");
    expect(serializeVia(v!)).toBe("SIP/2.0/UDP 1.2.3.4;rport=5062;branch=z9hG4bKa;received=5.6.7.8");
  });
  it("keeps its params in copies, read or not, edited or not", () => {
    const text = "SIP/2.0/UDP 1.2.3.4:5070 ; Branch=z9hG4bKa;rport;x=\"q;r\"";
    const [v] = okv(parseVia(text));
    expect(serializeVia({ ...v!, host: "h" })).toBe('SIP/2.0/UDP h:5070;branch=z9hG4bKa;rport;x="q;r"');
    v!.params.set("rport", "1");
    expect(serializeVia({ ...v!, transport: "TCP" })).toBe('SIP/2.0/TCP 1.2.3.4:5070;branch=z9hG4bKa;rport=1;x="q;r"');
    const [w] = okv(parseVia(text));
    w!.params = new Map([["branch", "z9hG4bKb"]]);
    expect(serializeVia({ ...w!, port: 1 })).toBe("SIP/2.0/UDP 1.2.3.4:1;branch=z9hG4bKb");
    // a repeated parameter: the last value counts, as in the params Map
    expect(okv(parseVia("SIP/2.0/UDP h;branch=z9hG4bK1;rport=5;branch=z9hG4bK2;rport"))[0]).toMatchObject({ branch: "z9hG4bK2", rport: null });
  });
  it("rejects malformed values", () => {
    for (const bad of ["SIP/2.0/UDP 192.0.2.15;;,;,,", "SIP/2.0 host", "SIP/2.0/UDP", "SIP/2.0/UDP host:99999", "SIP/2.0/UDP h;branch", "SIP/2.0/UDP h junk", "SIP/2.0/UDP a..b"]) {
      expect(parseVia(bad).ok, bad).toBe(false);
    }
  });
});

describe("name-addr and Contact", () => {
  it("parses display names, addr-spec and name-addr forms", () => {
    expect(okv(parseNameAddr('"Alice \\"A\\"" <sip:alice@atlanta.com>;tag=88sja8x'))).toMatchObject({ display: 'Alice "A"', tag: "88sja8x" });
    const bare = okv(parseNameAddr("sip:bob@biloxi.com;tag=a6c85cf"));
    expect(bare.uri).toMatchObject({ kind: "sip", user: "bob", host: "biloxi.com" });
    expect(bare.tag).toBe("a6c85cf");
    expect(okv(parseNameAddr("Bob Smith <tel:+1-201-555-0123>")).display).toBe("Bob Smith");
    expect(okv(parseNameAddr("Алиса Б <sip:a@b>")).display).toBe("Алиса Б");
    expect(serializeNameAddr(okv(parseNameAddr('Bob <sip:b@x;lr>;p="q"')))).toBe('"Bob" <sip:b@x;lr>;p="q"');
    const na = okv(parseNameAddr("<sip:b@x> ; Tag=t1;q;tag=t2"));
    expect(na.tag).toBe("t2"); // a repeated parameter: the last value counts, as in the params Map
    expect(serializeNameAddr({ ...na, display: "B" })).toBe('"B" <sip:b@x>;tag=t2;q');
    na.params.set("x", "1");
    expect(serializeNameAddr({ ...na })).toBe("<sip:b@x>;tag=t2;q;x=1");
    expect(parseNameAddr("<sip:b@x>;tag").ok).toBe(false);
  });
  it("builds the URI when first read; a copy or an assigned URI serializes as a read one", () => {
    const na = okv(parseNameAddr("<SIP:b@X:5070;LR;transport=tcp>;tag=1"));
    expect(serializeNameAddr({ ...na })).toBe("<sip:b@X:5070;lr;transport=tcp>;tag=1");
    expect(na.uri).toBe(na.uri);
    expect(na.uri).toMatchObject({ kind: "sip", scheme: "sip", user: "b", host: "X", port: 5070 });
    expect(na.uri.kind === "sip" && [...na.uri.params]).toEqual([["lr", null], ["transport", "tcp"]]);
    if (na.uri.kind === "sip") na.uri.params.delete("transport");
    expect(serializeNameAddr({ ...na })).toBe("<sip:b@X:5070;lr>;tag=1");
    na.uri = { kind: "tel", scheme: "tel", number: "+1", params: new Map() };
    expect(serializeNameAddr(na)).toBe("<tel:+1>;tag=1");
    expect(okv(parseNameAddr("sip:a@b;tag=2")).uri).toMatchObject({ kind: "sip", user: "a", host: "b" });
    const bad = parseNameAddr("<sip:a@b:99999>");
    expect(!bad.ok && bad.error.reason).toBe('bad URI "sip:a@b:99999": malformed port');
  });
  it("rejects the RFC 4475 faults", () => {
    expect(parseNameAddr('"Mr. J. User <sip:j.user@example.com>').ok).toBe(false);
    expect(parseNameAddr("Bell, Alexander <sip:a.g.bell@example.com>").ok).toBe(false);
    expect(parseNameAddr("< sip:t.watson@example.org >").ok).toBe(false);
    expect(parseNameAddr("sip:user@example.com?Route=%3Csip:sip.example.com%3E").ok).toBe(false);
    expect(parseNameAddr('"Joe" <sip:joe@example.org>;;;;').ok).toBe(false);
    expect(parseNameAddr("<sip:a@b>;tag").ok).toBe(false);
  });
  it("parses Contact lists, '*', expires and q", () => {
    expect(okv(parseContact(" * "))).toBe("*");
    const list = okv(parseContact('<sip:a@1.2.3.4>;expires=3600;q=0.7, "B" <sip:b@[::1]:5070>;+sip.instance="<urn:uuid:1>"'));
    if (list === "*") throw new Error("star");
    expect(list.map((c) => [c.expires, c.q])).toEqual([[3600, 0.7], [undefined, undefined]]);
    expect(list[1]!.params.get("+sip.instance")).toBe('"<urn:uuid:1>"');
    const again = okv(parseContact("<sip:a@b>;EXPIRES=5;Q=0.5;expires=7"));
    expect(again !== "*" && [again[0]!.expires, again[0]!.q, [...again[0]!.params]]).toEqual([7, 0.5, [["expires", "7"], ["q", "0.5"]]]);
    expect(parseContact("<sip:a@b>;q=2").ok).toBe(false);
    expect(parseContact("<sip:a@b>;expires=soon").ok).toBe(false);
  });
});

describe("scalars", () => {
  it("CSeq, Max-Forwards, delta-seconds, Call-ID, Content-Type", () => {
    expect(okv(parseCSeq("0009 INVITE"))).toEqual({ seq: 9, method: "INVITE" });
    expect(parseCSeq("36893488147419103232 INVITE").ok).toBe(false);
    expect(parseCSeq("4294967296 INVITE").ok).toBe(false);
    expect(okv(parseCSeq("4294967295 INVITE")).seq).toBe(4294967295);
    expect(parseCSeq("1INVITE").ok).toBe(false);
    expect(okv(parseMaxForwards("0068"))).toBe(68);
    expect(parseMaxForwards("300").ok).toBe(false);
    expect(okv(parseDeltaSeconds("1" + "0".repeat(100)))).toBe(4294967295);
    expect(parseDeltaSeconds("-1").ok).toBe(false);
    expect(parseCallId("a b").ok).toBe(false);
    expect(parseCallId("a@b@c").ok).toBe(false);
    // A NUL or other control character in a Call-ID was passed on to the next hop and into storage.
    expect(parseCallId("\u0000abc@host").ok).toBe(false);
    expect(parseCallId("abc\u0001@host").ok).toBe(false);
    expect(parseCallId("abc\u007f").ok).toBe(false);
    expect(okv(parseCallId("intmeth.word%ZK-!.*_+'@word`~)(><:\\/\"][?}{"))).toContain("@");
    const ct = okv(parseContentType('Multipart/Mixed; boundary="xyz"'));
    expect([ct.type, ct.subtype, ct.params.get("boundary")]).toEqual(["multipart", "mixed", '"xyz"']);
  });
});

describe("authentication headers", () => {
  const challenge =
    'Digest realm="domain.imsprovider.org", nonce="CjPk9mRqNuT78oAKr2r+6ED+iEXlsAAA0lX2T8p0rTE=", algorithm=AKAv1-MD5, qop="auth,auth-int", opaque="5ccc069c403ebaf9f0171e9517f40e41", ck="00112233445566778899aabbccddeeff", ik="ffeeddccbbaa99887766554433221100"';
  it("parses an AKA challenge with ck/ik, and serializes it back", () => {
    const h = okv(parseAuth(challenge));
    expect(h.scheme).toBe("Digest");
    const d = digestParams(h);
    expect(d.algorithm).toBe("AKAv1-MD5");
    expect(d.qop).toBe("auth,auth-int");
    expect(d.ck).toBe("00112233445566778899aabbccddeeff");
    expect(serializeAuth(h, "challenge")).toBe(challenge);
  });
  it("lets the P-CSCF strip ck and ik", () => {
    const h = okv(parseAuth(challenge));
    h.params.delete("ck");
    h.params.delete("ik");
    const out = serializeAuth(h, "challenge");
    expect(out).not.toMatch(/ck=|ik=/);
    expect(okv(parseAuth(out)).params.get("nonce")).toBe("CjPk9mRqNuT78oAKr2r+6ED+iEXlsAAA0lX2T8p0rTE=");
    expect(challengeWithout(challenge, ["CK", "ik"])).toBe(out);
    expect(challengeWithout('Digest realm="x', ["ck"])).toBeUndefined();
  });
  it("parses credentials with auts and writes qop/nc unquoted", () => {
    const cred =
      'Digest username="a@domain.imsprovider.org",realm="domain.imsprovider.org",nonce="abc",uri="sip:domain.imsprovider.org",response="",auts="CKsQmMZL1AAAAAAAAAAA",algorithm=AKAv1-MD5, qop=auth, nc=00000001, cnonce="c1", integrity-protected="yes"';
    const h = okv(parseAuth(cred));
    const d = digestParams(h);
    expect([d.username, d.response, d.auts, d.nc, d.qop, d["integrity-protected"]]).toEqual([
      "a@domain.imsprovider.org", "", "CKsQmMZL1AAAAAAAAAAA", "00000001", "auth", "yes",
    ]);
    const out = serializeAuth(h, "credentials");
    expect(out).toContain(", qop=auth, nc=00000001,");
    expect(out).toContain('response=""');
    expect(okv(parseAuth(out))).toEqual(h);
    const pairs = okv(parseAuth('Digest realm="a\\"b\\\\", nonce="n"'));
    expect([pairs.params.get("realm"), pairs.params.get("nonce")]).toEqual(['a"b\\', "n"]);
    expect(parseAuth('Digest realm="a\\').ok).toBe(false);
  });
  it("builds a challenge from a record and parses unknown schemes", () => {
    const h = authHeader("Digest", { realm: "r", nonce: "n", algorithm: "MD5", qop: "auth", stale: undefined });
    expect(serializeAuth(h, "challenge")).toBe('Digest realm="r", nonce="n", algorithm=MD5, qop="auth"');
    expect(okv(parseAuth("NoOneKnowsThisScheme opaque-data=here")).scheme).toBe("NoOneKnowsThisScheme");
    for (const bad of ['Digest realm="x', "Digest realm", "Digest realm=x,", "Digest realm=a, realm=b", ""]) {
      expect(parseAuth(bad).ok, bad).toBe(false);
    }
  });
  it("lower-cases parameter names, known or not, and finds duplicates whatever their case", () => {
    const h = okv(parseAuth('Digest USERNAME="u", Realm="r", NoNcE="n", X-Vendor="v", nC=1, Integrity-Protected="no", realmx="q"'));
    expect([...h.params.keys()]).toEqual(["username", "realm", "nonce", "x-vendor", "nc", "integrity-protected", "realmx"]);
    expect(digestParams(h)).toMatchObject({ username: "u", realm: "r", nonce: "n", nc: "1", "integrity-protected": "no" });
    expect(parseAuth('Digest realm="a", REALM="b"').ok).toBe(false);
    expect(parseAuth('Digest x-a="a", X-A="b"').ok).toBe(false);
  });
});

describe("IMS P-headers", () => {
  it("P-Charging-Vector", () => {
    const v = okv(parsePChargingVector('icid-value="AyretyU0dm+6O2IrT5tAFrbHLso=023551024"; icid-generated-at=192.0.6.8; orig-ioi=home1.net; term-ioi=home2.net'));
    expect([v.icidValue, v.icidGeneratedAt, v.origIoi, v.termIoi]).toEqual(["AyretyU0dm+6O2IrT5tAFrbHLso=023551024", "192.0.6.8", "home1.net", "home2.net"]);
    expect(parsePChargingVector("orig-ioi=x").ok).toBe(false);
    const s = serializePChargingVector({ icidValue: "abc=", origIoi: "a.net" });
    expect(s).toBe('icid-value="abc=";orig-ioi=a.net');
    expect(okv(parsePChargingVector(s)).icidValue).toBe("abc=");
    const edited = serializePChargingVector({ ...v, termIoi: "home3.net" });
    expect(okv(parsePChargingVector(edited))).toMatchObject({ origIoi: "home1.net", termIoi: "home3.net" });
  });
  it("P-Access-Network-Info and P-Visited-Network-ID", () => {
    const [a] = okv(parsePAccessNetworkInfo('3GPP-UTRAN-TDD; utran-cell-id-3gpp=23456789ABCDE; "network-provided"'.replace('; "network-provided"', ";network-provided")));
    expect(a).toEqual({ accessType: "3GPP-UTRAN-TDD", params: new Map([["utran-cell-id-3gpp", "23456789ABCDE"], ["network-provided", null]]) });
    expect(serializePAccessNetworkInfo(a!)).toBe("3GPP-UTRAN-TDD;utran-cell-id-3gpp=23456789ABCDE;network-provided");
    const ids = okv(parsePVisitedNetworkId('other.net, "Visited network number 1";x=1'));
    expect(ids.map((i) => i.value)).toEqual(["other.net", "Visited network number 1"]);
    expect(serializePVisitedNetworkId(ids[1]!)).toBe('"Visited network number 1";x=1');
    expect(parsePVisitedNetworkId('"open').ok).toBe(false);
  });
});

describe("message accessors", () => {
  const m: SipMessage = okv(
    parseMessage(
      Buffer.from(
        [
          "SIP/2.0 200 OK",
          "v: SIP/2.0/UDP p1;branch=z9hG4bKa, SIP/2.0/UDP ue;branch=z9hG4bKb",
          "Via: SIP/2.0/UDP ue2;branch=z9hG4bKc",
          "From: <sip:a@d>;tag=1",
          "To: <sip:a@d>;tag=2",
          "Call-ID: x",
          "CSeq: 2 REGISTER",
          "Service-Route: <sip:orig@scscf1.d:6060;lr>",
          "P-Associated-URI: <sip:a@d>, <tel:+1234>",
          "Path: <sip:term@pcscf1.d;lr>",
          "m: <sip:a@1.2.3.4>;expires=600, <sip:a@5.6.7.8>;expires=0",
          "Supported: path",
          "k: gruu, outbound",
          "WWW-Authenticate: Digest realm=\"d\", nonce=\"n\"",
          "P-Charging-Vector: icid-value=1234",
          "Content-Length: 0",
          "",
          "",
        ].join("\r\n"),
      ),
    ),
  );
  it("reads typed lists across lines and compact forms", () => {
    expect(getVias(m)?.map((v) => v.branch)).toEqual(["z9hG4bKa", "z9hG4bKb", "z9hG4bKc"]);
    expect(getFirstVia(m)?.host).toBe("p1");
    expect(getNameAddrs(m, "service-route")?.[0]?.uri).toMatchObject({ host: "scscf1.d", port: 6060 });
    expect(getNameAddrs(m, "p-associated-uri")?.map((n) => n.uri.kind)).toEqual(["sip", "tel"]);
    expect(getNameAddrs(m, "path")).toHaveLength(1);
    expect(getNameAddrs(m, "route")).toEqual([]);
    const c = getContacts(m);
    expect(c !== "*" && c?.map((x) => x.expires)).toEqual([600, 0]);
    expect(getTokens(m, "supported")).toEqual(["path", "gruu", "outbound"]);
    expect(getAuthHeaders(m, "www-authenticate")?.[0]?.params.get("realm")).toBe("d");
    expect(getPChargingVector(m)?.icidValue).toBe("1234");
  });
  it("parses the Request-URI once and again after it changes", () => {
    const r = okv(parseMessage(Buffer.from("OPTIONS sip:b@example.com;lr SIP/2.0\r\n\r\n")));
    if (r.kind !== "request") throw new Error("request");
    const u = getRequestUri(r);
    expect(u).toMatchObject({ kind: "sip", user: "b", host: "example.com" });
    expect(getRequestUri(r)).toBe(u);
    r.uri = "tel:+1234";
    expect(getRequestUri(r)).toMatchObject({ kind: "tel", number: "+1234" });
    r.uri = "sip:bad host";
    expect(getRequestUri(r)).toBeUndefined();
  });

  it("removes the first value of a comma-combined list header", () => {
    const copy = okv(parseMessage(serializeMessage(m)));
    expect(removeFirstValue(copy, "via")).toBe("SIP/2.0/UDP p1;branch=z9hG4bKa");
    expect(getVias(copy)?.map((v) => v.branch)).toEqual(["z9hG4bKb", "z9hG4bKc"]);
    expect(removeFirstValue(copy, "via")).toBe("SIP/2.0/UDP ue;branch=z9hG4bKb");
    expect(copy.headers.filter((h) => headerKey(h.name) === "via")).toHaveLength(1);
    expect(removeFirstValue(copy, "route")).toBeUndefined();
  });
});
