/**
 * A scripted UE for the flow tests, on our own SIP stack and AKA package: it registers through a
 * P-CSCF with SIP Digest or Digest-AKAv1-MD5 (answering AUTN with RES, or with AUTS when its SQN is
 * ahead), like PJSUA with --use-ims, and records every response it gets.
 */
import { MemoryUsimSqnStore, type OperatorKey, keyFromSecret, usimAuthenticate } from "@ims/aka";
import { type Logger, silentLogger, systemClock } from "@ims/runtime";
import {
  type DigestParams,
  NetTransport,
  SipStack,
  type SipResponse,
  answerDigestChallenge,
  authHeader,
  buildRequest,
  digestParams,
  getAuthHeaders,
  newCallId,
  serializeAuth,
  splitAkaNonce,
} from "@ims/sip";

export interface UeOptions {
  readonly address: string;
  readonly port: number;
  readonly transport?: "udp" | "tcp";
  readonly domain: string;
  /** User part of the IMPU (sip:<user>@<domain>). */
  readonly user: string;
  /** Private identity; default <user>@<domain>. */
  readonly impi?: string;
  readonly password: string;
  /** AKA: OP (hex) and AMF come from the subscription; K is derived from the password unless given. */
  readonly aka?: { readonly k?: string; readonly operator: OperatorKey; readonly sqnStore?: MemoryUsimSqnStore };
  readonly proxy: { readonly address: string; readonly port: number };
  readonly logger?: Logger;
}

export interface RegisterOptions {
  readonly expires?: number;
  /** "none": no Authorization on the first REGISTER (MicroSIP); default: an empty one as PJSUA sends. */
  readonly firstAuthorization?: "empty" | "none";
  /** Override what the UE answers (wrong password tests). */
  readonly password?: string;
  /** algorithm of the first, empty Authorization: "AKAv1-MD5" asks for AKA as PJSUA --use-ims does. */
  readonly algorithm?: string;
}

export interface RegisterOutcome {
  /** Every final response, in order (401s, then the last). */
  readonly finals: SipResponse[];
  readonly final: SipResponse;
  /** The challenges the UE got, as parsed digest parameters. */
  readonly challenges: DigestParams[];
}

export class ScriptedUe {
  readonly impu: string;
  readonly impi: string;
  readonly contact: string;
  private readonly callId = newCallId();
  private cseq = 0;
  readonly usim: MemoryUsimSqnStore;

  private constructor(
    readonly options: UeOptions,
    readonly stack: SipStack,
    private readonly transport: NetTransport,
  ) {
    this.impu = `sip:${options.user}@${options.domain}`;
    this.impi = options.impi ?? `${options.user}@${options.domain}`;
    const tp = options.transport === "tcp" ? ";transport=tcp" : "";
    this.contact = `<sip:${options.user}@${options.address}:${options.port}${tp}>`;
    this.usim = options.aka?.sqnStore ?? new MemoryUsimSqnStore();
  }

  static async start(options: UeOptions): Promise<ScriptedUe> {
    const logger = options.logger ?? silentLogger();
    const transport = await NetTransport.open({ address: options.address, port: options.port, logger, clock: systemClock });
    const stack = new SipStack({ transport, logger, clock: systemClock });
    stack.onRequest((ctx) => void ctx.respond(200));
    return new ScriptedUe(options, stack, transport);
  }

  /** REGISTER → 401 → REGISTER with credentials (and once more after an AKA resync) → final. */
  async register(o: RegisterOptions = {}): Promise<RegisterOutcome> {
    const finals: SipResponse[] = [];
    const challenges: DigestParams[] = [];
    let authorization: string | undefined =
      o.firstAuthorization === "none"
        ? undefined
        : serializeAuth(
            authHeader("Digest", {
              username: this.impi,
              realm: this.options.domain,
              nonce: "",
              uri: `sip:${this.options.domain}`,
              response: "",
              algorithm: o.algorithm,
            }),
            "credentials",
          );
    for (let round = 0; round < 4; round++) {
      const res = await this.send(o.expires ?? 600, authorization);
      finals.push(res);
      if (res.status !== 401) return { finals, final: res, challenges };
      const header = getAuthHeaders(res, "www-authenticate")?.find((h) => h.scheme.toLowerCase() === "digest");
      if (header === undefined) return { finals, final: res, challenges };
      const challenge = digestParams(header);
      challenges.push(challenge);
      authorization = this.answer(challenge, o.password ?? this.options.password);
    }
    throw new Error("more than three challenges in a row");
  }

  private answer(challenge: DigestParams, password: string): string {
    const uri = `sip:${this.options.domain}`;
    const aka = (challenge.algorithm ?? "").toLowerCase().startsWith("akav1");
    let secret: Parameters<typeof answerDigestChallenge>[2];
    if (aka) {
      const parts = splitAkaNonce(challenge.nonce ?? "");
      if (!parts.ok) throw new Error(parts.error.reason);
      const k = this.options.aka?.k ?? keyFromSecret(password).toString("hex");
      const outcome = usimAuthenticate({
        k,
        operator: this.options.aka?.operator ?? { op: "00".repeat(16) },
        rand: parts.value.rand,
        autn: parts.value.autn,
        store: this.usim,
      });
      if (!outcome.ok) throw new Error(outcome.error.reason);
      secret = outcome.value.kind === "success" ? { kind: "aka-res", res: outcome.value.res } : { kind: "aka-sync-failure", auts: outcome.value.auts };
    } else {
      secret = { kind: "password", password };
    }
    const params = answerDigestChallenge(challenge, this.impi, secret, { method: "REGISTER", uri });
    if (!params.ok) throw new Error(params.error.reason);
    return serializeAuth(authHeader("Digest", params.value), "credentials");
  }

  private async send(expires: number, authorization: string | undefined): Promise<SipResponse> {
    this.cseq += 1;
    const req = buildRequest({
      method: "REGISTER",
      uri: `sip:${this.options.domain}`,
      from: `<${this.impu}>`,
      fromTag: "ue",
      to: `<${this.impu}>`,
      callId: this.callId,
      cseq: this.cseq,
      contact: `${this.contact};expires=${expires}`,
      headers: [
        ["Expires", String(expires)],
        ["Supported", "path"],
        ...(authorization === undefined ? [] : ([["Authorization", authorization]] as [string, string][])),
      ],
    });
    const out = this.stack.request(req, {
      destination: { transport: this.options.transport ?? "udp", address: this.options.proxy.address, port: this.options.proxy.port },
    });
    return out.final;
  }

  async stop(): Promise<void> {
    await this.transport.close();
  }
}
