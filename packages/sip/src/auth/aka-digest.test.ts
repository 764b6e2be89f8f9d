import { describe, expect, it } from "vitest";
import { akaHa1, buildAkaNonce, decodeAuts, encodeAuts, splitAkaNonce } from "./aka-digest.js";
import { digestHa1, digestResponse, verifyDigestResponse } from "./digest.js";

// digest-vectors.md §2a: AKAv1-MD5 worked example on TS 35.208 set 1
const RAND = Buffer.from("23553cbe9637a89d218ae64dae47bf35", "hex");
const AUTN = Buffer.from("55f328b43577b9b94a9ffac354dfafb3", "hex");
const RES = Buffer.from("a54211d5e3ba50bf", "hex");
const NONCE = "I1U8vpY3qJ0hiuZNrke/NVXzKLQ1d7m5Sp/6w1Tfr7M=";
const USER = "001010000000001@ims.mnc001.mcc001.3gppnetwork.org";
const REALM = "ims.mnc001.mcc001.3gppnetwork.org";
const URI = "sip:ims.mnc001.mcc001.3gppnetwork.org";

describe("AKA nonce", () => {
  it("nonce = base64(RAND ‖ AUTN)", () => {
    expect(buildAkaNonce(RAND, AUTN)).toEqual({ ok: true, value: NONCE });
  });
  it("splits back into RAND and AUTN, with any server data kept apart", () => {
    const r = splitAkaNonce(NONCE);
    expect(r.ok && [r.value.rand.toString("hex"), r.value.autn.toString("hex"), r.value.serverData.length]).toEqual([
      "23553cbe9637a89d218ae64dae47bf35", "55f328b43577b9b94a9ffac354dfafb3", 0,
    ]);
    const withData = buildAkaNonce(RAND, AUTN, Buffer.from("srv-1"));
    const s = withData.ok ? splitAkaNonce(withData.value) : undefined;
    expect(s?.ok && s.value.serverData.toString()).toBe("srv-1");
  });
  it("refuses short, non-base64 and wrongly sized parts", () => {
    expect(splitAkaNonce(Buffer.alloc(31).toString("base64"))).toEqual({ ok: false, error: { tag: "digest-malformed", reason: "AKA nonce must hold at least 32 octets, got 31" } });
    expect(splitAkaNonce("not base64!").ok).toBe(false);
    expect(splitAkaNonce(NONCE.slice(0, -1)).ok).toBe(false);
    expect(splitAkaNonce("").ok).toBe(false);
    expect(buildAkaNonce(RAND.subarray(1), AUTN).ok).toBe(false);
    expect(buildAkaNonce(RAND, Buffer.concat([AUTN, Buffer.alloc(1)])).ok).toBe(false);
  });
});

describe("AKAv1-MD5 digest (worked example)", () => {
  it("HA1 over RES octets, and the response", () => {
    const ha1 = akaHa1(USER, REALM, RES);
    expect(ha1).toBe("da00069eb0de6587da7e09ef503c29db");
    const r = digestResponse({ ha1, algorithm: "AKAv1-MD5", nonce: NONCE, method: "REGISTER", uri: URI, qop: "auth", nc: "00000001", cnonce: "0a4f113b" });
    expect(r).toEqual({ ok: true, value: "402ab8df9f3a4d63a9f47c2f90e02938" });
  });
  it("RES hex-encoded by mistake gives the documented wrong HA1, and the response fails", () => {
    const wrong = digestHa1(USER, REALM, RES.toString("hex"), "AKAv1-MD5");
    expect(wrong).toBe("9fd1b9eca6e47153c2470d9e1c0466e1");
    const v = verifyDigestResponse({ ha1: wrong, algorithm: "AKAv1-MD5", nonce: NONCE, method: "REGISTER", uri: URI, qop: "auth", nc: "00000001", cnonce: "0a4f113b", response: "402ab8df9f3a4d63a9f47c2f90e02938" });
    expect(!v.ok && v.error.tag).toBe("digest-mismatch");
  });
  it("a response over another nonce text fails (the nonce is hashed as base64 text)", () => {
    const ha1 = akaHa1(USER, REALM, RES);
    const v = verifyDigestResponse({ ha1, algorithm: "AKAv1-MD5", nonce: NONCE.replace("=", ""), method: "REGISTER", uri: URI, qop: "auth", nc: "00000001", cnonce: "0a4f113b", response: "402ab8df9f3a4d63a9f47c2f90e02938" });
    expect(v.ok).toBe(false);
  });
});

describe("auts parameter", () => {
  it("round-trips the derived set-1 AUTS (20 base64 characters)", () => {
    const auts = Buffer.from("ba853f3c123ccf44e93596e355c6", "hex");
    expect(encodeAuts(auts)).toEqual({ ok: true, value: "uoU/PBI8z0TpNZbjVcY=" });
    const d = decodeAuts("uoU/PBI8z0TpNZbjVcY=");
    expect(d.ok && d.value.equals(auts)).toBe(true);
  });
  it("refuses other lengths and non-base64", () => {
    expect(decodeAuts(Buffer.alloc(13).toString("base64"))).toEqual({ ok: false, error: { tag: "digest-malformed", reason: "auts must be 14 octets, got 13" } });
    expect(decodeAuts(Buffer.alloc(15).toString("base64")).ok).toBe(false);
    expect(decodeAuts("uoU/PBI8z0TpNZbjVcY").ok).toBe(false);
    expect(decodeAuts("uoU/PBI8z0TpNZbj*cY=").ok).toBe(false);
    expect(encodeAuts(Buffer.alloc(16)).ok).toBe(false);
  });
});
