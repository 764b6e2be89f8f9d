import { describe, expect, it } from "vitest";
import {
  digestHa1, digestResponse, digestRspauth, digestSessionHa1, parseDigestAlgorithm, parseDigestQop, verifyDigestResponse, type DigestResponseInput,
} from "./digest.js";

// digest-vectors.md §1a: RFC 2617 §3.5 "Mufasa"
const MUFASA = {
  user: "Mufasa",
  password: "Circle Of Life",
  realm: "testrealm@host.com",
  nonce: "dcd98b7102dd2f0e8b11d0f600bfb0c093",
  uri: "/dir/index.html",
  cnonce: "0a4f113b",
  nc: "00000001",
} as const;
const mufasa = (over: Partial<DigestResponseInput> & { readonly response?: string } = {}): DigestResponseInput => ({
  ha1: digestHa1(MUFASA.user, MUFASA.realm, MUFASA.password),
  nonce: MUFASA.nonce,
  method: "GET",
  uri: MUFASA.uri,
  qop: "auth",
  nc: MUFASA.nc,
  cnonce: MUFASA.cnonce,
  ...over,
});
const value = <T>(r: { ok: true; value: T } | { ok: false; error: unknown }): T => {
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.error)}`);
  return r.value;
};

describe("RFC 2617 §3.5 example (published)", () => {
  it("HA1, response and rspauth", () => {
    expect(digestHa1(MUFASA.user, MUFASA.realm, MUFASA.password)).toBe("939e7578ed9e3c518a452acee763bce9");
    expect(value(digestResponse(mufasa()))).toBe("6629fae49393a05397450978507c4ef1");
    expect(value(digestRspauth(mufasa()))).toBe("376602cfd2f4e8e5e78b948a85263e85");
  });
  it("the password's case matters (RFC 7616 spells it 'Circle of Life')", () => {
    expect(digestHa1(MUFASA.user, MUFASA.realm, "Circle of Life")).not.toBe("939e7578ed9e3c518a452acee763bce9");
  });
});

describe("RFC 7616 §3.9.1 example (published)", () => {
  const base = {
    nonce: "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v",
    cnonce: "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ",
    method: "GET",
    uri: "/dir/index.html",
    qop: "auth",
    nc: "00000001",
  } as const;
  it("MD5", () => {
    const ha1 = digestHa1("Mufasa", "http-auth@example.org", "Circle of Life");
    expect(ha1).toBe("3d78807defe7de2157e2b0b6573a855f");
    expect(value(digestResponse({ ...base, ha1 }))).toBe("8ca523f5e9506fed4657c9700eebdbec");
  });
  it("SHA-256", () => {
    const ha1 = digestHa1("Mufasa", "http-auth@example.org", "Circle of Life", "SHA-256");
    expect(ha1).toBe("7987c64c30e25f1b74be53f966b49b90f2808aa92faf9a00262392d7b4794232");
    expect(value(digestResponse({ ...base, ha1, algorithm: "SHA-256" }))).toBe("753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1");
  });
});

describe("other forms (values recomputed with Python hashlib)", () => {
  it("MD5-sess: H(HA1:nonce:cnonce) replaces HA1", () => {
    const ha1 = digestHa1(MUFASA.user, MUFASA.realm, MUFASA.password);
    expect(digestSessionHa1(ha1, MUFASA.nonce, MUFASA.cnonce)).toHaveLength(32);
    expect(value(digestResponse(mufasa({ algorithm: "MD5-sess" })))).toBe("8e3825c57e897f5a0dec6c2d4e5059d0");
  });
  it("qop=auth-int hashes the entity body, empty when absent", () => {
    expect(value(digestResponse(mufasa({ qop: "auth-int", method: "POST", body: "hello body" })))).toBe("0cdf96306036da882b4b1b3ae69cd309");
    expect(value(digestResponse(mufasa({ qop: "auth-int", method: "POST", body: Buffer.from("hello body") })))).toBe("0cdf96306036da882b4b1b3ae69cd309");
    expect(value(digestResponse(mufasa({ qop: "auth-int", method: "POST" })))).toBe("4bb0e26e65bdae3e89570d68fd7a073b");
  });
  it("no qop: the RFC 2069 form, nc/cnonce ignored", () => {
    const { qop: _q, nc: _n, cnonce: _c, ...noQop } = mufasa();
    expect(value(digestResponse(noQop))).toBe("670fd8c2df070c60b045671b8b24ff02");
  });
  it("upper-case HA1 from a store gives the same response", () => {
    expect(value(digestResponse(mufasa({ ha1: "939E7578ED9E3C518A452ACEE763BCE9" })))).toBe("6629fae49393a05397450978507c4ef1");
  });
});

describe("verifyDigestResponse", () => {
  it("accepts the right response in either hex case", () => {
    expect(verifyDigestResponse({ ...mufasa(), response: "6629fae49393a05397450978507c4ef1" })).toEqual({ ok: true, value: true });
    expect(verifyDigestResponse({ ...mufasa(), response: "6629FAE49393A05397450978507C4EF1" }).ok).toBe(true);
  });
  it.each([
    ["one digit off", { response: "6629fae49393a05397450978507c4ef0" }],
    ["truncated", { response: "6629fae49393a053" }],
    ["empty", { response: "" }],
    ["other method", { response: "6629fae49393a05397450978507c4ef1", method: "POST" }],
    ["other uri", { response: "6629fae49393a05397450978507c4ef1", uri: "/dir/index.htm" }],
    ["other nc (replay with a new count)", { response: "6629fae49393a05397450978507c4ef1", nc: "00000002" }],
    ["wrong HA1", { response: "6629fae49393a05397450978507c4ef1", ha1: digestHa1("Mufasa", "testrealm@host.com", "circle of life") }],
  ] as const)("refuses %s with digest-mismatch", (_n, over) => {
    const r = verifyDigestResponse({ ...mufasa(over), response: over.response });
    expect(!r.ok && r.error).toEqual({ tag: "digest-mismatch", reason: "response does not match" });
  });
  it.each([
    ["qop without nc", { nc: undefined }, "nc must be 8 hex digits when qop is given"],
    ["nc not 8 hex", { nc: "1" }, "nc must be 8 hex digits when qop is given"],
    ["qop without cnonce", { cnonce: undefined }, "cnonce is required when qop is given"],
    ["MD5-sess without cnonce", { qop: undefined, nc: undefined, cnonce: undefined, algorithm: "MD5-sess" }, "cnonce is required with MD5-sess"],
    ["HA1 not hex", { ha1: "Circle Of Life" }, "HA1 must be hex"],
  ] as const)("refuses %s with digest-malformed (no secret in the reason)", (_n, over, reason) => {
    const input = { ...mufasa(), response: "6629fae49393a05397450978507c4ef1" } as Record<string, unknown>;
    for (const [k, v] of Object.entries(over)) {
      if (v === undefined) delete input[k];
      else input[k] = v;
    }
    const r = verifyDigestResponse(input as unknown as DigestResponseInput & { response: string });
    expect(!r.ok && r.error).toEqual({ tag: "digest-malformed", reason });
  });
});

describe("algorithm and qop names", () => {
  it("defaults to MD5 and matches names case-insensitively", () => {
    expect(parseDigestAlgorithm(undefined)).toEqual({ ok: true, value: "MD5" });
    expect(parseDigestAlgorithm("akav1-md5")).toEqual({ ok: true, value: "AKAv1-MD5" });
    expect(parseDigestAlgorithm("md5-SESS")).toEqual({ ok: true, value: "MD5-sess" });
  });
  it("refuses unknown ones as digest-unsupported", () => {
    expect(parseDigestAlgorithm("AKAv2-MD5")).toEqual({ ok: false, error: { tag: "digest-unsupported", reason: "algorithm AKAv2-MD5 not supported" } });
    expect(parseDigestQop("auth-conf").ok).toBe(false);
    expect(parseDigestQop("AUTH")).toEqual({ ok: true, value: "auth" });
    expect(parseDigestQop(undefined)).toEqual({ ok: true, value: undefined });
  });
});
