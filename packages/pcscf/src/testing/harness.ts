import { FakeClock, type Logger, silentLogger } from "@ims/runtime";
import {
  type Destination,
  FakeNetwork,
  type RequestContext,
  type Resolver,
  type SipRequest,
  SipStack,
  buildRequest,
  getContacts,
  getHeaders,
  hasHeader,
  literalResolver,
  settle,
} from "@ims/sip";
import { type AttachedPcscf, type PcscfDeps, attachPcscf } from "../pcscf.js";

export const DOMAIN = "domain.imsprovider.org";
export const CK = "0123456789abcdef0123456789abcdef";
export const IK = "fedcba9876543210fedcba9876543210";
export const SERVICE_ROUTE = "<sip:orig@scscf1.domain.imsprovider.org:6060;lr>";
export const SCSCF_HOST = "scscf1.domain.imsprovider.org";

export interface Addresses {
  readonly ue: string;
  readonly pcscf: string;
  readonly icscf: string;
  /** The fake S-CSCF (the Service-Route's host resolves here). */
  readonly scscf?: string;
}

/**
 * A UE, the P-CSCF under test and a fake I-CSCF on a FakeNetwork. The fake I-CSCF answers a
 * REGISTER without Authorization with a 401 carrying ck/ik, one with Authorization with a 200 (the
 * S-CSCF's view: Contact echoed unless it is a de-registration, Path echoed, Service-Route,
 * P-Associated-URI), unless `icscfAnswer` says otherwise.
 */
export function harness(a: Addresses, options: Partial<Omit<PcscfDeps, "stack">> = {}, log: Logger = silentLogger()) {
  const clock = new FakeClock();
  const net = new FakeNetwork();
  const stack = (address: string, port: number) => new SipStack({ transport: net.transport(address, port), clock });
  const ue = stack(a.ue, 5566);
  const icscf = stack(a.icscf, 4060);
  const resolved: string[] = [];
  // What the lab's DNS would answer: the domain → I-CSCF, the S-CSCF's name → the fake S-CSCF.
  const resolver: Resolver = (uri) => {
    resolved.push(uri.host);
    if (uri.host === DOMAIN) return { transport: "udp", address: a.icscf, port: 4060 };
    if (uri.host === SCSCF_HOST && a.scscf !== undefined) return { transport: "udp", address: a.scscf, port: uri.port ?? 6060 };
    return literalResolver(uri);
  };
  const pStack = new SipStack({
    transport: net.transport(a.pcscf, 5060),
    clock,
    hosts: [`pcscf1.${DOMAIN}`],
    resolver,
  });
  const scscf = a.scscf === undefined ? undefined : new SipStack({ transport: net.transport(a.scscf, 6060), clock, hosts: [SCSCF_HOST], resolver });
  const pcscf: AttachedPcscf = attachPcscf({
    stack: pStack,
    domain: DOMAIN,
    name: "pcscf1",
    resolver,
    log,
    newIcid: () => "icid-1",
    ...options,
  });
  const atIcscf: SipRequest[] = [];
  let icscfAnswer: (ctx: RequestContext) => void = (ctx) => {
    const req = ctx.request;
    if (!hasHeader(req, "authorization")) {
      const www = `Digest realm="${DOMAIN}", nonce="bm9uY2U=", algorithm=AKAv1-MD5, qop="auth", ck="${CK}", ik="${IK}"`;
      ctx.respond(401, { headers: [["WWW-Authenticate", www]] });
      return;
    }
    const contacts = getContacts(req);
    const expires = getHeaders(req, "expires")[0];
    const headers: [string, string][] = [];
    if (Array.isArray(contacts) && expires !== "0") {
      for (const c of contacts) if (c.expires !== 0) headers.push(["Contact", `<sip:${c.uri.kind === "sip" ? `${c.uri.user}@${c.uri.host}:${c.uri.port}` : ""}>;expires=${c.expires ?? expires ?? 600}`]);
    }
    const registered = headers.length > 0;
    if (registered) {
      for (const p of getHeaders(req, "path")) headers.push(["Path", p]);
      headers.push(["Service-Route", SERVICE_ROUTE]);
      headers.push(["P-Associated-URI", `<sip:a@${DOMAIN}>, <tel:+34600000001>`]);
    }
    ctx.respond(200, { headers });
  };
  icscf.onRequest((ctx) => {
    atIcscf.push(ctx.request);
    icscfAnswer(ctx);
  });
  const toP: Destination = { transport: "udp", address: a.pcscf, port: 5060 };
  let cseq = 1;
  const register = (
    o: { contact?: string; expires?: number; auth?: boolean; uri?: string; extra?: [string, string][]; transport?: "udp" | "tcp" } = {},
  ) =>
    ue.request(
      buildRequest({
        method: "REGISTER",
        uri: o.uri ?? `sip:${DOMAIN}`,
        from: `<sip:a@${DOMAIN}>`,
        to: `<sip:a@${DOMAIN}>`,
        callId: "reg-call",
        cseq: cseq++,
        contact: o.contact ?? `<sip:a@${a.ue}:5566>`,
        headers: [
          ...(o.expires === undefined ? [] : [["Expires", String(o.expires)] as [string, string]]),
          ...(o.auth === true
            ? [["Authorization", `Digest username="a@${DOMAIN}", realm="${DOMAIN}", nonce="bm9uY2U=", uri="sip:${DOMAIN}", response="00"`] as [string, string]]
            : []),
          ...(o.extra ?? []),
        ],
      }),
      { destination: { ...toP, transport: o.transport ?? "udp" } },
    ).final;
  /** 401 then 200, as a UE registering for the first time. */
  const registerFully = async (o: Parameters<typeof register>[0] = {}) => {
    const challenge = await register(o);
    const ok = await register({ ...o, auth: true });
    return { challenge, ok };
  };
  return {
    clock,
    net,
    ue,
    pStack,
    scscf,
    pcscf,
    atIcscf,
    resolved,
    register,
    registerFully,
    setIcscfAnswer: (f: (ctx: RequestContext) => void) => (icscfAnswer = f),
    toP,
    settle,
  };
}
