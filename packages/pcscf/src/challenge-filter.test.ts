import { type SipResponse, createResponse, getHeaders, headerLine, isHeader, parseAuth, parseMessage, serializeAuth } from "@ims/sip";
import { describe, expect, it } from "vitest";
import { challengeWithoutKeys, stripChallengeKeys } from "./challenge-filter.js";

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

/** What stripChallengeKeys did before it read challenges written as serializeAuth writes them without parsing. */
function reference(res: SipResponse): { keys?: { ck: string; ik: string }; changed: number } {
  let keys: { ck: string; ik: string } | undefined;
  let changed = 0;
  const out = [];
  for (const h of res.headers) {
    if (!["www-authenticate", "proxy-authenticate"].some((n) => isHeader(h, n))) {
      out.push(h);
      continue;
    }
    const parsed = parseAuth(h.value);
    if (!parsed.ok) {
      if (/(^|[\s,])(ck|ik)\s*=/i.test(h.value)) changed++;
      else out.push(h);
      continue;
    }
    const params = parsed.value.params;
    if (!params.has("ck") && !params.has("ik")) {
      out.push(h);
      continue;
    }
    const ck = params.get("ck");
    const ik = params.get("ik");
    if (keys === undefined && ck !== undefined && ik !== undefined) keys = { ck, ik };
    params.delete("ck");
    params.delete("ik");
    out.push(headerLine(h.name, serializeAuth(parsed.value, "challenge")));
    changed++;
  }
  res.headers = out;
  return { ...(keys === undefined ? {} : { keys }), changed };
}

const CHALLENGES = [
  // as an S-CSCF of this core writes them
  'Digest realm="d", nonce="bm9uY2U=", algorithm=AKAv1-MD5, qop="auth", ck="00ff", ik="ff00"',
  'Digest ck="00ff", ik="ff00", realm="d"',
  'Digest realm="d", ik="ff00", nonce="n", ck="00ff"',
  'Digest ck="00ff", ik="ff00"',
  'Digest ik="ff00"',
  'Digest realm="d", ck="00ff"',
  'Digest realm="a \\"quoted\\" \\\\ realm", ck="c\\\\k", ik="i\\"k", stale=FALSE, algorithm=MD5',
  'Digest realm="d,ck=1", nonce="ik=2"',
  'Digest realm="", ck="", ik=""',
  'Digest realm="d", opaque="", ck="aa", ik="bb", x-param="ck=\'1\'"',
  'Bearer realm="d", ck="aa", ik="bb"',
  // written otherwise: parsed and written again as serializeAuth writes them
  'Digest realm=d, ck="aa", ik="bb"',
  'Digest realm="d", algorithm="AKAv1-MD5", ck="aa", ik="bb"',
  'Digest Realm="d", CK="aa", Ik="bb"',
  'Digest realm="d",ck="aa",ik="bb"',
  'Digest  realm="d", ck="aa", ik="bb"',
  'Digest realm = "d" , ck = "aa" , ik = "bb"',
  'Digest realm="d", ck=aa, ik=bb',
  'Digest realm="d\\x", ck="aa", ik="bb"',
  'Digest realm="d", ck="aa", ik="bb", ck="cc"',
  'Digest realm="d", ck="aa", realm="e"',
  'Digest realm="d", ck="aa", ik="bb",',
  'Digest realm="d", ck="aa", ik="bb" ',
  ' Digest realm="d", ck="aa", ik="bb"',
  'Digest realm="d", ck="aa", ik="bb\\',
  'Digest realm="d", ck="aa", ik="bb',
  'Digest realm="d", ck="aa" ik="bb"',
  'Digest realm="d", stale=, ck="aa"',
  'Digest realm="d", stale=a"b, ck="aa"',
  'Digest realm="d", algorithm=AKA\tv1, ck="aa"',
  'Digest\trealm="d", ck="aa"',
  'Digest realm="d", ck="a\u00e9", ik="bb", nonce="\u00e9"',
  "Digest ck=",
  "ck=aa",
  "Digest",
  'Digest realm="d", nonce="n"',
  'Digest realm="d",nonce="n"',
  'Digest realm="d, ik=bb',
  'Digest nonce="x", IK = "cc", CK="dd"',
];

describe("stripChallengeKeys on challenges written in every way", () => {
  it("gives what parsing and serializing every challenge gave", () => {
    for (const name of ["WWW-Authenticate", "Proxy-Authenticate", "www-authenticate", "PROXY-AUTHENTICATE"]) {
      for (const v of CHALLENGES) {
        const res = challenge(v, 'Digest realm="d", ck="11", ik="22"');
        res.headers = res.headers.map((h) => (h.name === "WWW-Authenticate" ? headerLine(name, h.value) : h));
        const ref = { ...res, headers: res.headers.slice() };
        const out = stripChallengeKeys(res);
        const want = reference(ref);
        expect({ changed: out.changed, keys: out.keys?.reveal() }, `${name}: ${v}`).toEqual({ changed: want.changed, keys: want.keys });
        expect(res.headers.map((h) => [h.name, h.value]), `${name}: ${v}`).toEqual(ref.headers.map((h) => [h.name, h.value]));
      }
    }
  });

  it("takes the keys out of the challenge text as written, without parsing, only when it is written as serializeAuth writes it", () => {
    expect(challengeWithoutKeys(CHALLENGES[0]!)).toEqual({ value: 'Digest realm="d", nonce="bm9uY2U=", algorithm=AKAv1-MD5, qop="auth"', ck: "00ff", ik: "ff00" });
    expect(challengeWithoutKeys(CHALLENGES[3]!)).toEqual({ value: "Digest", ck: "00ff", ik: "ff00" });
    expect(challengeWithoutKeys(CHALLENGES[6]!)).toEqual({ value: 'Digest realm="a \\"quoted\\" \\\\ realm", stale=FALSE, algorithm=MD5', ck: "c\\k", ik: 'i"k' });
    expect(challengeWithoutKeys(CHALLENGES[7]!)).toBeUndefined();
    expect(challengeWithoutKeys('Digest realm="d", ck="aa", ik="bb", ck="cc"')).toEqual({ value: undefined });
  });

  it("leaves a response without keys, and headers that are not challenges, as they are", () => {
    const res = createResponse(request(), 200, {
      headers: [
        ["Authentication-Info", 'nextnonce="n", ck="aa", ik="bb"'],
        ["X-Note", "ck=1"],
        ["WWW-Authenticate", 'Digest realm="d"'],
      ],
    });
    const before = res.headers;
    expect(stripChallengeKeys(res)).toEqual({ changed: 0 });
    expect(res.headers).toBe(before);
  });
});
