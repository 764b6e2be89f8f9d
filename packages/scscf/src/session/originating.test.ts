import { buildRequest, getHeader, getHeaders } from "@ims/sip";
import { describe, expect, it } from "vitest";
import { ADDR, DOMAIN, ICSCF_URI, RR, originating, registerUser, sessionHarness } from "../testing/session-harness.js";

const A = `sip:a@${DOMAIN}`;
const B = `sip:b@${DOMAIN}`;

describe("S-CSCF originating requests (TS 24.229 §5.4.3.2)", () => {
  it("sends an INVITE to the home domain on to the I-CSCF, resolved by DNS, with Record-Route and the P-headers kept", async () => {
    const h = sessionHarness();
    registerUser(h, A, [{}]);
    const res = await h.fromP(originating("INVITE", B));
    expect(res.status).toBe(200);
    const [out] = h.sent(ADDR.scscf, ADDR.icscf);
    expect(out?.uri).toBe(B);
    expect(getHeaders(out!, "route")).toEqual([`<${ICSCF_URI};lr>`]);
    expect(getHeaders(out!, "record-route")).toEqual([RR, "<sip:pcscf1.domain.imsprovider.org:5060;lr>"]);
    expect(getHeaders(out!, "p-asserted-identity")).toEqual([`<${A}>`]);
    expect(getHeader(out!, "p-charging-vector")).toContain("icid-value=icid-1");
    expect(h.asked).toContain("icscf.domain.imsprovider.org");
    // Our Route (the Service-Route) is consumed, not forwarded.
    expect(getHeaders(out!, "route").some((r) => r.includes("orig@"))).toBe(false);
  });

  it("routes a MESSAGE, an OPTIONS to a user and a tel URI the same way", async () => {
    const h = sessionHarness();
    registerUser(h, A, [{}]);
    expect((await h.fromP(originating("MESSAGE", B))).status).toBe(200);
    expect((await h.fromP(originating("OPTIONS", B))).status).toBe(200);
    expect((await h.fromP(originating("INVITE", "tel:+34600000002"))).status).toBe(200);
    expect(h.sent(ADDR.scscf, ADDR.icscf).map((r) => [r.method, r.uri])).toEqual([
      ["MESSAGE", B],
      ["OPTIONS", B],
      ["INVITE", "tel:+34600000002"],
    ]);
  });

  it("answers 403 when the asserted identity is not registered here, or missing", async () => {
    const h = sessionHarness();
    registerUser(h, A, [{}]);
    const res = await h.fromP(originating("INVITE", B, `sip:mallory@${DOMAIN}`));
    expect([res.status, res.reason]).toEqual([403, "Forbidden - Not Registered"]);
    const bare = originating("MESSAGE", B);
    bare.headers = bare.headers.filter((x) => x.name !== "P-Asserted-Identity");
    expect((await h.fromP(bare)).status).toBe(403);
    expect(h.sent(ADDR.scscf, ADDR.icscf)).toHaveLength(0);
  });

  it("routes a Request-URI outside the home domain by the URI itself (RFC 3263)", async () => {
    const h = sessionHarness();
    registerUser(h, A, [{}]);
    const res = await h.fromP(originating("MESSAGE", `sip:bob@${ADDR.as2}:5070`));
    expect(res.status).toBe(200);
    const [out] = h.sent(ADDR.scscf, ADDR.as2);
    expect(getHeaders(out!, "route")).toEqual([]);
    expect(getHeaders(out!, "record-route")[0]).toBe(RR);
    expect(h.sent(ADDR.scscf, ADDR.icscf)).toHaveLength(0);
  });

  it("without an I-CSCF configured routes home-domain requests by the Request-URI; a tel URI gets 404", async () => {
    const h = sessionHarness({ icscfUri: null });
    registerUser(h, A, [{}]);
    expect((await h.fromP(originating("MESSAGE", "tel:+34600000002"))).status).toBe(404);
    await h.fromP(originating("MESSAGE", B));
    expect(h.asked).toContain(DOMAIN);
  });

  it("answers OPTIONS to itself 200 with Allow", async () => {
    const h = sessionHarness();
    const opt = buildRequest({ method: "OPTIONS", uri: "sip:scscf1.domain.imsprovider.org:6060", from: `<${A}>`, to: "<sip:scscf1.domain.imsprovider.org>" });
    const res = await h.fromP(opt);
    expect(res.status).toBe(200);
    expect(getHeader(res, "Allow")).toContain("INVITE");
    expect(getHeader(res, "Allow")).toContain("MESSAGE");
  });

  it("forwards a request inside a dialog along its Route set, skipping our own Routes, without Record-Route", async () => {
    const h = sessionHarness();
    const bye = buildRequest({
      method: "BYE",
      uri: `sip:b@${ADDR.as2}:5070`,
      from: `<${A}>`,
      to: `<${B}>;tag=b1`,
      routes: [RR, RR, `<sip:${ADDR.icscf}:4060;lr>`],
    });
    expect((await h.fromP(bye)).status).toBe(200);
    const [out] = h.sent(ADDR.scscf, ADDR.icscf);
    expect(out?.method).toBe("BYE");
    expect(getHeaders(out!, "route")).toEqual([`<sip:${ADDR.icscf}:4060;lr>`]);
    expect(getHeaders(out!, "record-route")).toEqual([]);
    expect(h.sent(ADDR.scscf, ADDR.scscf)).toHaveLength(0);
  });

  it("trust domain (TS 24.229 §4.4): an originating request from outside the trusted P-CSCFs gets 403, an asserted identity from outside is removed", async () => {
    const h = sessionHarness({ trustedAddresses: [ADDR.pcscf, ADDR.icscf] });
    registerUser(h, A, [{}]);
    registerUser(h, B, [{}]);
    const spoof = await h.fromStranger(originating("MESSAGE", B));
    expect(spoof.status).toBe(403);
    expect(spoof.reason).toMatch(/P-CSCF/);
    expect(h.sent(ADDR.scscf, ADDR.icscf)).toHaveLength(0);
    expect((await h.fromP(originating("MESSAGE", B))).status).toBe(200);

    const term = buildRequest({ method: "MESSAGE", uri: B, from: `<${A}>`, to: `<${B}>`, headers: [["P-Asserted-Identity", `<${A}>`]] });
    await h.fromStranger(term);
    const toB = h.net.sent.filter((r) => r.from.address === ADDR.scscf && r.message.kind === "request" && r.message.method === "MESSAGE" && r.to.address !== ADDR.icscf);
    expect(toB.length).toBeGreaterThan(0);
    expect(getHeaders(toB.at(-1)!.message as typeof term, "p-asserted-identity")).toEqual([]);
  });
});
