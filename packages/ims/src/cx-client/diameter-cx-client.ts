import type { DiameterError, DiameterMessage, DiameterNode, MessageIds } from "@ims/diameter";
import { type Result, err, ok } from "@ims/runtime";
import type { CxAnswerRead, CxRequestBase } from "../cx/common.js";
import { buildLir, readLia } from "../cx/lir-lia.js";
import { buildMar, readMaa } from "../cx/mar-maa.js";
import { buildSar, readSaa } from "../cx/sar-saa.js";
import { buildUar, readUaa } from "../cx/uar-uaa.js";
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

/**
 * CxClient over a Diameter node: builds the request with the node's identity and a fresh Session-Id
 * (RFC 6733 §8.8 `<DiameterIdentity>;<high 32 bits>;<low 32 bits>`), sends it, reads the answer with
 * the command's typed reader. A failure Result-Code is an answer; only the absence of a readable
 * answer is an error.
 */
export class DiameterCxClient implements CxClient {
  private readonly sessionHigh = Math.floor(Date.now() / 1000) >>> 0;
  private sessionLow = 0;

  constructor(private readonly options: DiameterCxClientOptions) {}

  uar: CxClient["uar"] = (fields) => this.call((ids) => buildUar({ ...this.head(), ...fields }, ids), readUaa);
  lir: CxClient["lir"] = (fields) => this.call((ids) => buildLir({ ...this.head(), ...fields }, ids), readLia);
  mar: CxClient["mar"] = (fields) => this.call((ids) => buildMar({ ...this.head(), ...fields }, ids), readMaa);
  sar: CxClient["sar"] = (fields) => this.call((ids) => buildSar({ ...this.head(), ...fields }, ids), readSaa);

  private head(): CxRequestBase {
    const { node, destinationRealm, destinationHost } = this.options;
    this.sessionLow = (this.sessionLow + 1) >>> 0;
    return {
      sessionId: `${node.identity.originHost};${this.sessionHigh};${this.sessionLow}`,
      originHost: node.identity.originHost,
      originRealm: node.identity.originRealm,
      destinationRealm,
      ...(destinationHost === undefined ? {} : { destinationHost }),
    };
  }

  private async call<A extends CxAnswerRead>(
    build: (ids: MessageIds) => DiameterMessage,
    read: (m: DiameterMessage) => Result<A, DiameterError>,
  ): Promise<Result<A, CxError>> {
    const { node, timeoutMs } = this.options;
    const sent = await node.request(build(node.nextIds()), timeoutMs === undefined ? {} : { timeoutMs });
    if (!sent.ok) {
      const tag = sent.error.kind === "timeout" ? "cx-timeout" : "cx-unreachable";
      return err({ tag, reason: sent.error.reason });
    }
    const answer = read(sent.value);
    if (!answer.ok) return err({ tag: "cx-malformed", reason: answer.error.reason });
    return ok(answer.value);
  }
}
