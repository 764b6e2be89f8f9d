import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { akaHa1, digestResponse, verifyDigest } from "./digest.js";

// RFC 2617 §3.5 example
const ha1 = createHash("md5").update("Mufasa:testrealm@host.com:Circle Of Life").digest("hex");
const creds = {
  username: "Mufasa",
  realm: "testrealm@host.com",
  nonce: "dcd98b7102dd2f0e8b11d0f600bfb0c093",
  uri: "/dir/index.html",
  qop: "auth",
  nc: "00000001",
  cnonce: "0a4f113b",
  response: "6629fae49393a05397450978507c4ef1",
};

describe("digest", () => {
  it("computes the RFC 2617 §3.5 response and accepts it, in either case", () => {
    expect(digestResponse(ha1, "GET", creds)).toBe(creds.response);
    expect(verifyDigest(ha1, "GET", creds)).toBe(true);
    expect(verifyDigest(ha1.toUpperCase(), "GET", { ...creds, response: creds.response.toUpperCase() })).toBe(true);
  });

  it("rejects a changed method, uri, nonce, nc, a missing response, a short response", () => {
    expect(verifyDigest(ha1, "POST", creds)).toBe(false);
    expect(verifyDigest(ha1, "GET", { ...creds, uri: "/dir/other.html" })).toBe(false);
    expect(verifyDigest(ha1, "GET", { ...creds, nonce: "x" })).toBe(false);
    expect(verifyDigest(ha1, "GET", { ...creds, nc: "00000002" })).toBe(false);
    const { response: _, ...noResponse } = creds;
    expect(verifyDigest(ha1, "GET", noResponse)).toBe(false);
    expect(verifyDigest(ha1, "GET", { ...creds, response: "6629" })).toBe(false);
  });

  it("qop=auth without cnonce/nc, or an unsupported qop, is never valid; no qop is RFC 2069", () => {
    const { cnonce: _c, ...noCnonce } = creds;
    expect(digestResponse(ha1, "GET", noCnonce)).toBeUndefined();
    expect(digestResponse(ha1, "GET", { ...creds, qop: "auth-int" })).toBeUndefined();
    const { qop: _q, ...rfc2069 } = creds;
    const ha2 = createHash("md5").update("GET:/dir/index.html").digest("hex");
    expect(digestResponse(ha1, "GET", rfc2069)).toBe(createHash("md5").update(`${ha1}:${creds.nonce}:${ha2}`).digest("hex"));
  });

  it("AKA HA1 uses RES as raw bytes (RFC 3310 §3.4), not its hex", () => {
    const res = Buffer.from([0xa5, 0x42, 0x11, 0xd5, 0xe3, 0xba, 0x50, 0xbf]);
    const expected = createHash("md5").update(Buffer.concat([Buffer.from("u@r:r:"), res])).digest("hex");
    expect(akaHa1("u@r", "r", res)).toBe(expected);
    expect(akaHa1("u@r", "r", res)).not.toBe(createHash("md5").update(`u@r:r:${res.toString("hex")}`).digest("hex"));
  });
});
