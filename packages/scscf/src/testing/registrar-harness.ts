import { createHash } from "node:crypto";
import { FakeClock, silentLogger } from "@ims/runtime";
import type { SipRequest } from "@ims/sip";
import { DEFAULT_LIMITS, type RegistrationLimits } from "../config.js";
import { FakeCxClient, digestMaa } from "../cx/fake-cx-client.js";
import { type RegisterInit, answerChallenge, registerRequest } from "./ue-client.js";
import { type Registrar, createRegistrar } from "../registrar/registrar.js";
import { register } from "../registrar/register.js";
import type { SipReply } from "../registrar/sip-reply.js";

export const DOMAIN = "domain.imsprovider.org";
export const SERVER_NAME = "sip:scscf1.domain.imsprovider.org:6060";
export const IMPU = "sip:a@domain.imsprovider.org";
export const IMPI = "a@domain.imsprovider.org";
export const PASSWORD = "apass";
export const HA1 = createHash("md5").update(`${IMPI}:${DOMAIN}:${PASSWORD}`).digest("hex");

/** A registrar on a FakeClock with a FakeCxClient that hands out SIP Digest vectors for user a. */
export class Harness {
  readonly clock = new FakeClock();
  readonly cx = new FakeCxClient();
  readonly registrar: Registrar;

  constructor(limits: RegistrationLimits = DEFAULT_LIMITS) {
    this.cx.onMar = () => ({ ok: true, value: digestMaa(HA1, DOMAIN) });
    this.registrar = createRegistrar({
      domain: DOMAIN,
      serverName: SERVER_NAME,
      serviceRoute: "<sip:orig@scscf1.domain.imsprovider.org:6060;lr>",
      limits,
      nonceLifetimeMs: 30_000,
      cx: this.cx,
      clock: this.clock,
      log: silentLogger(),
    });
  }

  get ctx() {
    return this.registrar.ctx;
  }

  send(req: SipRequest): Promise<SipReply> {
    return register(this.ctx, req);
  }

  /** The full MD5 exchange: REGISTER without credentials, 401, REGISTER with the answer; the final reply. */
  async registerMd5(init: Partial<RegisterInit> = {}, password = PASSWORD): Promise<SipReply> {
    const first = await this.send(registerRequest({ impu: IMPU, ...init, cseq: init.cseq ?? 1 }));
    const www = header(first, "WWW-Authenticate");
    if (first.status !== 401 || www === undefined) return first;
    return this.send(
      registerRequest({
        impu: IMPU,
        ...init,
        cseq: (init.cseq ?? 1) + 1,
        authorization: answerChallenge(www, { username: IMPI, secret: password, uri: "sip:127.0.0.11:6060" }),
      }),
    );
  }
}

export function header(r: SipReply, name: string): string | undefined {
  return r.headers?.find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1];
}

export function headers(r: SipReply, name: string): string[] {
  return (r.headers ?? []).filter(([n]) => n.toLowerCase() === name.toLowerCase()).map(([, v]) => v);
}

