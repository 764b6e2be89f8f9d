/**
 * Raw sockets for the robustness tests: bytes in, whatever comes back out. No SIP or Diameter stack
 * on this side, so a test can send what no stack would build.
 */
import { createSocket, type Socket } from "node:dgram";
import { connect, type Socket as TcpSocket } from "node:net";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

export interface Target {
  readonly address: string;
  readonly port: number;
}

/** Mulberry32: a small seeded PRNG, so a failing fuzz run can be replayed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomBytes(next: () => number, length: number): Buffer {
  const b = Buffer.alloc(length);
  for (let i = 0; i < length; i++) b[i] = Math.floor(next() * 256);
  return b;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A UDP socket on its own address that keeps every datagram it receives. */
export class UdpProbe {
  readonly received: { data: Buffer; from: Target }[] = [];
  private constructor(
    private readonly socket: Socket,
    readonly local: Target,
  ) {
    socket.on("message", (data, rinfo) => this.received.push({ data, from: { address: rinfo.address, port: rinfo.port } }));
  }

  static async open(address: string, port = 0): Promise<UdpProbe> {
    const socket = createSocket("udp4");
    await new Promise<void>((resolve, reject) => {
      socket.once("error", reject);
      socket.bind(port, address, () => resolve());
    });
    socket.on("error", () => undefined);
    return new UdpProbe(socket, { address, port: socket.address().port });
  }

  send(to: Target, data: Buffer | string): Promise<void> {
    return new Promise((resolve, reject) => this.socket.send(typeof data === "string" ? Buffer.from(data, "latin1") : data, to.port, to.address, (e) => (e ? reject(e) : resolve())));
  }

  /** Sends and waits up to `ms` for a datagram from `to`; undefined on silence. */
  async exchange(to: Target, data: Buffer | string, ms = 800): Promise<string | undefined> {
    const before = this.received.length;
    await this.send(to, data);
    const until = Date.now() + ms;
    while (Date.now() < until) {
      const hit = this.received.slice(before).find((r) => r.from.port === to.port && r.from.address === to.address);
      if (hit !== undefined) return hit.data.toString("latin1");
      await sleep(10);
    }
    return undefined;
  }

  /** Sends and waits up to `ms` for a datagram from `to` containing `marker`; undefined on silence. */
  async exchangeMatching(to: Target, data: Buffer | string, marker: string, ms = 800): Promise<string | undefined> {
    const before = this.received.length;
    await this.send(to, data);
    const until = Date.now() + ms;
    while (Date.now() < until) {
      const hit = this.received.slice(before).find((r) => r.from.port === to.port && r.from.address === to.address && r.data.includes(marker));
      if (hit !== undefined) return hit.data.toString("latin1");
      await sleep(10);
    }
    return undefined;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }
}

/** A TCP connection that records what it reads and whether the peer closed it. */
export class TcpProbe {
  private chunks: Buffer[] = [];
  closed = false;
  private constructor(readonly socket: TcpSocket) {
    socket.on("data", (d) => this.chunks.push(d));
    socket.on("close", () => (this.closed = true));
    socket.on("error", () => undefined);
  }

  static open(to: Target, localAddress?: string): Promise<TcpProbe> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: to.address, port: to.port, ...(localAddress === undefined ? {} : { localAddress }) });
      socket.once("connect", () => resolve(new TcpProbe(socket)));
      socket.once("error", reject);
    });
  }

  get data(): Buffer {
    return Buffer.concat(this.chunks);
  }
  get text(): string {
    return this.data.toString("latin1");
  }

  write(data: Buffer | string): Promise<void> {
    return new Promise((resolve) => {
      if (this.closed || this.socket.destroyed) return resolve();
      this.socket.write(typeof data === "string" ? Buffer.from(data, "latin1") : data, () => resolve());
    });
  }

  /** Waits until `done` holds (true) or `ms` pass (false). */
  async until(done: (p: TcpProbe) => boolean, ms = 1500): Promise<boolean> {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      if (done(this)) return true;
      await sleep(10);
    }
    return done(this);
  }

  close(): void {
    this.socket.destroy();
  }
}

/** The status line of a SIP response ("SIP/2.0 400 Bad Request (...)"), or undefined. */
export function statusLine(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const line = text.split("\r\n")[0] ?? "";
  return line.startsWith("SIP/2.0 ") ? line : undefined;
}

/** The GC, exposed at run time when the process was started without --expose-gc. */
function findGc(): (() => void) | undefined {
  const own = (globalThis as { gc?: () => void }).gc;
  if (own !== undefined) return own;
  try {
    setFlagsFromString("--expose-gc");
    const gc: unknown = runInNewContext("gc");
    return typeof gc === "function" ? (gc as () => void) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Memory the process holds for JS objects and Buffers (heapUsed + arrayBuffers: a buffered stream
 * lives outside the JS heap), after a full GC when the GC can be reached (otherwise as it is, so
 * bound it loosely).
 */
export async function memoryUsed(): Promise<number> {
  const gc = findGc();
  if (gc !== undefined) {
    gc();
    await sleep(20);
    gc();
  }
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}
