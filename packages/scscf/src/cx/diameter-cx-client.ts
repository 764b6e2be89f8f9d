import type { DiameterMessage, MessageIds } from "@ims/diameter";
import {
  type CxRequestBase,
  type MultimediaAuthAnswer,
  type ServerAssignmentAnswer,
  buildMar,
  buildSar,
  readMaa,
  readSaa,
} from "@ims/ims";
import { type Logger, type Result, err, ok } from "@ims/runtime";
import type { CxClient, CxError, MarFields, SarFields } from "./cx-client.js";

/** What the client needs of a Diameter node (DiameterNode from @ims/diameter has it). */
export interface DiameterRequester {
  nextIds(): MessageIds;
  request(
    message: DiameterMessage,
    options?: { readonly timeoutMs?: number },
  ): Promise<Result<DiameterMessage, { readonly kind: string; readonly reason: string }>>;
}

export interface CxIdentity {
  readonly originHost: string;
  readonly originRealm: string;
  readonly destinationRealm: string;
  /** The HSS's identity when it is known (TS 29.228 §6.1: the S-CSCF knows its HSS). */
  readonly destinationHost?: string;
}

/**
 * CxClient over a Diameter node: builds MAR/SAR with a fresh Session-Id (RFC 6733 §8.8:
 * "<Origin-Host>;<high 32>;<low 32>"), waits for the answer and reads it with the @ims/ims readers.
 */
export class DiameterCxClient implements CxClient {
  private readonly started = Math.floor(Date.now() / 1000) >>> 0;
  private counter = 0;

  constructor(
    private readonly node: DiameterRequester,
    private readonly id: CxIdentity,
    private readonly options: { readonly timeoutMs: number; readonly log: Logger },
  ) {}

  private head(): CxRequestBase {
    this.counter = (this.counter + 1) >>> 0;
    return {
      sessionId: `${this.id.originHost};${this.started};${this.counter}`,
      originHost: this.id.originHost,
      originRealm: this.id.originRealm,
      destinationRealm: this.id.destinationRealm,
      ...(this.id.destinationHost === undefined ? {} : { destinationHost: this.id.destinationHost }),
    };
  }

  async mar(f: MarFields): Promise<Result<MultimediaAuthAnswer, CxError>> {
    const answer = await this.send("MAR", buildMar({ ...this.head(), ...f }, this.node.nextIds()), f.userName);
    if (!answer.ok) return answer;
    const read = readMaa(answer.value);
    return read.ok ? ok(read.value) : err({ tag: "cx-malformed", reason: `MAA: ${read.error.reason}` });
  }

  async sar(f: SarFields): Promise<Result<ServerAssignmentAnswer, CxError>> {
    const answer = await this.send("SAR", buildSar({ ...this.head(), ...f }, this.node.nextIds()), f.userName ?? "");
    if (!answer.ok) return answer;
    const read = readSaa(answer.value);
    return read.ok ? ok(read.value) : err({ tag: "cx-malformed", reason: `SAA: ${read.error.reason}` });
  }

  private async send(command: string, request: DiameterMessage, impi: string): Promise<Result<DiameterMessage, CxError>> {
    const log = this.options.log;
    log.debug({ dir: "out", cmd: command, impi }, "cx");
    const r = await this.node.request(request, { timeoutMs: this.options.timeoutMs });
    if (!r.ok) {
      log.debug({ dir: "in", cmd: command, impi, failure: r.error.kind }, "cx no answer");
      return err({ tag: r.error.kind === "timeout" ? "cx-timeout" : "cx-unreachable", reason: r.error.reason });
    }
    log.debug({ dir: "in", cmd: `${command[0]}${command[1]}A`, impi }, "cx");
    return ok(r.value);
  }
}
