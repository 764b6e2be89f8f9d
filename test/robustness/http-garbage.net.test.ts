/**
 * Garbage to the HSS provisioning API: missing or wrong token, invalid JSON, a wrong content type,
 * bad K/OP, huge and deeply nested bodies, broken URL encoding. Each gets a 4xx whose JSON body
 * names the problem (the field, for validation), never a 500 or a stack trace, never a secret; the
 * stored subscribers are unchanged and still register.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type InProcessLab, startInProcessLab, testLabConfig } from "../support/in-process-lab.js";
import { ScriptedUe } from "../support/scripted-ue.js";

const NET = 63;
let lab: InProcessLab;
let ueAddress = 111;

beforeAll(async () => {
  lab = await startInProcessLab(testLabConfig(NET), undefined, { recordWire: false });
});
afterAll(async () => lab?.stop());

const base = (): string => `http://${lab.config.hss.address}:${lab.config.hss.httpPort}`;
const auth = (): Record<string, string> => ({ authorization: `Bearer ${lab.config.hss.token}` });
const json = { "content-type": "application/json" };
const D = "domain.imsprovider.org";

interface Answer {
  status: number;
  body: { error?: string; reason?: string };
  text: string;
}

async function call(method: string, path: string, headers: Record<string, string>, body?: string | Buffer): Promise<Answer> {
  const res = await fetch(`${base()}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
  const text = await res.text();
  let parsed: Answer["body"] = {};
  try {
    parsed = JSON.parse(text) as Answer["body"];
  } catch {
    parsed = {};
  }
  return { status: res.status, body: parsed, text };
}

/** A clear error: the status, a JSON body with error and reason, no stack trace, no secret. */
function expectClear(a: Answer, status: number, reason?: RegExp): void {
  expect(a.status, a.text).toBe(status);
  expect(typeof a.body.error, a.text).toBe("string");
  expect(typeof a.body.reason, a.text).toBe("string");
  if (reason !== undefined) expect(a.body.reason).toMatch(reason);
  expect(a.text).not.toMatch(/\n\s+at |\.ts:\d+|\.js:\d+/);
  for (const secret of [lab.config.hss.token, "apass", "bpass"]) expect(a.text).not.toContain(secret);
}

const subscriber = (extra: Record<string, unknown>): string =>
  JSON.stringify({ impi: `robot@${D}`, impus: [`sip:robot@${D}`], secret: "robotpass", ...extra });

async function registers(user: string, password: string): Promise<number> {
  const p = lab.config.pcscf[0]!;
  const ue = await ScriptedUe.start({ address: `127.5.${NET}.${ueAddress++}`, port: 5566, domain: lab.config.domain, user, password, proxy: p });
  try {
    return (await ue.register()).final.status;
  } finally {
    await ue.stop();
  }
}

describe("HTTP garbage to the running HSS provisioning API", () => {
  let before = "";
  it("records the stored identities first", async () => {
    const impis = await call("GET", "/impis", auth());
    expect(impis.status).toBe(200);
    before = impis.text + (await call("GET", "/impus", auth())).text;
    expect(before).toContain(`a@${D}`);
  });

  it("no token, a wrong token, a token of another length, another scheme: 401", async () => {
    const body = subscriber({});
    expectClear(await call("POST", "/subscribers", json, body), 401);
    expectClear(await call("POST", "/subscribers", { ...json, authorization: "Bearer lab-admin-tokeN" }, body), 401);
    expectClear(await call("POST", "/subscribers", { ...json, authorization: `Bearer ${lab.config.hss.token}x` }, body), 401);
    expectClear(await call("GET", "/impis", { authorization: `Basic ${Buffer.from(`admin:${lab.config.hss.token}`).toString("base64")}` }), 401);
    expectClear(await call("GET", "/impis", { authorization: "Bearer" }), 401);
  });

  it("invalid JSON, a JSON array, deep nesting: 400/422 naming the problem", async () => {
    expectClear(await call("POST", "/subscribers", { ...auth(), ...json }, '{"impi": "x@y", '), 400, /JSON/);
    expectClear(await call("POST", "/subscribers", { ...auth(), ...json }, "\u0000\u0001\u0002"), 400, /JSON/);
    expectClear(await call("POST", "/subscribers", { ...auth(), ...json }, "[1,2,3]"), 422, /object/);
    const deep = "[".repeat(100_000) + "]".repeat(100_000);
    const a = await call("POST", "/subscribers", { ...auth(), ...json }, deep);
    expect([400, 422]).toContain(a.status);
    expectClear(a, a.status);
  });

  it("a wrong content type: 415", async () => {
    expectClear(await call("POST", "/subscribers", { ...auth(), "content-type": "text/plain" }, subscriber({})), 415, /content-type/i);
    expectClear(await call("POST", "/subscribers", { ...auth(), "content-type": "application/x-www-form-urlencoded" }, "impi=robot"), 415, /content-type/i);
    expectClear(await call("POST", "/subscribers", auth(), subscriber({})), 415, /content-type/i);
  });

  it("a subscriber with a bad K, OP, AMF or SQN: 422 naming the field", async () => {
    const h = { ...auth(), ...json };
    expectClear(await call("POST", "/subscribers", h, subscriber({ k: "zz".repeat(16) })), 422, /\bk\b/);
    expectClear(await call("POST", "/subscribers", h, subscriber({ k: "00".repeat(15) })), 422, /\bk\b/);
    expectClear(await call("POST", "/subscribers", h, subscriber({ k: "00".repeat(17) })), 422, /\bk\b/);
    expectClear(await call("POST", "/subscribers", h, subscriber({ op: "not hex" })), 422, /\bop\b/);
    expectClear(await call("POST", "/subscribers", h, subscriber({ amf: "80000" })), 422, /\bamf\b/);
    expectClear(await call("POST", "/subscribers", h, subscriber({ sqn: -1 })), 422, /\bsqn\b/);
    expectClear(await call("POST", "/subscribers", h, subscriber({ impus: ["not-a-uri"] })), 422, /impus/);
    expectClear(await call("POST", "/subscribers", h, subscriber({ __proto__: { admin: true }, extra: 1 })), 422);
    // The same on an existing IMPI: its K stays as it was.
    expectClear(await call("PATCH", `/impis/${encodeURIComponent(`a@${D}`)}`, h, JSON.stringify({ k: "xyz" })), 422, /\bk\b/);
  });

  it("a huge body: 413, and the next request on a fresh connection is served", async () => {
    const huge = subscriber({ displayName: "x".repeat(2 * 1024 * 1024) });
    for (let i = 0; i < 3; i++) {
      expectClear(await call("POST", "/subscribers", { ...auth(), ...json }, huge), 413, /body over/);
      expect((await call("GET", "/impis", auth())).status).toBe(200);
    }
  });

  it("broken URL encoding and unknown routes: 400 / 404 / 405", async () => {
    expectClear(await call("GET", "/impis/%E0%A4%A", auth()), 400, /encoding/);
    expectClear(await call("GET", "/nothing/here", auth()), 404);
    expectClear(await call("PUT", "/impis", { ...auth(), ...json }, "{}"), 405);
  });

  it("stored data unchanged: same identities, and the default users still register", async () => {
    const after = (await call("GET", "/impis", auth())).text + (await call("GET", "/impus", auth())).text;
    expect(after).toBe(before);
    expect(await registers("a", "apass")).toBe(200);
    expect(await registers("b", "bpass")).toBe(200);
  });
});
