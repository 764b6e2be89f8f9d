import { describe, expect, it } from "vitest";
import { createRequest, createResponse, getHeaders } from "../message/index.js";
import { parseUri } from "../uri/index.js";
import { selectBest, finalizeBest } from "./best-response.js";
import { isLoop, loopHash, proxyBranch, pushVia } from "./branch.js";
import { buildCancel } from "./cancel.js";
import { isLocalUri, literalResolver, nextHopUri, preprocessRoute, routeSetFromResponse } from "./routing.js";

const ME = { address: "127.1.4.1", port: 5060 };
const isMe = (u: Parameters<typeof isLocalUri>[0]) => isLocalUri(u, ME, ["proxy.example.com"]);

function req(uri: string, routes: string[] = []) {
  return createRequest({
    method: "INVITE",
    uri,
    headers: [
      ["Via", "SIP/2.0/UDP 127.1.4.9;branch=z9hG4bKa"],
      ["Max-Forwards", "70"],
      ...routes.map((r) => ["Route", r] as const),
      ["From", "<sip:a@x>;tag=1"],
      ["To", "<sip:b@x>"],
      ["Call-ID", "c"],
      ["CSeq", "7 INVITE"],
    ],
  });
}

describe("§16.4 route pre-processing", () => {
  it("removes a top Route naming us (by address or host name)", () => {
    const r = req("sip:b@x", ["<sip:127.1.4.1;lr>", "<sip:next.example.com;lr>"]);
    preprocessRoute(r, isMe);
    expect(getHeaders(r, "route")).toEqual(["<sip:next.example.com;lr>"]);
    const r2 = req("sip:b@x", ["<sip:proxy.example.com:5060;lr>, <sip:n2;lr>"]);
    preprocessRoute(r2, isMe);
    expect(getHeaders(r2, "route")).toEqual(["<sip:n2;lr>"]);
  });
  it("returns the removed Route naming us, user part and parameters included (IMS orig, odi)", () => {
    const r = req("sip:b@x", ["<sip:orig@proxy.example.com:5060;lr;odi=t1>", "<sip:n2;lr>"]);
    const ours = preprocessRoute(r, isMe);
    expect(ours?.user).toBe("orig");
    expect(ours?.params.get("odi")).toBe("t1");
    expect(preprocessRoute(req("sip:b@x", ["<sip:n2;lr>"]), isMe)).toBeUndefined();
  });
  it("leaves a Route for another port alone", () => {
    const r = req("sip:b@x", ["<sip:127.1.4.1:5070;lr>"]);
    expect(preprocessRoute(r, isMe)).toBeUndefined();
    expect(getHeaders(r, "route")).toHaveLength(1);
  });
  it("undoes a strict router's rewrite: Request-URI naming us is replaced by the last Route", () => {
    const r = req("sip:127.1.4.1;lr", ["<sip:n2;lr>", "<sip:b@real.example.com>"]);
    preprocessRoute(r, isMe);
    expect(r.uri).toBe("sip:b@real.example.com");
    expect(getHeaders(r, "route")).toEqual(["<sip:n2;lr>"]);
  });
});

describe("§16.6 next hop", () => {
  it("loose routing: the top Route is the next hop, Request-URI unchanged", () => {
    const r = req("sip:b@x", ["<sip:127.1.4.2:5070;lr;transport=tcp>"]);
    const hop = nextHopUri(r)!;
    expect(literalResolver(hop)).toEqual({ transport: "tcp", address: "127.1.4.2", port: 5070 });
    expect(r.uri).toBe("sip:b@x");
  });
  it("strict-route fix-up: Request-URI goes to the end of the Route set, the strict router into the Request-URI", () => {
    const r = req("sip:b@x", ["<sip:127.1.4.3>", "<sip:n2;lr>"]);
    const hop = nextHopUri(r)!;
    expect(hop.host).toBe("127.1.4.3");
    expect(r.uri).toBe("sip:127.1.4.3");
    expect(getHeaders(r, "route")).toEqual(["<sip:n2;lr>", "<sip:b@x>"]);
  });
  it("no Route: the Request-URI; a non-SIP Request-URI has no next hop", () => {
    expect(nextHopUri(req("sip:b@127.1.4.4:5080"))?.port).toBe(5080);
    expect(nextHopUri(req("tel:+15551234"))).toBeUndefined();
  });
  it("route set of a UAC: Record-Route reversed", () => {
    expect(routeSetFromResponse(["<sip:p1;lr>, <sip:p2;lr>", "<sip:p3;lr>"])).toEqual([
      "<sip:p3;lr>",
      "<sip:p2;lr>",
      "<sip:p1;lr>",
    ]);
  });
  it("isLocalUri compares host names without case, by address or one of the hosts", () => {
    const u = (t: string) => {
      const r = parseUri(t);
      return r.ok ? r.value : undefined;
    };
    expect(isMe(u("sip:Proxy.Example.COM"))).toBe(true);
    expect(isMe(u("sip:proxy.example.com;lr"))).toBe(true);
    expect(isLocalUri(u("sip:proxy.example.com"), ME, ["PROXY.example.com"])).toBe(true);
    expect(isMe(u("sip:proxy.example.co"))).toBe(false);
    expect(isMe(u("sip:127.1.4.2"))).toBe(false);
    expect(isMe(u("tel:+1555"))).toBe(false);
  });
  it("isLocalUri needs the port too (default 5060)", () => {
    const u = parseUri("sip:127.1.4.1");
    expect(u.ok && isMe(u.value)).toBe(true);
    const v = parseUri("sip:127.1.4.1:5061");
    expect(v.ok && isMe(v.value)).toBe(false);
  });
});

describe("loop detection (§16.3 step 4)", () => {
  it("a request carrying our Via with its own loop hash is a loop; a changed Request-URI is a spiral", () => {
    const r = req("sip:b@x");
    pushVia(r, "udp", ME, proxyBranch(loopHash(r)));
    expect(isLoop(r, ME)).toBe(true);
    r.uri = "sip:b@elsewhere";
    expect(isLoop(r, ME)).toBe(false);
    expect(isLoop(req("sip:b@x"), ME)).toBe(false);
  });
});

describe("loop hash", () => {
  it("covers Request-URI, tags, Call-ID, CSeq, Route (as received when given) and Proxy-Require", () => {
    const r = req("sip:b@x", ["<sip:127.1.4.1;lr>", "<sip:n2;lr>"]);
    const h = loopHash(r);
    expect(h).toMatch(/^[0-9a-f]{10}$/);
    expect(loopHash(r, r.uri, getHeaders(r, "route"))).toBe(h);
    expect(loopHash(req("sip:b@x", ["<sip:127.1.4.1;lr>", "<sip:n2;lr>"]))).toBe(h);
    // the Route as received counts, not the Route after §16.4 removed ours
    preprocessRoute(r, isMe);
    expect(loopHash(r)).not.toBe(h);
    expect(loopHash(r, "sip:b@x", ["<sip:127.1.4.1;lr>", "<sip:n2;lr>"])).toBe(h);
    expect(loopHash(r, "sip:b@y", ["<sip:127.1.4.1;lr>", "<sip:n2;lr>"])).not.toBe(h);
    expect(loopHash(r, "sip:b@x", ["<sip:127.1.4.1;lr>"])).not.toBe(h);
    const withRequire = req("sip:b@x", ["<sip:127.1.4.1;lr>", "<sip:n2;lr>"]);
    withRequire.headers.push({ name: "Proxy-Require", value: "foo" });
    expect(loopHash(withRequire)).not.toBe(h);
    // a Route value is not confused with a Proxy-Require value
    const a = req("sip:b@x");
    a.headers.push({ name: "Route", value: "foo" });
    const b = req("sip:b@x");
    b.headers.push({ name: "Proxy-Require", value: "foo" });
    expect(loopHash(a)).not.toBe(loopHash(b));
  });
});

describe("best response (§16.7)", () => {
  const base = req("sip:b@x");
  const r = (s: number, hdr?: [string, string]) => createResponse(base, s, hdr ? { headers: [hdr] } : {});
  it("6xx wins, else the lowest class, preferring 401/407/415/420/484 in 4xx", () => {
    expect(selectBest([r(486), r(603), r(302)])?.status).toBe(603);
    expect(selectBest([r(503), r(404), r(486)])?.status).toBe(404);
    expect(selectBest([r(486), r(407), r(302)])?.status).toBe(302);
    expect(selectBest([r(486), r(407)])?.status).toBe(407);
    expect(selectBest([])).toBeUndefined();
  });
  it("turns 503 into 500 and gathers every challenge into a 401", () => {
    expect(finalizeBest(r(503), [r(503)]).status).toBe(500);
    const a = r(401, ["WWW-Authenticate", 'Digest realm="a"']);
    const b = r(401, ["WWW-Authenticate", 'Digest realm="b"']);
    expect(getHeaders(finalizeBest(a, [a, b]), "www-authenticate")).toEqual(['Digest realm="a"', 'Digest realm="b"']);
  });
});

describe("CANCEL (§9.1)", () => {
  it("copies Request-URI, Call-ID, From, To, CSeq number, top Via and Route", () => {
    const c = buildCancel(req("sip:b@x", ["<sip:p;lr>"]));
    expect(c.method).toBe("CANCEL");
    expect(getHeaders(c, "via")).toEqual(["SIP/2.0/UDP 127.1.4.9;branch=z9hG4bKa"]);
    expect(getHeaders(c, "cseq")).toEqual(["7 CANCEL"]);
    expect(getHeaders(c, "route")).toEqual(["<sip:p;lr>"]);
  });
});
