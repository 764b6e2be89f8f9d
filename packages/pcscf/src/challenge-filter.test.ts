import { createResponse, getHeaders, parseMessage } from "@ims/sip";
import { describe, expect, it } from "vitest";
import { stripChallengeKeys } from "./challenge-filter.js";

const request = () => {
  const r = parseMessage(
    Buffer.from(
      "REGISTER sip:d SIP/2.0\r\nVia: SIP/2.0/UDP 127.5.3.111:5566;branch=z9hG4bK1\r\nFrom: <sip:a@d>;tag=1\r\nTo: <sip:a@d>\r\nCall-ID: c\r\nCSeq: 1 REGISTER\r\nContent-Length: 0\r\n\r\n",
    ),
  );
  if (!r.ok || r.value.kind !== "request") throw new Error("fixture");
  return r.value;
};

const challenge = (...www: string[]) => createResponse(request(), 401, { headers: www.map((v) => ["WWW-Authenticate", v] as const) });

describe("stripChallengeKeys", () => {
  it("removes ck and ik, keeps every other parameter and returns the keys", () => {
    const res = challenge('Digest realm="d", nonce="n", algorithm=AKAv1-MD5, qop="auth", ck="aa", ik="bb"');
    const out = stripChallengeKeys(res);
    expect(out.changed).toBe(1);
    expect(out.keys?.reveal()).toEqual({ ck: "aa", ik: "bb" });
    expect(getHeaders(res, "www-authenticate")).toEqual(['Digest realm="d", nonce="n", algorithm=AKAv1-MD5, qop="auth"']);
  });

  it("leaves a challenge without keys byte for byte as it was", () => {
    const v = 'Digest realm="d",nonce="n"';
    const res = challenge(v);
    expect(stripChallengeKeys(res)).toEqual({ changed: 0 });
    expect(getHeaders(res, "www-authenticate")).toEqual([v]);
  });

  it("strips a lone ck (no keys kept) and drops an unparsable challenge that names a key", () => {
    const res = challenge('Digest realm="d", ck="aa"', 'Digest realm="d, ik=bb', 'Digest nonce="x", IK = "cc", CK="dd"');
    const out = stripChallengeKeys(res);
    expect(out.changed).toBe(3);
    expect(out.keys?.reveal()).toEqual({ ck: "dd", ik: "cc" });
    expect(getHeaders(res, "www-authenticate")).toEqual(['Digest realm="d"', 'Digest nonce="x"']);
  });
});
