import type { Logger } from "@ims/runtime";
import { type DiameterMessage, CMD_FLAG, diameterError, encodeMessage, errorAnswer, validateMessage } from "../codec/index.js";
import type { LocalIdentity } from "../peer/index.js";
import { RELAY_APPLICATION_ID } from "../peer/index.js";
import type { DuplicateCache } from "./duplicate-cache.js";
import { routingIdentities } from "./identities.js";

/** Where a request came from. */
export interface RequestContext {
  /** Diameter identity of the peer the request arrived from. */
  readonly peer: string;
}

/** Turns a request into its answer (build it with `answerTo(request, ...)`: same ids). */
export type RequestHandler = (request: DiameterMessage, context: RequestContext) => DiameterMessage | Promise<DiameterMessage>;

/** Result-Codes the node answers on its own (RFC 6733 §7.1.3, §7.1.5). */
export const NODE_RESULT = {
  COMMAND_UNSUPPORTED: 3001,
  UNABLE_TO_DELIVER: 3002,
  REALM_NOT_SERVED: 3003,
  APPLICATION_UNSUPPORTED: 3007,
  UNABLE_TO_COMPLY: 5012,
} as const;

function isThenable(v: DiameterMessage | Promise<DiameterMessage>): v is Promise<DiameterMessage> {
  return typeof (v as { then?: unknown }).then === "function";
}

/**
 * Incoming requests: checks the request is for this node (Destination-Host → 3002, Destination-Realm
 * → 3003), answers duplicates from the cache, finds the handler registered for (application id,
 * command code) (none: 3007 if the application is not ours, else 3001), validates the message against
 * its CCF (5005/5008/5009 with Failed-AVP) and sends what the handler returns; a handler that throws
 * gets 5012 DIAMETER_UNABLE_TO_COMPLY.
 */
export class RequestDispatcher {
  private readonly handlers = new Map<number, Map<number, RequestHandler>>();
  private readonly applications: Set<number>;

  constructor(
    private readonly local: LocalIdentity,
    private readonly duplicates: DuplicateCache,
    private readonly log: Logger,
  ) {
    this.applications = new Set(local.applications.flatMap((a) => [a.authApplicationId, a.acctApplicationId].filter((x): x is number => x !== undefined)));
  }

  register(applicationId: number, commandCode: number, handler: RequestHandler): void {
    let byCommand = this.handlers.get(applicationId);
    if (byCommand === undefined) this.handlers.set(applicationId, (byCommand = new Map()));
    byCommand.set(commandCode, handler);
  }

  /** Handles one request; `send` writes encoded bytes back on the connection it came from. */
  dispatch(request: DiameterMessage, peer: string, send: (bytes: Uint8Array) => void): void {
    const ids = routingIdentities(request);
    const destHost = ids.destinationHost;
    if (destHost !== undefined && destHost !== this.local.originHost) {
      send(this.errorBytes(request, NODE_RESULT.UNABLE_TO_DELIVER, `not ${destHost}, and not a relay`));
      return;
    }
    const destRealm = ids.destinationRealm;
    if (destRealm !== undefined && destRealm !== this.local.originRealm) {
      send(this.errorBytes(request, NODE_RESULT.REALM_NOT_SERVED, `realm ${destRealm} not served`));
      return;
    }
    const origin = ids.originHost ?? peer;
    const dup = this.duplicates.check(origin, request.endToEnd);
    if (dup.kind === "answered") {
      this.log.debug({ peer, endToEnd: request.endToEnd, retransmitted: (request.flags & CMD_FLAG.T) !== 0 }, "duplicate request: cached answer sent again");
      // Same answer, but with the hop-by-hop id of this copy (it may have come over another hop).
      const again = Buffer.from(dup.answer);
      again.writeUInt32BE(request.hopByHop >>> 0, 12);
      send(again);
      return;
    }
    if (dup.kind === "in-progress") return;
    const handler = this.handlers.get(request.applicationId)?.get(request.commandCode);
    if (handler === undefined) {
      const known = this.applications.has(request.applicationId) || this.applications.has(RELAY_APPLICATION_ID);
      const code = known ? NODE_RESULT.COMMAND_UNSUPPORTED : NODE_RESULT.APPLICATION_UNSUPPORTED;
      this.finish(origin, request, this.errorBytes(request, code, `no handler for ${request.applicationId}/${request.commandCode}`), send);
      return;
    }
    const valid = validateMessage(request);
    if (!valid.ok) {
      const answer = errorAnswer(valid.error, this.local);
      if (answer !== undefined) this.finish(origin, request, encodeMessage(answer), send);
      return;
    }
    let result: DiameterMessage | Promise<DiameterMessage>;
    try {
      result = handler(request, { peer });
    } catch (e) {
      this.failed(origin, request, e, send);
      return;
    }
    if (isThenable(result)) {
      result.then(
        (answer) => this.finish(origin, request, encodeMessage(this.fixIds(request, answer)), send),
        (e: unknown) => this.failed(origin, request, e, send),
      );
    } else {
      this.finish(origin, request, encodeMessage(this.fixIds(request, result)), send);
    }
  }

  private finish(origin: string, request: DiameterMessage, bytes: Uint8Array, send: (bytes: Uint8Array) => void): void {
    this.duplicates.answered(origin, request.endToEnd, bytes);
    send(bytes);
  }

  private failed(origin: string, request: DiameterMessage, e: unknown, send: (bytes: Uint8Array) => void): void {
    this.log.error({ err: e, commandCode: request.commandCode }, "request handler failed");
    this.finish(origin, request, this.errorBytes(request, NODE_RESULT.UNABLE_TO_COMPLY, "handler failed"), send);
  }

  /** An answer always carries its request's ids and a clear R bit (RFC 6733 §6.2). */
  private fixIds(request: DiameterMessage, answer: DiameterMessage): DiameterMessage {
    if (answer.hopByHop === request.hopByHop && answer.endToEnd === request.endToEnd && (answer.flags & CMD_FLAG.R) === 0) return answer;
    return { ...answer, flags: answer.flags & ~CMD_FLAG.R, hopByHop: request.hopByHop, endToEnd: request.endToEnd };
  }

  private errorBytes(request: DiameterMessage, resultCode: number, reason: string): Uint8Array {
    const answer = errorAnswer(diameterError(resultCode, reason, { header: request, avps: request.avps }), this.local);
    // errorAnswer is defined for any request with a header, which `request` is.
    return encodeMessage(answer ?? { ...request, flags: 0, avps: [] });
  }
}
