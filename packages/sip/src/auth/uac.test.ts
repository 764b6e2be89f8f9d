import { describe, expect, it } from "vitest";
import { authHeader, digestParams, parseAuth, serializeAuth } from "../headers/index.js";
import { akaHa1, decodeAuts } from "./aka-digest.js";
import { digestHa1 } from "./digest.js";
import { answerDigestChallenge } from "./uac.js";
import { verifyDigestCredentials } from "./verify-credentials.js";

const challenge = (v: string) => {
  const h = parseAuth(v);
  if (!h.ok) throw new Error("parse");
  return digestParams(h.value);
};

const MUFASA_CHALLENGE = challenge(
  'Digest realm="testrealm@host.com", qop="auth,auth-int", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41"',
);

describe("answerDigestChallenge", () => {
  it("reproduces the RFC 2617 §3.5 Authorization with the same cnonce", () => {
    const r = answerDigestChallenge(MUFASA_CHALLENGE, "Mufasa", { kind: "password", password: "Circle Of Life" }, { method: "GET", uri: "/dir/index.html" }, { cnonce: "0a4f113b" });
    expect(r).toEqual({
      ok: true,
      value: {
        username: "Mufasa",
        realm: "testrealm@host.com",
        nonce: "dcd98b7102dd2f0e8b11d0f600bfb0c093",
        uri: "/dir/index.html",
        response: "6629fae49393a05397450978507c4ef1",
        algorithm: "MD5",
        cnonce: "0a4f113b",
        opaque: "5ccc069c403ebaf9f0171e9517f40e41",
        qop: "auth",
        nc: "00000001",
      },
    });
  });

  it("round-trips through the header serializer and parser, and the server side verifies it", () => {
    const ch = challenge('Digest realm="domain.imsprovider.org", nonce="abc123", algorithm=MD5, qop="auth"');
    const r = answerDigestChallenge(ch, "a@domain.imsprovider.org", { kind: "password", password: "apass" }, { method: "REGISTER", uri: "sip:domain.imsprovider.org" }, { nc: 3 });
    if (!r.ok) throw new Error(r.error.reason);
    expect(r.value["nc"]).toBe("00000003");
    expect(r.value["cnonce"]).toMatch(/^[0-9a-f]{16}$/);
    const wire = serializeAuth(authHeader("Digest", r.value), "credentials");
    const back = parseAuth(wire);
    if (!back.ok) throw new Error("reparse");
    const ha1 = digestHa1("a@domain.imsprovider.org", "domain.imsprovider.org", "apass");
    expect(verifyDigestCredentials(digestParams(back.value), { method: "REGISTER", ha1 }).ok).toBe(true);
    expect(verifyDigestCredentials(digestParams(back.value), { method: "INVITE", ha1 }).ok).toBe(false);
  });

  it("answers with a precomputed HA1 and with MD5-sess", () => {
    const ha1 = digestHa1("Mufasa", "testrealm@host.com", "Circle Of Life");
    const a = answerDigestChallenge(MUFASA_CHALLENGE, "Mufasa", { kind: "ha1", ha1 }, { method: "GET", uri: "/dir/index.html" }, { cnonce: "0a4f113b" });
    expect(a.ok && a.value["response"]).toBe("6629fae49393a05397450978507c4ef1");
    const sess = answerDigestChallenge({ ...MUFASA_CHALLENGE, algorithm: "MD5-sess" }, "Mufasa", { kind: "password", password: "Circle Of Life" }, { method: "GET", uri: "/dir/index.html" }, { cnonce: "0a4f113b" });
    expect(sess.ok && sess.value["response"]).toBe("8e3825c57e897f5a0dec6c2d4e5059d0");
  });

  it("uses auth-int with the body when that is all the server offers", () => {
    const r = answerDigestChallenge({ ...MUFASA_CHALLENGE, qop: "auth-int" }, "Mufasa", { kind: "password", password: "Circle Of Life" }, { method: "POST", uri: "/dir/index.html", body: "hello body" }, { cnonce: "0a4f113b" });
    expect(r.ok && [r.value["qop"], r.value["response"]]).toEqual(["auth-int", "0cdf96306036da882b4b1b3ae69cd309"]);
  });

  it("omits qop, nc and cnonce when the challenge has no qop (RFC 2069 form)", () => {
    const { qop: _q, ...noQop } = MUFASA_CHALLENGE;
    const r = answerDigestChallenge(noQop, "Mufasa", { kind: "password", password: "Circle Of Life" }, { method: "GET", uri: "/dir/index.html" });
    expect(r.ok && r.value).not.toHaveProperty("qop");
    expect(r.ok && r.value).not.toHaveProperty("cnonce");
    expect(r.ok && r.value["response"]).toBe("670fd8c2df070c60b045671b8b24ff02");
  });

  it("answers the AKAv1-MD5 worked example with RES octets", () => {
    const ch = challenge('Digest realm="ims.mnc001.mcc001.3gppnetwork.org", nonce="I1U8vpY3qJ0hiuZNrke/NVXzKLQ1d7m5Sp/6w1Tfr7M=", algorithm=AKAv1-MD5, qop="auth"');
    const r = answerDigestChallenge(ch, "001010000000001@ims.mnc001.mcc001.3gppnetwork.org", { kind: "aka-res", res: Buffer.from("a54211d5e3ba50bf", "hex") }, { method: "REGISTER", uri: "sip:ims.mnc001.mcc001.3gppnetwork.org" }, { cnonce: "0a4f113b" });
    expect(r.ok && [r.value["algorithm"], r.value["response"]]).toEqual(["AKAv1-MD5", "402ab8df9f3a4d63a9f47c2f90e02938"]);
  });

  it("sends auts after a sync failure, response over an empty password", () => {
    const ch = challenge('Digest realm="r", nonce="I1U8vpY3qJ0hiuZNrke/NVXzKLQ1d7m5Sp/6w1Tfr7M=", algorithm=AKAv1-MD5, qop="auth"');
    const auts = Buffer.from("ba853f3c123ccf44e93596e355c6", "hex");
    const r = answerDigestChallenge(ch, "u", { kind: "aka-sync-failure", auts }, { method: "REGISTER", uri: "sip:r" }, { cnonce: "c" });
    if (!r.ok) throw new Error(r.error.reason);
    expect(r.value["auts"]).toBe("uoU/PBI8z0TpNZbjVcY=");
    const d = decodeAuts(r.value["auts"] ?? "");
    expect(d.ok && d.value.equals(auts)).toBe(true);
    const ha1 = akaHa1("u", "r", new Uint8Array(0));
    expect(verifyDigestCredentials(r.value, { method: "REGISTER", ha1 }).ok).toBe(true);
  });

  it.each([
    ["no realm", { nonce: "n" }, { kind: "password", password: "p" }, "digest-malformed"],
    ["no nonce", { realm: "r" }, { kind: "password", password: "p" }, "digest-malformed"],
    ["unknown algorithm", { realm: "r", nonce: "n", algorithm: "SHA-512" }, { kind: "password", password: "p" }, "digest-unsupported"],
    ["only unknown qop", { realm: "r", nonce: "n", qop: "auth-conf" }, { kind: "password", password: "p" }, "digest-unsupported"],
    ["password for an AKA challenge", { realm: "r", nonce: "n", algorithm: "AKAv1-MD5" }, { kind: "password", password: "p" }, "digest-unsupported"],
    ["RES for an MD5 challenge", { realm: "r", nonce: "n" }, { kind: "aka-res", res: Buffer.alloc(8) }, "digest-unsupported"],
    ["AUTS of the wrong length", { realm: "r", nonce: "n", algorithm: "AKAv1-MD5" }, { kind: "aka-sync-failure", auts: Buffer.alloc(13) }, "digest-malformed"],
  ] as const)("refuses %s", (_n, ch, secret, tag) => {
    const r = answerDigestChallenge(ch, "u", secret, { method: "REGISTER", uri: "sip:r" });
    expect(!r.ok && r.error.tag).toBe(tag);
    expect(!r.ok && r.error.reason).not.toContain("\"p\"");
  });
});
