import { describe, expect, it } from "vitest";
import { digestParams, parseAuth } from "../headers/index.js";
import { akaHa1 } from "./aka-digest.js";
import { digestHa1 } from "./digest.js";
import { readDigestCredentials, verifyDigestCredentials } from "./verify-credentials.js";

const header = (v: string) => {
  const h = parseAuth(v);
  if (!h.ok) throw new Error("parse");
  return digestParams(h.value);
};

// RFC 2617 §3.5 Authorization, through the message layer's parser
const MUFASA = header(
  'Digest username="Mufasa", realm="testrealm@host.com", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", uri="/dir/index.html", ' +
    'qop=auth, nc=00000001, cnonce="0a4f113b", response="6629fae49393a05397450978507c4ef1", opaque="5ccc069c403ebaf9f0171e9517f40e41"',
);
const HA1 = digestHa1("Mufasa", "testrealm@host.com", "Circle Of Life");

describe("verifyDigestCredentials", () => {
  it("accepts the RFC 2617 example and returns the checked fields", () => {
    const r = verifyDigestCredentials(MUFASA, { method: "GET", ha1: HA1 });
    expect(r.ok && r.value).toMatchObject({ username: "Mufasa", algorithm: "MD5", qop: "auth", nc: "00000001" });
  });
  it("refuses it for another method or HA1", () => {
    expect(verifyDigestCredentials(MUFASA, { method: "REGISTER", ha1: HA1 })).toEqual({ ok: false, error: { tag: "digest-mismatch", reason: "response does not match" } });
    expect(verifyDigestCredentials(MUFASA, { method: "GET", ha1: digestHa1("Mufasa", "testrealm@host.com", "x") }).ok).toBe(false);
  });
  it("verifies the AKAv1-MD5 worked example with HA1 from XRES", () => {
    const p = header(
      'Digest username="001010000000001@ims.mnc001.mcc001.3gppnetwork.org", realm="ims.mnc001.mcc001.3gppnetwork.org", ' +
        'nonce="I1U8vpY3qJ0hiuZNrke/NVXzKLQ1d7m5Sp/6w1Tfr7M=", uri="sip:ims.mnc001.mcc001.3gppnetwork.org", ' +
        'response="402ab8df9f3a4d63a9f47c2f90e02938", algorithm=AKAv1-MD5, qop=auth, nc=00000001, cnonce="0a4f113b"',
    );
    const ha1 = akaHa1(p.username ?? "", p.realm ?? "", Buffer.from("a54211d5e3ba50bf", "hex"));
    expect(verifyDigestCredentials(p, { method: "REGISTER", ha1 }).ok).toBe(true);
  });
  it.each(["username", "realm", "nonce", "uri", "response"] as const)("a missing %s is digest-malformed", (name) => {
    const { [name]: _gone, ...rest } = MUFASA;
    expect(readDigestCredentials(rest)).toEqual({ ok: false, error: { tag: "digest-malformed", reason: `${name} parameter missing` } });
  });
  it("unknown algorithm or qop is digest-unsupported", () => {
    expect(readDigestCredentials({ ...MUFASA, algorithm: "SHA-512-256" }).ok).toBe(false);
    const q = readDigestCredentials({ ...MUFASA, qop: "auth-conf" });
    expect(!q.ok && q.error.tag).toBe("digest-unsupported");
  });
  it("qop without nc is malformed, not a mismatch", () => {
    const { nc: _nc, ...rest } = MUFASA;
    const r = verifyDigestCredentials(rest, { method: "GET", ha1: HA1 });
    expect(!r.ok && r.error.tag).toBe("digest-malformed");
  });
});
