import { ImsError, silentLogger } from "@ims/runtime";
import { SipStack, buildRequest, getHeaders, hasHeader } from "@ims/sip";
import { afterEach, describe, expect, it } from "vitest";
import { startPcscf } from "./start.js";

const DOMAIN = "domain.imsprovider.org";
const P = "127.5.3.133";
const I = "127.5.3.155";
const UE = "127.5.3.211";

describe("startPcscf over real sockets", () => {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of closers.splice(0)) await c();
  });

  it("registers a UE over UDP and TCP through a fake I-CSCF and forgets it on stop", async () => {
    const p = await startPcscf(
      { name: "pcscf1", domain: DOMAIN, sip: { address: P, port: 15060, hosts: [`pcscf1.${DOMAIN}`] }, icscfUri: `sip:${I}:14060` },
      { logger: silentLogger() },
    );
    closers.push(() => p.stop());
    const icscf = await SipStack.open({ address: I, port: 14060 });
    closers.push(() => icscf.close());
    icscf.onRequest((ctx) => {
      if (!hasHeader(ctx.request, "authorization")) {
        ctx.respond(401, { headers: [["WWW-Authenticate", `Digest realm="${DOMAIN}", nonce="n", algorithm=AKAv1-MD5, ck="aa", ik="bb"`]] });
        return;
      }
      ctx.respond(200, {
        headers: [
          ["Contact", `<sip:a@${UE}:15566>;expires=600`],
          ...getHeaders(ctx.request, "path").map((v) => ["Path", v] as [string, string]),
          ["Service-Route", "<sip:orig@127.5.3.111:6060;lr>"],
          ["P-Associated-URI", `<sip:a@${DOMAIN}>`],
        ],
      });
    });
    const ue = await SipStack.open({ address: UE, port: 15566 });
    closers.push(() => ue.close());
    for (const transport of ["udp", "tcp"] as const) {
      const reg = (auth: boolean) =>
        ue.sendRequest(
          buildRequest({
            method: "REGISTER",
            uri: `sip:${DOMAIN}`,
            from: `<sip:a@${DOMAIN}>`,
            to: `<sip:a@${DOMAIN}>`,
            contact: `<sip:a@${UE}:15566>`,
            headers: auth ? [["Authorization", `Digest username="a@${DOMAIN}", realm="${DOMAIN}", nonce="n", uri="sip:${DOMAIN}", response="x"`]] : [],
          }),
          { destination: { transport, address: P, port: 15060 } },
        );
      const challenge = await reg(false);
      expect(challenge.status).toBe(401);
      expect(getHeaders(challenge, "www-authenticate")[0]).not.toMatch(/ck=|ik=/);
      expect((await reg(true)).status).toBe(200);
      const stored = p.pcscf.context.registrations.forAor(`sip:a@${DOMAIN}`);
      expect(stored.map((r) => [r.transport, r.address])).toEqual([[transport, UE]]);
    }
    expect(p.state()).toBe("ready");
    await p.stop();
    expect(p.state()).toBe("stopped");
    expect(p.pcscf.context.registrations.size()).toBe(0);
  });

  it("refuses a config with a wrong value, naming the key", async () => {
    await expect(startPcscf({ name: "pcscf1", domain: DOMAIN, sip: { address: "localhost", port: 5060 } })).rejects.toThrow(ImsError);
    await expect(
      startPcscf({ name: "pcscf1", domain: DOMAIN, sip: { address: P, port: 15061 }, icscfUri: "tel:+1" }),
    ).rejects.toThrow(/icscfUri/);
  });
});
