/**
 * Initial filter criteria on a call (TS 24.229 §5.4.3.2, TS 29.228 Annex B): an iFC provisioned
 * over the HSS REST API sends a's originating INVITEs to a test AS, which proxies them back to the
 * S-CSCF with the ODI Route; the call then goes on to b as usual.
 */
import { systemClock } from "@ims/runtime";
import { dnsResolver } from "@ims/lab";
import { getValue } from "@ims/diameter";
import { getHeader } from "@ims/sip";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CallUe } from "../support/call-ue.js";
import { TestAs } from "../support/test-as.js";
import { diameterHops } from "../support/wire.js";
import { type CallLab, routeList, startCallLab } from "./call-lab.js";


const NET = 43;
const DOMAIN = "domain.imsprovider.org";
let c: CallLab;
let as: TestAs;
let a: CallUe;
let b: CallUe;

async function rest(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const h = c.lab.config.hss;
  const res = await fetch(`http://${h.address}:${h.httpPort}${path}`, {
    method,
    headers: { authorization: `Bearer ${h.token}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: await res.json().catch(() => undefined) };
}

beforeAll(async () => {
  c = await startCallLab(NET);
  as = await TestAs.start({
    address: `127.5.${NET}.99`,
    port: 5099,
    resolver: dnsResolver(c.lab.config.dns, systemClock, `127.5.${NET}.99`),
    mark: ["X-Test-AS", "visited"],
  });
  const steps: [string, string, unknown][] = [
    ["POST", "/application-servers", { name: "test-as", serverName: as.uri, defaultHandling: 0 }],
    ["POST", "/service-profiles", { name: "with-as" }],
    [
      "PUT",
      "/service-profiles/with-as/ifcs/invite-orig",
      {
        priority: 0,
        applicationServer: "test-as",
        // DNF, one group: method INVITE AND session case ORIGINATING_REGISTERED (0)
        triggerPoint: {
          conditionTypeCnf: false,
          spt: [
            { group: [0], condition: { kind: "method", method: "INVITE" } },
            { group: [0], condition: { kind: "sessionCase", sessionCase: 0 } },
          ],
        },
      },
    ],
    ["PATCH", `/impus/${encodeURIComponent(`sip:a@${DOMAIN}`)}`, { serviceProfile: "with-as" }],
  ];
  for (const [method, path, body] of steps) {
    const r = await rest(method, path, body);
    if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
  }
  a = await c.registered("a", "apass");
  b = await c.registered("b", "bpass");
});
afterAll(async () => {
  await as?.stop();
  await c?.stop();
});

describe("iFC: originating INVITE through an application server", () => {
  it("the S-CSCF sends a's INVITE to the AS with the ODI Route, the AS sends it back, b answers", async () => {
    const { final, dialog, call } = await a.call(`sip:b@${DOMAIN}`);
    expect(final.status).toBe(200);
    const callId = getHeader(call.invite, "call-id")!;
    const asAt = as.uri.replace(/^sip:/, "");

    const [toAs] = c.requests(callId, "INVITE", c.s, asAt);
    expect(toAs, "S-CSCF → AS").toBeDefined();
    const route = routeList(toAs!, "route");
    expect(route[0]).toBe(`<${as.uri};lr>`);
    // the second Route brings the request back to the S-CSCF with the dialog identifier
    expect(route[1]).toMatch(/scscf1\.domain\.imsprovider\.org:6060/);
    expect(getHeader(toAs!, "p-asserted-identity")).toBe(`<sip:a@${DOMAIN}>`);

    const [back] = c.requests(callId, "INVITE", asAt, c.s);
    expect(back, "AS → S-CSCF").toBeDefined();
    expect(routeList(back!, "route")).toEqual(route.slice(1));
    expect(getHeader(back!, "x-test-as")).toBe("visited");

    // only once to the AS: the ODI tells the S-CSCF where it was in the iFC list
    expect(as.received.filter((r) => r.method === "INVITE")).toHaveLength(1);
    const [atB] = c.requests(callId, "INVITE", c.p, b.ue.options.address);
    expect(getHeader(atB!, "x-test-as")).toBe("visited");
    expect(routeList(atB!, "record-route")).toContain(`<${as.uri};lr>`);

    // b's terminating INVITE (session case 1) does not match the iFC; only a's profile has it
    expect((await a.inDialog(dialog!, "BYE").final).status).toBe(200);
    expect(as.received.map((r) => r.method)).toEqual(["INVITE", "BYE"]);
  });

  it("the provisioned iFC reaches the S-CSCF in a's User-Data (SAA), not in b's", async () => {
    const r = await rest("GET", "/service-profiles/with-as");
    expect(r.status).toBe(200);
    expect(JSON.stringify(r.body)).toContain("invite-orig");
    const saas = diameterHops(c.lab.wire, c.lab.config.hss.diameterPort)
      .filter((h) => h.message.commandCode === 301 && (h.message.flags & 0x80) === 0)
      .map((h) => getValue(h.message, "User-Data"))
      .map((d) => (Buffer.isBuffer(d) ? d.toString() : typeof d === "string" ? d : ""));
    const ofA = saas.filter((x) => x.includes(`sip:a@${DOMAIN}`));
    const ofB = saas.filter((x) => x.includes(`sip:b@${DOMAIN}`));
    expect(ofA.length).toBeGreaterThan(0);
    expect(ofA[0]).toContain(`<ServerName>${as.uri}</ServerName>`);
    expect(ofB[0]).not.toContain("<InitialFilterCriteria>");
  });
});
