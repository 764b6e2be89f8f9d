import { describe, expect, it } from "vitest";
import { ok } from "@ims/runtime";
import { akaMaa } from "../cx/fake-cx-client.js";
import { DOMAIN, Harness, IMPI, IMPU, header } from "../testing/registrar-harness.js";
import { answerChallenge, initialAuthorization, readChallenge, registerRequest } from "../testing/ue-client.js";

const bytes = (n: number, fill: number) => Buffer.alloc(n, fill);
const vector = { rand: bytes(16, 1), autn: bytes(16, 2), xres: bytes(8, 3), ck: bytes(16, 4), ik: bytes(16, 5) };

function akaHarness(): Harness {
  const h = new Harness();
  h.cx.onMar = () => ok(akaMaa(vector));
  return h;
}

describe("REGISTER with Digest-AKAv1-MD5", () => {
  it("401 carries nonce = base64(RAND‖AUTN), algorithm=AKAv1-MD5, qop, ck and ik in hex", async () => {
    const h = akaHarness();
    const r = await h.send(registerRequest({ impu: IMPU, authorization: initialAuthorization(IMPI, DOMAIN, "AKAv1-MD5") }));
    expect(r.status).toBe(401);
    const www = header(r, "WWW-Authenticate") ?? "";
    const nonce = Buffer.concat([vector.rand, vector.autn]).toString("base64");
    expect(www).toBe(
      `Digest realm="${DOMAIN}", nonce="${nonce}", algorithm=AKAv1-MD5, qop="auth", ck="${"04".repeat(16)}", ik="${"05".repeat(16)}"`,
    );
    expect(h.cx.mars[0]?.authData).toEqual({ scheme: "Digest-AKAv1-MD5" });
  });

  it("accepts the response computed with RES as password, then SAR REGISTRATION and 200", async () => {
    const h = akaHarness();
    const c = await h.send(registerRequest({ impu: IMPU, authorization: initialAuthorization(IMPI, DOMAIN, "AKAv1-MD5") }));
    const auth = answerChallenge(header(c, "WWW-Authenticate") ?? "", { username: IMPI, secret: vector.xres, uri: "sip:127.0.0.11:6060" });
    const r = await h.send(registerRequest({ impu: IMPU, cseq: 2, authorization: auth }));
    expect(r.status).toBe(200);
    expect(h.cx.sars.map((s) => s.serverAssignmentType)).toEqual([1]);
  });

  it("a wrong RES gets 403", async () => {
    const h = akaHarness();
    const c = await h.send(registerRequest({ impu: IMPU, authorization: initialAuthorization(IMPI, DOMAIN, "AKAv1-MD5") }));
    const auth = answerChallenge(header(c, "WWW-Authenticate") ?? "", { username: IMPI, secret: bytes(8, 9) });
    expect((await h.send(registerRequest({ impu: IMPU, cseq: 2, authorization: auth }))).status).toBe(403);
  });

  it("AUTS: MAR with SIP-Authorization = RAND‖AUTS, scheme AKA, and a fresh 401", async () => {
    const h = akaHarness();
    const c = await h.send(registerRequest({ impu: IMPU, authorization: initialAuthorization(IMPI, DOMAIN, "AKAv1-MD5") }));
    const auts = bytes(14, 7);
    const auth = answerChallenge(header(c, "WWW-Authenticate") ?? "", {
      username: IMPI,
      secret: "",
      response: "",
      auts: auts.toString("base64"),
    });
    const r = await h.send(registerRequest({ impu: IMPU, cseq: 2, authorization: auth }));
    expect(r.status).toBe(401);
    expect(h.cx.mars).toHaveLength(2);
    expect(h.cx.mars[1]?.authData).toEqual({ scheme: "Digest-AKAv1-MD5", authorization: Buffer.concat([vector.rand, auts]) });
    expect(readChallenge(header(r, "WWW-Authenticate") ?? "").algorithm).toBe("AKAv1-MD5");
    expect(h.cx.sars).toEqual([]);
  });

  it("a vector with a short SIP-Authenticate or no CK is refused with 500", async () => {
    const h = new Harness();
    h.cx.onMar = () => ok(akaMaa({ ...vector, autn: bytes(8, 2) }));
    expect((await h.send(registerRequest({ impu: IMPU }))).status).toBe(500);
    h.cx.onMar = () => {
      const m = akaMaa(vector);
      const { confidentialityKey: _, ...item } = m.items[0] ?? {};
      return ok({ ...m, items: [item] });
    };
    expect((await h.send(registerRequest({ impu: IMPU }))).status).toBe(500);
  });
});
