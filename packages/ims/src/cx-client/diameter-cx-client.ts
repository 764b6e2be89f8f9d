import type { Avp, DiameterError, DiameterMessage, DiameterNode, MessageIds } from "@ims/diameter";
import { type Result, err } from "@ims/runtime";
import { type CxAnswerRead, type RequestIdentityAvps, requestHeadAvps, requestIdentityAvps } from "../cx/common.js";
import { lirWithHead, readLia } from "../cx/lir-lia.js";
import { marWithHead, readMaa } from "../cx/mar-maa.js";
import { readSaa, sarWithHead } from "../cx/sar-saa.js";
import { readUaa, uarWithHead } from "../cx/uar-uaa.js";
import type { CxClient, CxError } from "./types.js";

export interface DiameterCxClientOptions {
  readonly node: DiameterNode;
  /** Destination-Realm of every request (the home realm). */
  readonly destinationRealm: string;
  /** Destination-Host, when the HSS is known (it then is the only one asked). */
  readonly destinationHost?: string;
  /** Per-request timeout in ms; default the node's. */
  readonly timeoutMs?: number;
}

type Sent = Awaited<ReturnType<DiameterNode["request"]>>;
type Reader<A> = (m: DiameterMessage) => Result<A, DiameterError>;
type WithHead<F> = (head: Avp[], fields: F, ids: MessageIds) => DiameterMessage;

/** The identity AVPs of this client's requests, and the Session-Id prefix, for one node identity. */
interface Head {
  readonly originHost: string;
  readonly originRealm: string;
  readonly avps: RequestIdentityAvps;
  /** `<DiameterIdentity>;<high 32 bits>;` */
  readonly sessionPrefix: string;
}

/**
 * CxClient over a Diameter node: builds the request with the node's identity and a fresh Session-Id
 * (RFC 6733 §8.8 `<DiameterIdentity>;<high 32 bits>;<low 32 bits>`), sends it, reads the answer with
 * the command's typed reader. A failure Result-Code is an answer; only the absence of a readable
 * answer is an error.
 *
 * Per request it builds only the message: the identity AVPs are built once, the fields go straight
 * into the AVP list (no merged request object), and the answer is read by a continuation made once
 * per command.
 */
export class DiameterCxClient implements CxClient {
  private readonly sessionHigh = Math.floor(Date.now() / 1000) >>> 0;
  private sessionLow = 0;
  private readonly requestOptions: { readonly timeoutMs: number } | undefined;
  private cachedHead: Head | undefined;

  constructor(private readonly options: DiameterCxClientOptions) {
    this.requestOptions = options.timeoutMs === undefined ? undefined : { timeoutMs: options.timeoutMs };
  }

  uar: CxClient["uar"] = (fields) => this.call(uarWithHead, fields, false, this.readUaa);
  lir: CxClient["lir"] = (fields) => this.call(lirWithHead, fields, false, this.readLia);
  mar: CxClient["mar"] = (fields) => this.call(marWithHead, fields, true, this.readMaa);
  sar: CxClient["sar"] = (fields) => this.call(sarWithHead, fields, false, this.readSaa);

  private readonly readUaa = (sent: Sent) => answerOf(sent, readUaa);
  private readonly readLia = (sent: Sent) => answerOf(sent, readLia);
  private readonly readMaa = (sent: Sent) => answerOf(sent, readMaa);
  private readonly readSaa = (sent: Sent) => answerOf(sent, readSaa);

  private head(): Head {
    const { node, destinationRealm, destinationHost } = this.options;
    const { originHost, originRealm } = node.identity;
    const h = this.cachedHead;
    if (h !== undefined && h.originHost === originHost && h.originRealm === originRealm) return h;
    return (this.cachedHead = {
      originHost,
      originRealm,
      avps: requestIdentityAvps(originHost, originRealm, destinationRealm, destinationHost),
      sessionPrefix: `${originHost};${this.sessionHigh};`,
    });
  }

  private call<F, A extends CxAnswerRead>(
    build: WithHead<F>,
    fields: F,
    realmFirst: boolean,
    read: (sent: Sent) => Result<A, CxError>,
  ): Promise<Result<A, CxError>> {
    const { node } = this.options;
    let message: DiameterMessage;
    try {
      const ids = node.nextIds();
      const head = this.head();
      this.sessionLow = (this.sessionLow + 1) >>> 0;
      message = build(requestHeadAvps(head.sessionPrefix + this.sessionLow, head.avps, realmFirst), fields, ids);
    } catch (e) {
      // As when the request was built inside an async function: the returned promise rejects.
      return Promise.reject(e instanceof Error ? e : new Error(String(e)));
    }
    return node.request(message, this.requestOptions).then(read);
  }
}

function answerOf<A extends CxAnswerRead>(sent: Sent, read: Reader<A>): Result<A, CxError> {
  if (!sent.ok) {
    const tag = sent.error.kind === "timeout" ? "cx-timeout" : "cx-unreachable";
    return err({ tag, reason: sent.error.reason });
  }
  const answer = read(sent.value);
  if (!answer.ok) return err({ tag: "cx-malformed", reason: answer.error.reason });
  return answer;
}
