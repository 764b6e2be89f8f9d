/**
 * The transaction layer (RFC 3261 §17): owns the table of client and server transactions, matches
 * inbound messages to them (§17.1.3, §17.2.3), runs the four state machines against a
 * `SipTransport` and the injected Clock, and hands the TU what belongs to it:
 *
 * - a new request → `onRequest(tx)` with a `ServerTransaction` to answer through;
 * - an ACK matching no transaction (the ACK of a 2xx) → `onAck(ack, inbound)`;
 * - a response matching no transaction (2xx retransmissions, stray) → `onStrayResponse`;
 * - `sendRequest(req, dest, callbacks)` starts a client transaction (not for ACK: `sendStateless`).
 *
 * A CANCEL gets its own server transaction; `findInvite(cancel)` returns the INVITE transaction it
 * targets (§9.2). The request's top Via must already carry our branch (the UA/proxy adds it).
 */
import { type Clock, InFlightMap, type Logger, detachString, silentLogger } from "@ims/runtime";
import { type SipMessage, type SipRequest, type SipResponse, createResponse, newTag, parseMessage, serializeMessage } from "../message/index.js";
import { type Destination, type Inbound, type SipTransport, isReliable } from "../transport/types.js";
import { responseDestination } from "../transport/via-received.js";
import { ackForNon2xx } from "./ack.js";
import { CompletedServers, type Expiring, ExpiringQueue } from "./completed.js";
import { ClientInviteTransaction } from "./client-invite.js";
import { ClientNonInviteTransaction } from "./client-non-invite.js";
import { clientKey, serverKey } from "./keys.js";
import type { MachineEnv, TransactionAction } from "./machine.js";
import { ServerInviteTransaction } from "./server-invite.js";
import { ServerNonInviteTransaction } from "./server-non-invite.js";
import { DEFAULT_TIMER_BASE, type TimerBase, timerValue } from "./timers.js";

export interface ClientCallbacks {
  /** Every response the transaction passes up (provisional, final, 2xx retransmissions of RFC 6026). */
  readonly onResponse: (response: SipResponse) => void;
  /** Timer B/F fired or the transport failed: the TU treats it as a 408 / 503 (§8.1.3.1). */
  readonly onFailure?: (reason: "timeout" | "transport-error") => void;
  readonly onTerminated?: () => void;
}

export interface TransactionLayerOptions {
  readonly transport: SipTransport;
  readonly clock: Clock;
  readonly timers?: TimerBase;
  /** Delay of the automatic 100 Trying of INVITE server transactions; default 200 ms, 0 = at once. */
  readonly tryingDelay?: number;
  readonly logger?: Logger;
}

type AnyMachine =
  | ClientInviteTransaction<SipRequest, SipResponse>
  | ClientNonInviteTransaction<SipRequest, SipResponse>;

export class ClientTransaction {
  /** @internal */ machine!: AnyMachine;
  constructor(
    readonly key: string,
    readonly request: SipRequest,
    readonly destination: Destination,
  ) {}
  get state(): string {
    return this.machine.state;
  }
}

export class ServerTransaction {
  /** @internal */ machine!:
    | ServerInviteTransaction<SipRequest, SipResponse>
    | ServerNonInviteTransaction<SipRequest, SipResponse>;
  /** @internal Made when the first listener comes (most transactions have none). */ cancelListeners: ((cancel: SipRequest) => void)[] | undefined;
  private terminatedListeners: (() => void)[] | undefined;
  /** @internal */ finished = false;
  /** True once a CANCEL for this INVITE was accepted. */
  cancelled = false;
  /** @internal */ cancelRequest: SipRequest | undefined;
  /** @internal Called once a non-INVITE over UDP has sent its final response (the layer compacts it). */
  completed: ((response: SipResponse) => void) | undefined;

  constructor(
    readonly key: string,
    readonly request: SipRequest,
    readonly source: Destination,
  ) {}

  get state(): string {
    return this.machine.state;
  }

  /** Sends a response through the transaction (in Accepted, only 2xx retransmissions pass). */
  respond(response: SipResponse): void {
    this.machine.respond(response);
    if (this.completed !== undefined && this.machine.state === "Completed") {
      const done = this.completed;
      this.completed = undefined;
      done(response);
    }
  }

  /** A final response has been given (or the transaction is gone). */
  get answered(): boolean {
    return this.state !== "Proceeding" && this.state !== "Trying";
  }

  /** Called when a CANCEL matching this INVITE arrives (the layer has answered the CANCEL 200). */
  onCancel(listener: (cancel: SipRequest) => void): void {
    // Registered after the CANCEL came (a handler that awaited something first): run it now.
    const cancel = this.cancelRequest;
    if (cancel !== undefined) queueMicrotask(() => listener(cancel));
    else (this.cancelListeners ??= []).push(listener);
  }

  onTerminated(listener: () => void): void {
    if (this.finished) listener();
    else (this.terminatedListeners ??= []).push(listener);
  }

  /** @internal */
  terminated(): void {
    this.finished = true;
    const listeners = this.terminatedListeners;
    if (listeners === undefined) return;
    this.terminatedListeners = undefined;
    for (const l of listeners) l();
  }
}

export class TransactionLayer {
  /** Transactions in flight (InFlightMap: a finished one is not kept reachable by a stale table). */
  private readonly clients = new InFlightMap<string, ClientTransaction>();
  private readonly servers = new InFlightMap<string, ServerTransaction>();
  /**
   * Non-INVITE transactions over UDP in Completed keep only what that state needs (completed.ts): a
   * server its final response's bytes for retransmitted requests (Timer J, 32 s), a client its key
   * to absorb retransmitted finals (Timer K, 5 s). The request, the TU's closures and the machine
   * are freed at once: a parsed message would keep its whole received text alive through its
   * header values.
   */
  private readonly completedServers: CompletedServers;
  private readonly completedClients: ExpiringQueue<Expiring>;
  /** Machine environments, reliable and not: the same for every transaction. */
  private readonly envs: [MachineEnv?, MachineEnv?] = [];
  /** The response sendResponse serialized last: a completed transaction keeps these bytes instead of serializing again. */
  private lastSentResponse: SipResponse | undefined;
  private lastSentBytes: Buffer | undefined;
  private readonly log: Logger;
  private requestHandler: (tx: ServerTransaction) => void = (tx) => tx.respond(createResponse(tx.request, 501));
  private ackHandler: (ack: SipRequest, inbound: Inbound) => void = () => undefined;
  private strayHandler: (response: SipResponse, inbound: Inbound) => void = () => undefined;

  constructor(readonly options: TransactionLayerOptions) {
    this.log = options.logger ?? silentLogger();
    const base = options.timers ?? DEFAULT_TIMER_BASE;
    this.completedServers = new CompletedServers(options.clock, timerValue("J", base, false) ?? 32_000);
    this.completedClients = new ExpiringQueue(options.clock, timerValue("K", base, false) ?? 5_000);
    options.transport.onMessage((inbound) => this.receive(inbound));
  }

  get transport(): SipTransport {
    return this.options.transport;
  }

  onRequest(handler: (tx: ServerTransaction) => void): void {
    this.requestHandler = handler;
  }
  onAck(handler: (ack: SipRequest, inbound: Inbound) => void): void {
    this.ackHandler = handler;
  }
  onStrayResponse(handler: (response: SipResponse, inbound: Inbound) => void): void {
    this.strayHandler = handler;
  }

  /** Numbers of live transactions (tests, stats). */
  get size(): { readonly clients: number; readonly servers: number; readonly completed: number } {
    return { clients: this.clients.size, servers: this.servers.size, completed: this.completedServers.size + this.completedClients.size };
  }

  /** Starts a client transaction for `request` (its top Via carries the branch) towards `dest`. */
  sendRequest(request: SipRequest, dest: Destination, callbacks: ClientCallbacks): ClientTransaction {
    // Not detached (unlike a server key): its branch is cut from the Via this element wrote, not
    // from a received message's text.
    const key = clientKey(request);
    if (key === undefined || request.method === "ACK") {
      throw new Error("sendRequest needs a request with a Via branch and a CSeq, and not an ACK");
    }
    const tx = new ClientTransaction(key, request, dest);
    const env = this.env(dest);
    const emit = (a: TransactionAction<SipRequest, SipResponse>) => {
      switch (a.type) {
        case "send":
          this.transmit(a.message, dest, tx.machine);
          return;
        case "deliver": {
          const r = a.message as SipResponse;
          callbacks.onResponse(r);
          if (r.status >= 200 && tx.machine instanceof ClientNonInviteTransaction && tx.machine.state === "Completed" && !tx.machine.reliable) {
            tx.machine.dispose();
            this.clients.deleteIf(key, tx);
            this.completedClients.set({ key, at: this.completedClients.deadline() });
            callbacks.onTerminated?.();
          }
          return;
        }
        case "timeout":
          callbacks.onFailure?.("timeout");
          return;
        case "transport-error":
          callbacks.onFailure?.("transport-error");
          return;
        case "terminated":
          this.clients.deleteIf(key, tx);
          callbacks.onTerminated?.();
          return;
      }
    };
    tx.machine =
      request.method === "INVITE"
        ? new ClientInviteTransaction<SipRequest, SipResponse>(env, request, (r) => ackForNon2xx(request, r), emit)
        : new ClientNonInviteTransaction<SipRequest, SipResponse>(env, request, emit);
    this.clients.set(key, tx);
    tx.machine.start();
    return tx;
  }

  /** Sends a message outside any transaction (ACK for a 2xx, stateless forwarding). */
  sendStateless(message: SipMessage, dest: Destination): Promise<void> {
    return this.options.transport.send(message, dest);
  }

  /**
   * Forgets a server transaction without answering (stateless proxying, §16.11): its timers stop and
   * a retransmission of the request creates a new one.
   */
  discard(tx: ServerTransaction): void {
    tx.machine.dispose();
    this.servers.deleteIf(tx.key, tx);
    tx.terminated();
  }

  /** The INVITE server transaction a CANCEL targets (§9.2), if it still exists. */
  findInvite(cancel: SipRequest): ServerTransaction | undefined {
    const key = serverKey(cancel, "INVITE");
    return key === undefined ? undefined : this.servers.get(key);
  }

  private env(dest: Destination): MachineEnv {
    const reliable = isReliable(dest.transport);
    return (this.envs[reliable ? 0 : 1] ??= {
      clock: this.options.clock,
      reliable,
      ...(this.options.timers === undefined ? {} : { timers: this.options.timers }),
    });
  }

  /** Sends; a transport failure goes to `onError` (a machine's transportError, or a function). */
  private transmit(message: SipMessage, dest: Destination, onError: { transportError(): void } | (() => void)): void {
    this.options.transport.send(message, dest).catch((e: unknown) => {
      this.log.debug({ dest: `${dest.address}:${dest.port}`, error: String(e) }, "sip transport error");
      if (typeof onError === "function") onError();
      else onError.transportError();
    });
  }

  private receive(inbound: Inbound): void {
    if (inbound.kind === "response") {
      const key = clientKey(inbound.message);
      const tx = key === undefined ? undefined : this.clients.get(key);
      if (tx !== undefined) tx.machine.receive(inbound.message);
      else if (key === undefined || !this.completedClients.has(key)) this.strayHandler(inbound.message, inbound);
      return;
    }
    const req = inbound.message;
    const key = serverKey(req);
    if (key === undefined) return; // no usable CSeq/Via: nothing to match or answer reliably
    const existing = this.servers.get(key);
    if (existing !== undefined) {
      if (req.method === "ACK") {
        if (existing.machine instanceof ServerInviteTransaction) existing.machine.receiveAck(req);
      } else existing.machine.receiveRequest();
      return;
    }
    if (req.method === "ACK") {
      this.ackHandler(req, inbound);
      return;
    }
    const completed = this.completedServers.response(key);
    if (completed !== undefined) {
      const again = parseMessage(completed.bytes);
      if (again.ok && again.value.kind === "response") this.sendResponse(again.value, completed.source, () => undefined);
      return;
    }
    // kept until Timer J: a string of its own, not a view into the received text (its branch)
    this.createServer(detachString(key), req, inbound.source);
  }

  private createServer(key: string, req: SipRequest, source: Destination): void {
    const tx = new ServerTransaction(key, req, source);
    const env = this.env(source);
    const emit = (a: TransactionAction<SipRequest, SipResponse>) => {
      switch (a.type) {
        case "send":
          this.sendResponse(a.message as SipResponse, source, () => tx.machine.transportError());
          return;
        case "deliver":
          if (a.message === req) this.deliverRequest(tx);
          else this.ackHandler(a.message as SipRequest, { kind: "request", message: a.message as SipRequest, source, local: this.transport.local });
          return;
        case "timeout":
        case "transport-error":
          this.log.debug({ key, event: a.type }, "sip server transaction");
          return;
        case "terminated":
          this.servers.deleteIf(key, tx);
          tx.terminated();
          return;
      }
    };
    this.servers.set(key, tx);
    if (req.method === "INVITE") {
      const m = new ServerInviteTransaction<SipRequest, SipResponse>(
        this.options.tryingDelay === undefined ? env : { ...env, tryingDelay: this.options.tryingDelay },
        req,
        emit,
      );
      tx.machine = m;
      m.start(createResponse(req, 100));
    } else {
      const m = new ServerNonInviteTransaction<SipRequest, SipResponse>(env, req, emit, !env.reliable);
      tx.machine = m;
      if (!env.reliable) {
        tx.completed = (response) => {
          m.dispose();
          this.servers.deleteIf(key, tx);
          // the bytes sendResponse just sent, when it was this response (it was, unless a listener replied again)
          const sent = this.lastSentResponse === response && this.lastSentBytes !== undefined ? this.lastSentBytes : serializeMessage(response);
          this.lastSentResponse = undefined;
          this.lastSentBytes = undefined;
          this.completedServers.set(key, sent, source);
          tx.terminated();
        };
      }
      m.start();
    }
  }

  private deliverRequest(tx: ServerTransaction): void {
    const req = tx.request;
    if (req.method === "CANCEL") {
      // §9.2: answer the CANCEL itself, then let the INVITE's owner act (487 or propagate).
      const invite = this.findInvite(req);
      if (invite === undefined) {
        tx.respond(createResponse(req, 481, { toTag: newTag() }));
        return;
      }
      tx.respond(createResponse(req, 200, { toTag: newTag() }));
      if (invite.answered) return; // "the CANCEL request has no effect"
      invite.cancelled = true;
      invite.cancelRequest = req;
      const listeners = invite.cancelListeners;
      invite.cancelListeners = undefined;
      if (listeners !== undefined) for (const l of listeners) l(req);
      return;
    }
    this.requestHandler(tx);
  }

  /**
   * §18.2.2: on TCP back to the connection the request came on (falling back to received/sent-by),
   * on UDP to received/rport.
   */
  private sendResponse(response: SipResponse, source: Destination, onError: () => void): void {
    const viaDest = responseDestination(response);
    const first = source.transport === "tcp" ? source : (viaDest ?? source);
    const bytes = serializeMessage(response);
    this.lastSentResponse = response;
    this.lastSentBytes = bytes;
    this.options.transport.send(response, first, bytes).catch(() => {
      if (first !== viaDest && viaDest !== undefined) this.transmit(response, viaDest, onError);
      else onError();
    });
  }
}
