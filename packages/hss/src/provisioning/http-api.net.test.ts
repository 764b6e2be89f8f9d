import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ok } from "@ims/runtime";
import { silentLogger } from "@ims/runtime";
import type { HssDb } from "../store/open-db.js";
import { testDatabases } from "../store/test-databases.js";
import { startProvisioningApi, type ProvisioningApi } from "./http-api.js";
import { applySeed, loadSeedFile } from "./seed.js";

const HOST = "127.4.1.1";
const TOKEN = "test-token-123";

describe.each(testDatabases())("provisioning REST API on $name", (target) => {
  let hss: HssDb & { cleanup(): Promise<void> };
  let api: ProvisioningApi;
  const changed: string[][] = [];
  const deregistered: string[] = [];
  let base = "";
  const call = async (method: string, path: string, body?: unknown, token = TOKEN) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: text === "" ? null : (JSON.parse(text) as Record<string, unknown>), text };
  };

  beforeAll(async () => {
    hss = await target.open();
    api = await startProvisioningApi({
      host: HOST,
      port: 0,
      token: TOKEN,
      hss,
      logger: silentLogger(),
      events: {
        profileChanged: (impus) => void changed.push([...impus]),
        deregister: (impu) => {
          deregistered.push(impu);
          return Promise.resolve(ok({ sent: true }));
        },
      },
    });
    base = `http://${HOST}:${api.port}`;
  });
  afterAll(async () => {
    await api.close();
    await hss.cleanup();
  });

  it("serves the OpenAPI document without a token and refuses other routes without one", async () => {
    const doc = (await (await fetch(`${base}/openapi.json`)).json()) as {
      openapi: string;
      paths: Record<string, { post: { requestBody: { content: Record<string, { schema: { properties: Record<string, { type: string }> } }> } } }>;
    };
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toContain("/impis/{identity}");
    expect(doc.paths["/subscribers"].post.requestBody.content["application/json"].schema.properties.impi.type).toBe("string");
    expect((await call("GET", "/impis", undefined, "wrong-token")).status).toBe(401);
    expect((await fetch(`${base}/impis`)).status).toBe(401);
    const page = await fetch(`${base}/`);
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(page.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(await page.text()).toContain("IMS HSS console");
  });

  it("loads config/subscribers.json idempotently, keeping SQNs", async () => {
    const seed = loadSeedFile(new URL("../../../../config/subscribers.json", import.meta.url).pathname);
    expect(await applySeed(hss, seed, silentLogger())).toBe(3);
    await hss.db.updateTable("impi").set({ sqn: "0000000000ff" }).where("identity", "=", "a@domain.imsprovider.org").execute();
    expect(await applySeed(hss, seed, silentLogger())).toBe(0);
    const a = await call("GET", "/impis/a%40domain.imsprovider.org");
    expect(a.body).toMatchObject({ sqn: "0000000000ff", amf: "8000", defaultScheme: "SIP Digest", hasSecret: true });
    const c = await call("GET", "/impis/c@domain.imsprovider.org");
    expect(c.body).toMatchObject({ hasK: true, hasOp: true, defaultScheme: "Digest-AKAv1-MD5" });
  });

  it("adds a subscriber in one call and never returns its secrets", async () => {
    const r = await call("POST", "/subscribers", {
      impi: "d@domain.imsprovider.org",
      impus: ["sip:d@domain.imsprovider.org", "tel:+15550100"],
      secret: "dsecret-value",
      k: "000102030405060708090a0b0c0d0e0f",
      opc: "0f0e0d0c0b0a09080706050403020100",
      sqn: "000000000040",
    });
    expect(r.status).toBe(201);
    for (const path of ["/impis", "/impis/d@domain.imsprovider.org", "/subscriptions/d@domain.imsprovider.org", "/impus"]) {
      const g = await call("GET", path);
      expect(g.status).toBe(200);
      expect(g.text).not.toMatch(/dsecret-value|000102030405060708090a0b0c0d0e0f|0f0e0d0c0b0a0908/);
    }
    const u = await call("GET", "/impus/tel:+15550100");
    expect(u.body).toMatchObject({ implicitSet: ["sip:d@domain.imsprovider.org", "tel:+15550100"], registrationState: "NOT_REGISTERED" });
    expect((await call("POST", "/subscribers", { impi: "d@domain.imsprovider.org", impus: ["sip:x@y"], secret: "x" })).status).toBe(409);
    // the failed add left nothing behind (one transaction)
    expect((await call("GET", "/impus/sip:x@y")).status).toBe(404);
  });

  it("answers a body that is not application/json with 415, and a body over the limit with 413 and a closed connection", async () => {
    // Both were parsed or half-read before: a text/plain body was accepted as JSON, and after a 413 the
    // next request on the same keep-alive connection failed with ECONNRESET.
    const post = (headers: Record<string, string>, body: string) =>
      fetch(`${base}/subscribers`, { method: "POST", headers: { authorization: `Bearer ${TOKEN}`, ...headers }, body });
    const plain = await post({ "content-type": "text/plain" }, JSON.stringify({ impi: "ct@x", impus: ["sip:ct@x"], secret: "s" }));
    expect(plain.status).toBe(415);
    expect(await plain.json()).toMatchObject({ error: "unsupported-media-type" });
    expect((await post({}, "{}")).status).toBe(415);
    expect((await post({ "content-type": "application/json; charset=utf-8" }, "{}")).status).toBe(422);
    expect((await call("GET", `/impis/${encodeURIComponent("ct@x")}`)).status).toBe(404);
    const huge = await post({ "content-type": "application/json" }, JSON.stringify({ impi: "x".repeat(1024 * 1024) }));
    expect(huge.status).toBe(413);
    expect(huge.headers.get("connection")).toBe("close");
    await huge.text();
    expect((await call("GET", "/impis")).status).toBe(200);
  });

  it("validates bodies and names the wrong key", async () => {
    const bad = await call("POST", "/impis", { identity: "e@x", subscription: "d@domain.imsprovider.org", secret: "s", amf: "80" });
    expect(bad.status).toBe(422);
    expect(String(bad.body?.["reason"])).toContain("amf");
    expect((await call("POST", "/impis", "{not json")).status).toBe(400);
    expect((await call("POST", "/impis", [])).status).toBe(422);
    expect((await call("POST", "/subscriptions", { name: "s", extra: 1 })).status).toBe(422);
    expect((await call("GET", "/nothing")).status).toBe(404);
    expect((await call("PATCH", "/subscriptions")).status).toBe(405);
  });

  it("does CRUD on application servers, profiles and iFCs and announces profile changes", async () => {
    expect((await call("POST", "/application-servers", { name: "tas", serverName: "sip:tas.example:5070", defaultHandling: 1 })).status).toBe(201);
    expect((await call("POST", "/service-profiles", { name: "gold" })).status).toBe(201);
    const ifc = await call("PUT", "/service-profiles/gold/ifcs/orig-invite", {
      priority: 0,
      applicationServer: "tas",
      profilePartIndicator: 0,
      triggerPoint: {
        conditionTypeCnf: true,
        spt: [
          { group: [0], condition: { kind: "method", method: "INVITE" } },
          { group: [1], condition: { kind: "sessionCase", sessionCase: 0 } },
          { group: [2], conditionNegated: true, condition: { kind: "sipHeader", header: "Subject", content: "x" } },
        ],
      },
    });
    expect(ifc.status).toBe(200);
    const sp = await call("GET", "/service-profiles/gold");
    expect((sp.body?.["ifcs"] as unknown[])[0]).toMatchObject({ name: "orig-invite", applicationServer: "tas" });
    const patch = await call("PATCH", "/impus/sip:d@domain.imsprovider.org", { serviceProfile: "gold", barring: false });
    expect(patch.status).toBe(200);
    expect(changed.at(-1)).toEqual(["sip:d@domain.imsprovider.org", "tel:+15550100"]);
    expect((await call("DELETE", "/application-servers/tas")).status).toBe(409);
    expect((await call("GET", "/service-profiles/gold/ifcs/orig-invite")).body).toMatchObject({ priority: 0, profilePartIndicator: 0 });
    expect((await call("GET", "/service-profiles/gold/ifcs/nope")).status).toBe(404);
    const before = changed.length;
    expect((await call("PUT", "/application-servers/tas", { name: "tas", serverName: "sip:tas.example:5071" })).status).toBe(200);
    expect(changed.length).toBe(before + 1);
    expect(changed.at(-1)).toContain("sip:d@domain.imsprovider.org");
    expect((await call("DELETE", "/service-profiles/gold/ifcs/orig-invite")).status).toBe(204);
    expect((await call("PUT", "/application-servers/tas", { name: "tas", serverName: "sip:tas2.example" })).status).toBe(200);
    expect((await call("GET", "/application-servers/tas")).body).toMatchObject({ serverName: "sip:tas2.example", defaultHandling: 0 });
    expect((await call("PUT", "/capability-sets/caps", { mandatory: [1] })).status).toBe(200);
    expect((await call("PUT", "/subscriptions/d@domain.imsprovider.org", { name: "d@domain.imsprovider.org", capabilitySet: "caps" })).status).toBe(200);
    expect((await call("DELETE", "/capability-sets/caps")).status).toBe(204);
    expect((await call("GET", "/subscriptions/d@domain.imsprovider.org")).body).toMatchObject({ capabilitySet: null });
    expect((await call("PUT", "/charging-infos/ci", { priCcf: "aaa://ccf" })).status).toBe(200);
    expect((await call("DELETE", "/charging-infos/ci")).status).toBe(204);
    expect((await call("DELETE", "/charging-infos/ci")).status).toBe(404);
  });

  it("reads registration state, de-registers through the Cx side and deletes", async () => {
    const reg = await call("GET", "/impus/sip:d@domain.imsprovider.org/registration");
    expect(reg.body).toEqual({ identity: "sip:d@domain.imsprovider.org", state: "NOT_REGISTERED", scscfName: null });
    expect((await call("POST", "/impus/sip:d@domain.imsprovider.org/deregister")).body).toEqual({ sent: true });
    expect(deregistered).toEqual(["sip:d@domain.imsprovider.org"]);
    expect((await call("GET", "/registrations")).body).toEqual([]);
    expect((await call("PATCH", "/impis/d@domain.imsprovider.org", { sqn: "000000000100", defaultScheme: "Digest-AKAv1-MD5" })).body).toMatchObject({ sqn: "000000000100" });
    expect((await call("DELETE", "/subscriptions/d@domain.imsprovider.org")).status).toBe(204);
    expect((await call("GET", "/impis/d@domain.imsprovider.org")).status).toBe(404);
  });
});
