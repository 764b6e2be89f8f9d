import { describe, expect, it } from "vitest";
import { CX_EXPERIMENTAL_RESULT, SERVER_ASSIGNMENT_TYPE, cxSuccess, serializeUserData } from "@ims/ims";
import { err, ok } from "@ims/runtime";
import { DEFAULT_LIMITS } from "../config.js";
import { akaMaa, digestMaa, failedMaa, saa } from "../cx/fake-cx-client.js";
import { authHeader, serializeAuth } from "@ims/sip";
import { DOMAIN, HA1, Harness, IMPI, IMPU, SERVER_NAME, header, headers } from "../testing/registrar-harness.js";
import { answerChallenge, initialAuthorization, readChallenge, registerRequest } from "../testing/ue-client.js";

const SAT = SERVER_ASSIGNMENT_TYPE;

describe("REGISTER with SIP Digest", () => {
  it("challenges a REGISTER without Authorization: MAR scheme Unknown, IMPI from the IMPU, 401 with an MD5 challenge", async () => {
    const h = new Harness();
    const r = await h.send(registerRequest({ impu: IMPU }));
    expect(r.status).toBe(401);
    expect(h.cx.mars).toEqual([
      { userName: IMPI, publicIdentity: IMPU, serverName: SERVER_NAME, numberAuthItems: 1, authData: { scheme: "Unknown" } },
    ]);
    const www = header(r, "WWW-Authenticate") ?? "";
    expect(www).toMatch(/^Digest realm="domain\.imsprovider\.org", nonce="[^"]{16,}", algorithm=MD5, qop="auth"$/);
    expect(www).not.toContain(HA1);
    expect(h.ctx.challenges.size()).toBe(1);
    expect(h.cx.sars).toEqual([]);
  });

  it("asks for SIP Digest when the UE's Authorization says MD5, AKA for AKAv1-MD5, the user's default (Unknown) with no algorithm", async () => {
    const h = new Harness();
    await h.send(registerRequest({ impu: IMPU, authorization: initialAuthorization(IMPI, DOMAIN) }));
    await h.send(registerRequest({ impu: IMPU, authorization: initialAuthorization(IMPI, DOMAIN, "MD5") }));
    await h.send(registerRequest({ impu: IMPU, authorization: initialAuthorization(IMPI, DOMAIN, "AKAv1-MD5") }));
    await h.send(registerRequest({ impu: IMPU, authorization: initialAuthorization(IMPI, DOMAIN, "SHA-256") }));
    expect(h.cx.mars.map((m) => m.authData.scheme)).toEqual(["Unknown", "SIP Digest", "Digest-AKAv1-MD5", "Unknown"]);
  });

  it("derives the IMPI: username with @ as is, a bare user name + @realm", async () => {
    const h = new Harness();
    await h.send(registerRequest({ impu: IMPU, authorization: initialAuthorization("other@x.org", DOMAIN) }));
    await h.send(registerRequest({ impu: IMPU, authorization: initialAuthorization("a", DOMAIN) }));
    await h.send(registerRequest({ impu: "sip:b@domain.imsprovider.org;transport=udp" }));
    expect(h.cx.mars.map((m) => [m.userName, m.publicIdentity])).toEqual([
      ["other@x.org", IMPU],
      ["a@domain.imsprovider.org", IMPU],
      ["b@domain.imsprovider.org", "sip:b@domain.imsprovider.org"],
    ]);
  });

  it("registers on the right response (digest uri ≠ Request-URI): SAR REGISTRATION, 200 with Contact, Path, Service-Route, P-Associated-URI", async () => {
    const h = new Harness();
    const r = await h.registerMd5({
      path: ["<sip:term@pcscf1.domain.imsprovider.org:5060;lr>"],
      supported: "path",
      contacts: ["<sip:a@127.0.0.111:5566;transport=udp>;expires=600;+sip.instance=\"<urn:uuid:1>\""],
    });
    expect(r.status).toBe(200);
    expect(h.cx.sars).toEqual([
      {
        userName: IMPI,
        publicIdentities: [IMPU],
        serverName: SERVER_NAME,
        serverAssignmentType: SAT.REGISTRATION,
        userDataAlreadyAvailable: false,
      },
    ]);
    expect(headers(r, "Contact")).toEqual(['<sip:a@127.0.0.111:5566;transport=udp>;expires=600;+sip.instance="<urn:uuid:1>"']);
    expect(headers(r, "Path")).toEqual(["<sip:term@pcscf1.domain.imsprovider.org:5060;lr>"]);
    expect(header(r, "Service-Route")).toBe("<sip:orig@scscf1.domain.imsprovider.org:6060;lr>");
    expect(header(r, "P-Associated-URI")).toBe(`<${IMPU}>`);
    expect(header(r, "Supported")).toBe("path");
    expect(h.ctx.bindings.contacts(IMPU).map((b) => b.contact)).toEqual(["sip:a@127.0.0.111:5566;transport=udp"]);
  });

  it("leaves out Supported: path when the request did not have it", async () => {
    const h = new Harness();
    const r = await h.registerMd5();
    expect(r.status).toBe(200);
    expect(header(r, "Supported")).toBeUndefined();
  });

  it("re-registration is challenged again (nonces are single-use), then SAR RE_REGISTRATION with user data available", async () => {
    const h = new Harness();
    expect((await h.registerMd5()).status).toBe(200);
    expect((await h.registerMd5({ cseq: 3 })).status).toBe(200);
    expect(h.cx.mars).toHaveLength(2);
    expect(h.cx.sars.map((s) => [s.serverAssignmentType, s.userDataAlreadyAvailable])).toEqual([
      [SAT.REGISTRATION, false],
      [SAT.RE_REGISTRATION, true],
    ]);
  });

  it("a nonce answered twice is not accepted the second time: a new challenge with stale=true", async () => {
    const h = new Harness();
    const c = await h.send(registerRequest({ impu: IMPU }));
    const auth = answerChallenge(header(c, "WWW-Authenticate") ?? "", { username: IMPI, secret: "apass" });
    expect((await h.send(registerRequest({ impu: IMPU, cseq: 2, authorization: auth }))).status).toBe(200);
    const again = await h.send(registerRequest({ impu: IMPU, cseq: 3, authorization: auth }));
    expect(again.status).toBe(401);
    expect(readChallenge(header(again, "WWW-Authenticate") ?? "").stale).toBe("true");
  });

  it("a wrong response gets 403 and SAR AUTHENTICATION_FAILURE; nothing is bound", async () => {
    const h = new Harness();
    const r = await h.registerMd5({}, "wrong");
    expect(r.status).toBe(403);
    expect(r.reason).toMatch(/Authentication Failed/);
    expect(h.cx.sars.map((s) => [s.serverAssignmentType, s.userName, s.publicIdentities])).toEqual([
      [SAT.AUTHENTICATION_FAILURE, IMPI, [IMPU]],
    ]);
    expect(h.ctx.bindings.find(IMPU)).toBeUndefined();
  });

  it("an answer computed over another method or uri fails", async () => {
    const h = new Harness();
    const c = await h.send(registerRequest({ impu: IMPU }));
    const auth = answerChallenge(header(c, "WWW-Authenticate") ?? "", { username: IMPI, secret: "apass", method: "INVITE" });
    expect((await h.send(registerRequest({ impu: IMPU, cseq: 2, authorization: auth }))).status).toBe(403);
  });

  it("an answer naming another algorithm than the challenge's, or qop=auth without cnonce, fails", async () => {
    for (const mangle of [
      (a: string) => a.replace("algorithm=MD5", "algorithm=MD5-sess"),
      (a: string) => a.replace("algorithm=MD5", "algorithm=AKAv1-MD5"),
      (a: string) => a.replace(/, cnonce="[^"]*"/, ""),
    ]) {
      const h = new Harness();
      const c = await h.send(registerRequest({ impu: IMPU }));
      const auth = mangle(answerChallenge(header(c, "WWW-Authenticate") ?? "", { username: IMPI, secret: "apass" }));
      expect((await h.send(registerRequest({ impu: IMPU, cseq: 2, authorization: auth }))).status).toBe(403);
    }
  });

  it("a nonce issued for another IMPI is not accepted for this one", async () => {
    const h = new Harness();
    const c = await h.send(registerRequest({ impu: "sip:b@domain.imsprovider.org" }));
    const auth = answerChallenge(header(c, "WWW-Authenticate") ?? "", { username: IMPI, secret: "apass" });
    const r = await h.send(registerRequest({ impu: IMPU, cseq: 2, authorization: auth }));
    expect(r.status).toBe(401);
    expect(readChallenge(header(r, "WWW-Authenticate") ?? "").stale).toBeUndefined();
    expect(h.cx.sars).toEqual([]);
  });

  it("an answer after the nonce lifetime gets a new 401 with stale=true", async () => {
    const h = new Harness();
    const c = await h.send(registerRequest({ impu: IMPU }));
    h.clock.advance(31_000);
    const auth = answerChallenge(header(c, "WWW-Authenticate") ?? "", { username: IMPI, secret: "apass" });
    const r = await h.send(registerRequest({ impu: IMPU, cseq: 2, authorization: auth }));
    expect(r.status).toBe(401);
    expect(header(r, "WWW-Authenticate")).toMatch(/stale=true/);
    expect(h.cx.mars).toHaveLength(2);
  });
});

describe("HSS answers and failures", () => {
  it.each([
    [CX_EXPERIMENTAL_RESULT.ERROR_USER_UNKNOWN, 403, /Unknown User/],
    [CX_EXPERIMENTAL_RESULT.ERROR_IDENTITIES_DONT_MATCH, 403, /Identities/],
    [CX_EXPERIMENTAL_RESULT.ERROR_AUTH_SCHEME_NOT_SUPPORTED, 403, /Scheme/],
  ])("MAA %i → %i", async (code, status, reason) => {
    const h = new Harness();
    h.cx.onMar = () => ok(failedMaa(code));
    const r = await h.send(registerRequest({ impu: IMPU }));
    expect([r.status, r.reason]).toEqual([status, expect.stringMatching(reason)]);
    expect(h.ctx.challenges.size()).toBe(0);
  });

  it("HSS unreachable → 500 saying so; HSS timeout → 504; garbled answer → 500", async () => {
    const h = new Harness();
    h.cx.onMar = () => err({ tag: "cx-unreachable", reason: "no peer" });
    expect(await h.send(registerRequest({ impu: IMPU }))).toMatchObject({ status: 500, reason: "HSS Unreachable" });
    h.cx.onMar = () => err({ tag: "cx-timeout", reason: "5 s" });
    expect(await h.send(registerRequest({ impu: IMPU }))).toMatchObject({ status: 504, reason: "HSS Timeout" });
    h.cx.onMar = () => err({ tag: "cx-malformed", reason: "5005" });
    expect(await h.send(registerRequest({ impu: IMPU }))).toMatchObject({ status: 500, reason: "HSS Answer Malformed" });
  });

  it("a MAA without a vector or without HA1 → 500", async () => {
    const h = new Harness();
    h.cx.onMar = () => ok({ sessionId: "s", originHost: "h", originRealm: "r", result: cxSuccess, items: [] });
    expect((await h.send(registerRequest({ impu: IMPU }))).status).toBe(500);
    h.cx.onMar = () => ok({ sessionId: "s", originHost: "h", originRealm: "r", result: cxSuccess, items: [{ scheme: "SIP Digest" }] });
    expect((await h.send(registerRequest({ impu: IMPU }))).status).toBe(500);
  });

  it("a refused SAR → 403 and no binding; SAR without answer → 504", async () => {
    const h = new Harness();
    h.cx.onSar = () => ok(saa({ kind: "experimental", vendorId: 10415, code: CX_EXPERIMENTAL_RESULT.ERROR_USER_UNKNOWN }));
    expect((await h.registerMd5()).status).toBe(403);
    expect(h.ctx.bindings.find(IMPU)).toBeUndefined();
    h.cx.onSar = () => err({ tag: "cx-timeout", reason: "t" });
    expect((await h.registerMd5({ cseq: 5 })).status).toBe(504);
  });
});

describe("implicit registration set from the SAA's User-Data", () => {
  const userData = serializeUserData({
    privateId: IMPI,
    serviceProfiles: [
      {
        publicIdentities: [
          { identity: "sip:a@domain.imsprovider.org" },
          { identity: "tel:+1000" },
          { identity: "sip:barred@domain.imsprovider.org", barringIndication: true },
        ],
        initialFilterCriteria: [],
      },
    ],
  });

  it("P-Associated-URI lists the set (barred excluded, HSS order), every IMPU of it finds the bindings, User-Data kept", async () => {
    const h = new Harness();
    h.cx.onSar = () => ok(saa(cxSuccess, userData));
    const r = await h.registerMd5();
    expect(header(r, "P-Associated-URI")).toBe("<sip:a@domain.imsprovider.org>, <tel:+1000>");
    expect(h.ctx.bindings.contacts("tel:+1000")).toHaveLength(1);
    expect(h.ctx.bindings.find("sip:barred@domain.imsprovider.org")).toBeUndefined();
    expect(h.ctx.bindings.find(IMPU)?.userData).toBe(userData);
    expect(h.ctx.bindings.find(IMPU)?.subscription?.serviceProfiles[0]?.publicIdentities).toHaveLength(3);
  });

  it("keeps the stored User-Data on a re-registration whose SAA carries none; garbage User-Data → the IMPU alone", async () => {
    const h = new Harness();
    h.cx.onSar = () => ok(saa(cxSuccess, userData));
    await h.registerMd5();
    const parsed = h.ctx.bindings.find(IMPU)?.subscription;
    expect(parsed).toBeDefined();
    h.cx.onSar = () => ok(saa(cxSuccess));
    const r = await h.registerMd5({ cseq: 3 });
    expect(header(r, "P-Associated-URI")).toBe("<sip:a@domain.imsprovider.org>, <tel:+1000>");
    // the profile parsed at the first registration is kept as it is, not parsed again
    expect(h.ctx.bindings.find(IMPU)?.subscription).toBe(parsed);
    expect(h.ctx.bindings.find("tel:+1000")?.implicitSet).toEqual(["sip:a@domain.imsprovider.org", "tel:+1000"]);
    const h2 = new Harness();
    h2.cx.onSar = () => ok(saa(cxSuccess, "<not-xml"));
    expect(header(await h2.registerMd5(), "P-Associated-URI")).toBe(`<${IMPU}>`);
  });
});

describe("malformed REGISTERs", () => {
  it("answers 400 for a bad Authorization, a bad Contact, Contact * with Expires ≠ 0, a bad Expires", async () => {
    const h = new Harness();
    const bad = [
      registerRequest({ impu: IMPU, authorization: 'Digest username="a, realm=' }),
      registerRequest({ impu: IMPU, contacts: ["<sip:a@x;expires=abc"] }),
      registerRequest({ impu: IMPU, contacts: "*", expires: 3600 }),
      registerRequest({ impu: IMPU, expires: 3600, extra: [["Expires", "soon"]] }),
    ];
    for (const req of bad) expect((await h.send(req)).status).toBe(400);
    expect(h.cx.mars).toEqual([]);
  });

  it("Expires: one header, in any case, with digits only; a second one (even equal) or a bad value is 400", async () => {
    const h = new Harness();
    const bad = [
      registerRequest({ impu: IMPU, extra: [["Expires", "soon"]] }),
      registerRequest({ impu: IMPU, extra: [["Expires", "600"], ["expires", "600"]] }),
      registerRequest({ impu: IMPU, extra: [["EXPIRES", "60"], ["Allow", "INVITE"], ["Expires", " 60 "]] }),
      registerRequest({ impu: IMPU, extra: [["expires", "-1"]] }),
    ];
    for (const req of bad) expect((await h.send(req)).status).toBe(400);
    expect(h.cx.mars).toEqual([]);
    // One, in any case and with spaces around: read, so the REGISTER is challenged (MAR, 401).
    expect((await h.send(registerRequest({ impu: IMPU, extra: [["eXpires", " 600 "]] }))).status).toBe(401);
    expect(h.cx.mars).toHaveLength(1);
  });

  it("answers 400 for a missing To", async () => {
    const h = new Harness();
    const req = registerRequest({ impu: IMPU });
    req.headers = req.headers.filter((x) => x.name !== "To");
    expect((await h.send(req)).status).toBe(400);
  });

  it("a malformed AUTS gets 400", async () => {
    const h = new Harness();
    const auth = answerChallenge('Digest realm="r", nonce="AAAA"', { username: IMPI, secret: "x", auts: "!!" });
    expect((await h.send(registerRequest({ impu: IMPU, authorization: auth }))).status).toBe(400);
  });
});

describe("contacts per IMPU", () => {
  // 300 bindings made the 200 OK 300 Contact lines long: the I-CSCF's parser (256 lines) dropped it,
  // and every later REGISTER of the user, de-registration included, timed out with 408.
  const contact = (i: number, extra = "") => `<sip:a@127.0.0.${100 + i}:5566${extra}>`;

  it("refuses a REGISTER that would bind more than maxContacts (403, no SAR, bindings kept); refreshes and swaps still pass", async () => {
    const h = new Harness();
    const twenty = Array.from({ length: 20 }, (_, i) => contact(i));
    expect((await h.registerMd5({ contacts: twenty, cseq: 1 })).status).toBe(200);
    const sars = h.cx.sars.length;
    const over = await h.registerMd5({ contacts: [contact(20)], cseq: 10 });
    expect([over.status, over.reason]).toEqual([403, "Forbidden - more than 20 contacts"]);
    expect(h.cx.sars.length).toBe(sars);
    expect(h.ctx.bindings.contacts(IMPU)).toHaveLength(20);
    expect((await h.registerMd5({ contacts: [contact(0)], cseq: 20 })).status).toBe(200);
    const swap = await h.registerMd5({ contacts: [`${contact(0)};expires=0`, contact(20)], cseq: 30 });
    expect(swap.status).toBe(200);
    expect(h.ctx.bindings.contacts(IMPU)).toHaveLength(20);
    expect((await h.registerMd5({ contacts: "*", expires: 0, cseq: 40 })).status).toBe(200);
    expect(h.ctx.bindings.contacts(IMPU)).toEqual([]);
  });

  it("refuses contacts longer than maxContactBytes together; both limits come from the config", async () => {
    const h = new Harness();
    const long = [0, 1, 2].map((i) => contact(i, `;x=${"y".repeat(12_000)}`));
    const r = await h.registerMd5({ contacts: long, cseq: 1 });
    expect([r.status, r.reason]).toEqual([403, "Forbidden - contacts longer than 32768 octets together"]);
    expect(h.ctx.bindings.contacts(IMPU)).toEqual([]);
    const small = new Harness({ ...DEFAULT_LIMITS, maxContacts: 2 });
    expect((await small.registerMd5({ contacts: [contact(0), contact(1), contact(2)], cseq: 1 })).status).toBe(403);
  });
});

describe("several devices of one IMPI", () => {
  it("two REGISTERs challenged at once both succeed: a new challenge does not void the other's nonce", async () => {
    const h = new Harness();
    const c1 = await h.send(registerRequest({ impu: IMPU, callId: "dev1", contacts: ["<sip:a@127.0.0.111:5566>"] }));
    const c2 = await h.send(registerRequest({ impu: IMPU, callId: "dev2", contacts: ["<sip:a@127.0.0.112:5566>"] }));
    const answer = (c: typeof c1) => answerChallenge(header(c, "WWW-Authenticate") ?? "", { username: IMPI, secret: "apass" });
    const r1 = await h.send(registerRequest({ impu: IMPU, callId: "dev1", cseq: 2, contacts: ["<sip:a@127.0.0.111:5566>"], authorization: answer(c1) }));
    const r2 = await h.send(registerRequest({ impu: IMPU, callId: "dev2", cseq: 2, contacts: ["<sip:a@127.0.0.112:5566>"], authorization: answer(c2) }));
    expect([r1.status, r2.status]).toEqual([200, 200]);
    expect(headers(r2, "Contact")).toHaveLength(2);
  });
});

describe("the 401 challenge as written", () => {
  const asSerialized = (www: string, extra: Record<string, string | undefined>) => {
    const c = readChallenge(www);
    return serializeAuth(authHeader("Digest", { realm: c.realm, nonce: c.nonce, ...extra }), "challenge");
  };

  it("is what serializeAuth writes for the same parameters: realm quoted with its escapes, stale bare and last", async () => {
    const h = new Harness();
    const realm = 'odd "realm" \\ here';
    h.cx.onMar = () => ok(digestMaa(HA1, realm));
    const first = await h.send(registerRequest({ impu: IMPU }));
    const www = header(first, "WWW-Authenticate") ?? "";
    expect(readChallenge(www).realm).toBe(realm);
    expect(www).toBe(asSerialized(www, { algorithm: "MD5", qop: "auth" }));
    h.clock.advance(31_000);
    const auth = answerChallenge(www, { username: IMPI, secret: "apass" });
    const stale = header(await h.send(registerRequest({ impu: IMPU, cseq: 2, authorization: auth })), "WWW-Authenticate") ?? "";
    expect(stale).toBe(asSerialized(stale, { algorithm: "MD5", qop: "auth", stale: "true" }));
  });

  it("AKA: ck and ik quoted after qop, then stale", async () => {
    const h = new Harness();
    const v = { rand: Buffer.alloc(16, 1), autn: Buffer.alloc(16, 2), xres: Buffer.alloc(8, 3), ck: Buffer.alloc(16, 4), ik: Buffer.alloc(16, 5) };
    h.cx.onMar = () => ok(akaMaa(v));
    const first = await h.send(registerRequest({ impu: IMPU, authorization: initialAuthorization(IMPI, DOMAIN, "AKAv1-MD5") }));
    const www = header(first, "WWW-Authenticate") ?? "";
    const keys = { ck: "04".repeat(16), ik: "05".repeat(16) };
    expect(www).toBe(asSerialized(www, { algorithm: "AKAv1-MD5", qop: "auth", ...keys }));
    const unknown = answerChallenge(www.replace(/nonce="[^"]*"/, 'nonce="bm90LWlzc3VlZA=="'), { username: IMPI, secret: v.xres });
    const again = header(await h.send(registerRequest({ impu: IMPU, cseq: 2, authorization: unknown })), "WWW-Authenticate") ?? "";
    expect(again).toBe(asSerialized(again, { algorithm: "AKAv1-MD5", qop: "auth", ...keys, stale: "true" }));
  });
});
