import { Writable } from "node:stream";
import { createLogger } from "@ims/runtime";
import {
  buildRequest,
  getAuthHeaders,
  getHeader,
  getHeaders,
  getPChargingVector,
  getPVisitedNetworkIds,
  getVias,
} from "@ims/sip";
import { describe, expect, it } from "vitest";
import { registerTarget } from "./register.js";
import { CK, DOMAIN, IK, SERVICE_ROUTE, harness } from "./testing/harness.js";

const A = { ue: "127.5.3.111", pcscf: "127.5.3.33", icscf: "127.5.3.55" };

describe("P-CSCF REGISTER towards the I-CSCF", () => {
  it("adds Path, Supported/Require: path, P-Visited-Network-ID and P-Charging-Vector; no Record-Route, no Route", async () => {
    const t = harness(A);
    await t.register();
    const req = t.atIcscf[0]!;
    expect(req.uri).toBe(`sip:${DOMAIN}`);
    expect(t.resolved).toEqual([DOMAIN]);
    expect(getHeaders(req, "path")).toEqual([`<sip:term@${A.pcscf}:5060;lr>`]);
    expect(getHeaders(req, "supported")).toContain("path");
    expect(getHeaders(req, "require")).toEqual(["path"]);
    expect(getPVisitedNetworkIds(req)?.map((v) => v.value)).toEqual([DOMAIN]);
    const pcv = getPChargingVector(req);
    expect(pcv?.icidValue).toBe("icid-1");
    expect(pcv?.origIoi).toBe(DOMAIN);
    expect(pcv?.icidGeneratedAt).toBe(A.pcscf);
    expect(getHeaders(req, "record-route")).toEqual([]);
    expect(getHeaders(req, "route")).toEqual([]);
    const vias = getVias(req) ?? [];
    expect(vias.map((v) => v.host)).toEqual([A.pcscf, A.ue]);
  });

  it("removes the trust-domain headers a UE sent and does not repeat path in Supported", async () => {
    const t = harness(A);
    await t.register({
      extra: [
        ["P-Asserted-Identity", "<sip:boss@domain.imsprovider.org>"],
        ["P-Charging-Vector", "icid-value=forged;orig-ioi=evil"],
        ["P-Visited-Network-ID", '"evil.net"'],
        ["Path", "<sip:evil.example.com;lr>"],
        ["Supported", "path, gruu"],
        ["Security-Client", "ipsec-3gpp; alg=hmac-sha-1-96; spi-c=1111; spi-s=2222; port-c=5062; port-s=5064"],
      ],
    });
    const req = t.atIcscf[0]!;
    expect(getHeaders(req, "security-client")).toEqual([]);
    expect(getHeaders(req, "p-asserted-identity")).toEqual([]);
    expect(getHeaders(req, "p-charging-vector")).toHaveLength(1);
    expect(getPChargingVector(req)?.icidValue).toBe("icid-1");
    expect(getPVisitedNetworkIds(req)?.map((v) => v.value)).toEqual([DOMAIN]);
    expect(getHeaders(req, "path")).toEqual([`<sip:term@${A.pcscf}:5060;lr>`]);
    expect(getHeaders(req, "supported")).toEqual(["path, gruu"]);
  });

  it("reads path in Supported and Require in any case and compact form; a malformed line counts as no path", async () => {
    const cases: { extra: [string, string][]; supported: string[]; require: string[] }[] = [
      { extra: [["k", "gruu, PATH"], ["Require", "Path"]], supported: ["gruu, PATH"], require: ["Path"] },
      { extra: [["Supported", "gruu"], ["Supported", "pAtH"]], supported: ["gruu", "pAtH"], require: ["path"] },
      { extra: [["Supported", "path"], ["Supported", "path,,gruu"]], supported: ["path", "path,,gruu", "path"], require: ["path"] },
      { extra: [["Supported", "paths, pat"], ["Require", "pa th, path"]], supported: ["paths, pat", "path"], require: ["pa th, path", "path"] },
    ];
    for (const c of cases) {
      const t = harness(A);
      await t.register({ extra: c.extra });
      const req = t.atIcscf[0]!;
      expect(getHeaders(req, "supported"), JSON.stringify(c.extra)).toEqual(c.supported);
      expect(getHeaders(req, "require"), JSON.stringify(c.extra)).toEqual(c.require);
    }
  });

  it("advertises the configured host in Via and Path and the configured visited network", async () => {
    const t = harness(A, { advertisedHost: "192.168.1.20", visitedNetworkId: "visited.example.net" });
    await t.register();
    const req = t.atIcscf[0]!;
    expect(getVias(req)?.[0]?.host).toBe("192.168.1.20");
    expect(getHeaders(req, "path")).toEqual(["<sip:term@192.168.1.20:5060;lr>"]);
    expect(getPVisitedNetworkIds(req)?.[0]?.value).toBe("visited.example.net");
    expect(getPChargingVector(req)?.origIoi).toBe("visited.example.net");
  });

  it("sends to the configured I-CSCF without resolving the domain", async () => {
    const t = harness(A, { icscfUri: `sip:${A.icscf}:4060` });
    const res = await t.register();
    expect(res.status).toBe(401);
    expect(t.resolved).toEqual([A.icscf]);
    expect(t.atIcscf[0]?.uri).toBe(`sip:${DOMAIN}`);
  });

  it("rewrites a Request-URI naming the P-CSCF to the home domain", async () => {
    for (const uri of [`sip:${A.pcscf}`, `sip:pcscf1.${DOMAIN}:5060`]) {
      const t = harness(A);
      expect((await t.register({ uri })).status).toBe(401);
      expect(t.atIcscf[0]?.uri).toBe(`sip:${DOMAIN}`);
    }
  });

  it("tells where a REGISTER goes from its Request-URI, the home domain's own spelling included", () => {
    const at = (uri: string, options: Parameters<typeof harness>[1] = {}) => registerTarget(uri, harness(A, options).pcscf.context);
    expect(at(`sip:${DOMAIN}`)).toEqual({ ok: true });
    expect(at(`sip:${DOMAIN.toUpperCase()}`)).toEqual({ ok: true });
    expect(at(`sips:${DOMAIN}`)).toEqual({ ok: true });
    expect(at(`sip:${DOMAIN};transport=tcp`)).toEqual({ ok: true });
    expect(at(`sip:${A.pcscf}`)).toEqual({ ok: true, uri: `sip:${DOMAIN}` });
    expect(at(`sip:a@${DOMAIN}`)).toMatchObject({ ok: false, status: 404 });
    expect(at(`tel:+34600000001`)).toMatchObject({ ok: false, status: 404 });
    expect(at("sip:other.example.net")).toMatchObject({ ok: false, status: 403 });
    expect(at("sip:Domain.Example", { domain: "Domain.Example" })).toEqual({ ok: true });
    expect(at("sip:domain.example", { domain: "Domain.Example" })).toEqual({ ok: true });
    // a configured domain that is no SIP host: its sip: text is judged as any other Request-URI
    expect(at("sip:a@b", { domain: "a@b" })).toMatchObject({ ok: false, status: 404 });
    expect(at("sip:a;b", { domain: "a;b" })).toMatchObject({ ok: false, status: 403 });
  });

  it("refuses a foreign domain with 403 and a user in the Request-URI with 404, forwarding nothing", async () => {
    const t = harness(A);
    const foreign = await t.register({ uri: "sip:other.example.net" });
    expect([foreign.status, foreign.reason]).toEqual([403, "Forbidden - other.example.net is not the home domain of this P-CSCF"]);
    const user = await t.register({ uri: `sip:a@${DOMAIN}` });
    expect(user.status).toBe(404);
    expect(t.atIcscf).toHaveLength(0);
  });

  it("answers a malformed REGISTER with 400 (Contact * without Expires 0, broken Authorization)", async () => {
    const t = harness(A);
    const star = await t.register({ contact: "*" });
    expect([star.status, star.reason]).toEqual([400, "Invalid Contact *"]);
    const auth = await t.register({ extra: [["Authorization", 'Digest username="a']] });
    expect(auth.status).toBe(400);
    expect(t.atIcscf).toHaveLength(0);
  });

  it("refuses sec-agree in Proxy-Require with 420 (no IPsec yet), so the UE can retry without it", async () => {
    const t = harness(A);
    const res = await t.register({ extra: [["Proxy-Require", "sec-agree"], ["Require", "sec-agree"]] });
    expect(res.status).toBe(420);
    expect(getHeaders(res, "unsupported")).toEqual(["sec-agree"]);
    expect(t.atIcscf).toHaveLength(0);
  });

  it("registers through an I-CSCF found at once or later by the resolver, and answers 500 when the resolver throws", async () => {
    const icscf = { transport: "udp", address: A.icscf, port: 4060 } as const;
    for (const resolver of [() => icscf, () => Promise.resolve(icscf), () => new Promise<typeof icscf>((r) => setTimeout(() => r(icscf), 1))]) {
      const t = harness(A, { resolver });
      const { challenge, ok } = await t.registerFully();
      expect([challenge.status, ok.status]).toEqual([401, 200]);
      expect(t.pcscf.context.registrations.forAor(`sip:a@${DOMAIN}`)).toHaveLength(1);
    }
    const t = harness(A, {
      resolver: () => {
        throw new Error("resolver bug");
      },
    });
    expect((await t.register()).status).toBe(500);
    expect(t.atIcscf).toEqual([]);
  });

  it("answers 503 when the I-CSCF cannot be resolved", async () => {
    for (const resolver of [() => undefined, () => Promise.resolve(undefined), () => Promise.reject(new Error("SERVFAIL"))]) {
      const t = harness(A, { resolver });
      const res = await t.register();
      expect([res.status, res.reason]).toEqual([503, "Service Unavailable - I-CSCF not resolvable"]);
    }
  });
});

describe("P-CSCF challenge", () => {
  it("removes ck and ik from the 401 before the UE sees it and keeps them for the registration", async () => {
    const t = harness(A);
    const res = await t.register();
    expect(res.status).toBe(401);
    const www = getHeader(res, "www-authenticate") ?? "";
    expect(www).not.toMatch(/\b(ck|ik)=/);
    expect(www).not.toContain(CK);
    const ch = getAuthHeaders(res, "www-authenticate")?.[0];
    expect(ch?.params.get("nonce")).toBe("bm9uY2U=");
    expect(ch?.params.get("algorithm")).toBe("AKAv1-MD5");
    const keys = t.pcscf.context.keys.get(`sip:a@${DOMAIN}|udp:${A.ue}:5566`);
    expect(keys?.reveal()).toEqual({ ck: CK, ik: IK });
    expect(JSON.stringify({ keys })).not.toContain(CK);
  });

  it("drops the keys of a challenge nobody answered", async () => {
    const t = harness(A);
    await t.register();
    expect(t.pcscf.context.keys.size()).toBe(1);
    t.clock.advance(60_000);
    expect(t.pcscf.context.keys.size()).toBe(0);
  });

  it("never logs the keys, the nonce or the credentials", async () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (c, _e, cb) => (lines.push(String(c)), cb()) });
    const t = harness(A, {}, createLogger({ level: "debug", destination: sink }));
    await t.registerFully();
    const all = lines.join("");
    expect(lines.length).toBeGreaterThan(0);
    for (const secret of [CK, IK, "bm9uY2U=", 'response="00"']) expect(all).not.toContain(secret);
  });
});

describe("P-CSCF registration state", () => {
  const impu = `sip:a@${DOMAIN}`;

  it("keeps the registration of the 200: IMPUs, Service-Route, contact and where the UE really is", async () => {
    const t = harness(A);
    // The Contact names a private address (behind NAT): the P-CSCF keeps the real source.
    const { ok } = await t.registerFully({ contact: "<sip:a@10.0.0.5:5060>", expires: 600 });
    expect(ok.status).toBe(200);
    const stored = t.pcscf.context.registrations.forAor(impu);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      contact: "sip:a@10.0.0.5:5060",
      transport: "udp",
      address: A.ue,
      port: 5566,
      impus: [impu, "tel:+34600000001"],
      serviceRoute: [SERVICE_ROUTE],
      expiresAt: 600_000,
    });
    expect(t.pcscf.context.registrations.fromSource("udp", A.ue, 5566)).toHaveLength(1);
    expect(t.pcscf.context.keys.get(`${impu}|udp:${A.ue}:5566`)).toBeDefined();
  });

  it("stores nothing on the 401 and changes nothing on a failed re-REGISTER", async () => {
    const t = harness(A);
    await t.register();
    expect(t.pcscf.context.registrations.size()).toBe(0);
    await t.registerFully({ expires: 600 });
    t.setIcscfAnswer((ctx) => ctx.respond(403, { reason: "Forbidden" }));
    const res = await t.register({ auth: true, expires: 0 });
    expect(res.status).toBe(403);
    expect(t.pcscf.context.registrations.size()).toBe(1);
  });

  it("forgets the registration and its keys on a de-registration 200", async () => {
    const t = harness(A);
    await t.registerFully({ expires: 600 });
    const res = await t.register({ auth: true, expires: 0 });
    expect(res.status).toBe(200);
    expect(t.pcscf.context.registrations.size()).toBe(0);
    expect(t.pcscf.context.keys.size()).toBe(0);
  });

  it("forgets every contact on Contact: * with Expires: 0", async () => {
    const t = harness(A);
    await t.registerFully({ expires: 600 });
    await t.registerFully({ expires: 600, contact: `<sip:a2@${A.ue}:5566>` });
    // the fake registrar's 200 lists only the contact just registered: the first one is gone
    expect(t.pcscf.context.registrations.forAor(`sip:a@${DOMAIN}`).map((r) => r.contact)).toEqual([`sip:a2@${A.ue}:5566`]);
    const res = await t.register({ auth: true, contact: "*", expires: 0 });
    expect(res.status).toBe(200);
    expect(t.pcscf.context.registrations.size()).toBe(0);
  });

  it("forgets a contact de-registered with expires=0", async () => {
    const t = harness(A);
    await t.registerFully({ expires: 600 });
    await t.register({ auth: true, contact: `<sip:a@${A.ue}:5566>;expires=0` });
    expect(t.pcscf.context.registrations.size()).toBe(0);
  });

  it("forgets the registration when it expires, and a refresh re-arms it", async () => {
    const t = harness(A);
    await t.registerFully({ expires: 600 });
    t.clock.advance(300_000);
    await t.register({ auth: true, expires: 600 });
    t.clock.advance(599_000);
    expect(t.pcscf.context.registrations.size()).toBe(1);
    t.clock.advance(1_000);
    expect(t.pcscf.context.registrations.size()).toBe(0);
    expect(t.pcscf.context.keys.size()).toBe(0);
  });

  it("keeps a UE that registered over TCP by its TCP source", async () => {
    const t = harness(A);
    await t.registerFully({ expires: 600, transport: "tcp" });
    expect(t.pcscf.context.registrations.fromSource("tcp", A.ue, 5566)).toHaveLength(1);
    expect(t.pcscf.context.registrations.fromSource("udp", A.ue, 5566)).toHaveLength(0);
  });

  it("refuses a new UE with 503 when the registration table is full", async () => {
    const t = harness(A, { registration: { maxRegistrations: 1 } });
    await t.registerFully({ expires: 600 });
    // the same UE may still refresh
    expect((await t.register({ auth: true, expires: 600 })).status).toBe(200);
    // another UE takes the only place
    const other = `sip:x@${DOMAIN}`;
    const mine = t.pcscf.context.registrations.forAor(impu)[0]!;
    t.pcscf.context.registrations.remove(impu, mine.contact);
    t.pcscf.context.registrations.save({ ...mine, aor: other, contact: "sip:x@127.5.3.1", address: "127.5.3.1" });
    expect(t.pcscf.context.registrations.size()).toBe(1);
    const res = await t.register({ auth: true, expires: 600 });
    expect(res.status).toBe(503);
  });
});

describe("P-CSCF requests other than REGISTER", () => {
  it("answers an INVITE from a UE that is not registered with 403", async () => {
    const t = harness(A);
    const res = await t.ue.sendRequest(
      buildRequest({ method: "INVITE", uri: `sip:b@${DOMAIN}`, from: `<sip:a@${DOMAIN}>`, to: `<sip:b@${DOMAIN}>`, contact: `<sip:a@${A.ue}:5566>` }),
      { destination: t.toP },
    );
    expect([res.status, res.reason]).toEqual([403, "Forbidden - not registered"]);
  });
});
