/**
 * An in-memory network for unit tests of transactions, proxies and UAs: each `FakeTransport` is a
 * node on it. Messages are serialized and parsed again on delivery (so tests see what the wire
 * would carry), delivered asynchronously (a microtask), go through the same inbound processing as
 * real sockets, and are recorded in `sent`. A test can drop messages with `filter`.
 */
import type { Endpoint } from "@ims/runtime";
import { type SipMessage, serializeMessage } from "../message/index.js";
import { processInbound } from "./inbound.js";
import type { Destination, Inbound, SipTransport, TransportProtocol } from "./types.js";

export interface SentRecord {
  readonly from: Endpoint;
  readonly to: Destination;
  readonly data: Buffer;
  readonly message: SipMessage;
}

const key = (a: string, p: number) => `${a}|${p}`;

export class FakeNetwork {
  private readonly nodes = new Map<string, FakeTransport>();
  readonly sent: SentRecord[] = [];
  /** Return false to lose a message (it is still recorded in `sent`). */
  filter: (record: SentRecord) => boolean = () => true;

  /** Adds a node listening on address:port. */
  transport(address: string, port: number, protocols: readonly TransportProtocol[] = ["udp", "tcp"]): FakeTransport {
    const t = new FakeTransport(this, { address, port }, protocols);
    this.nodes.set(key(address, port), t);
    return t;
  }

  /** @internal */
  deliver(from: FakeTransport, message: SipMessage, to: Destination): Promise<void> {
    const target = this.nodes.get(key(to.address, to.port));
    if (target === undefined || !target.protocols.includes(to.transport)) {
      return Promise.reject(new Error(`no route to ${to.transport}:${to.address}:${to.port}`));
    }
    const data = serializeMessage(message);
    const record = { from: from.local, to, data, message };
    this.sent.push(record);
    if (this.filter(record)) {
      queueMicrotask(() => target.receive(data, { transport: to.transport, ...from.local }));
    }
    return Promise.resolve();
  }

  /** @internal */
  remove(t: FakeTransport): void {
    this.nodes.delete(key(t.local.address, t.local.port));
  }

  /** Messages sent so far, as start lines ("INVITE sip:b@x" / "200 OK"), for compact assertions. */
  trace(): string[] {
    return this.sent.map(
      (r) =>
        `${r.from.address}>${r.to.address} ` +
        (r.message.kind === "request" ? r.message.method : `${r.message.status}`),
    );
  }
}

export class FakeTransport implements SipTransport {
  private handler: (inbound: Inbound) => void = () => undefined;

  constructor(
    private readonly network: FakeNetwork,
    readonly local: Endpoint,
    readonly protocols: readonly TransportProtocol[],
  ) {}

  send(message: SipMessage, dest: Destination): Promise<void> {
    return this.network.deliver(this, message, dest);
  }

  onMessage(handler: (inbound: Inbound) => void): void {
    this.handler = handler;
  }

  /** @internal */
  receive(data: Buffer, source: Destination): void {
    const outcome = processInbound(data, source, this.local);
    if (outcome.kind === "request" || outcome.kind === "response") this.handler(outcome);
    else if (outcome.kind === "reply") void this.send(outcome.response, source).catch(() => undefined);
  }

  close(): Promise<void> {
    this.network.remove(this);
    return Promise.resolve();
  }
}

/** Lets queued deliveries (microtasks) and their consequences run. */
export async function settle(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await Promise.resolve();
}
