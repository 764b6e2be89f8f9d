/**
 * Media forwarding spread over worker threads, so one relay process uses several cores as
 * rtpengine does. Both legs of a call live in the same thread (a packet leaves through its peer
 * leg's socket). The control thread keeps the Leg objects; the media threads report each leg's
 * counters every `reportMs`, so `query` and timeouts see them at most that late.
 */
import { Worker } from "node:worker_threads";
import type { Clock, Logger } from "@ims/runtime";
import type { MediaPorts } from "../call/call-table.js";
import type { Leg } from "../call/leg.js";
import type { FromMediaThread, ToMediaThread } from "./media-thread-protocol.js";
import type { MediaCounters } from "./udp-media-plane.js";

/** The compiled worker: beside this file in dist/, or in dist/ when this runs from src/ (vitest). */
function workerUrl(): URL {
  const here = new URL(import.meta.url);
  return here.pathname.endsWith(".ts") ? new URL("../../dist/relay/media-worker.js", here) : new URL("./media-worker.js", here);
}

function shardOf(callId: string, n: number): number {
  let h = 0;
  for (let i = 0; i < callId.length; i++) h = (Math.imul(h, 31) + callId.charCodeAt(i)) | 0;
  return (h >>> 0) % n;
}

interface Thread {
  readonly worker: Worker;
  counters: MediaCounters;
}

export class ThreadedMediaPlane implements MediaPorts {
  private readonly threads: Thread[] = [];
  private readonly ids = new Map<Leg, number>();
  private readonly legs = new Map<number, Leg>();
  private readonly waiting = new Map<number, (ok: boolean) => void>();
  private nextId = 1;

  constructor(address: string, count: number, private readonly clock: Clock, logger: Logger | undefined, reportMs = 200) {
    for (let i = 0; i < count; i++) {
      const worker = new Worker(workerUrl(), { workerData: { address, reportMs } });
      const thread: Thread = { worker, counters: { received: 0, forwarded: 0, dropped: 0, sendErrors: 0 } };
      worker.on("message", (m: FromMediaThread) => this.onMessage(thread, m));
      worker.on("error", (e) => logger?.error({ err: e.message }, "media thread failed"));
      this.threads.push(thread);
    }
  }

  get counters(): MediaCounters {
    const sum: MediaCounters = { received: 0, forwarded: 0, dropped: 0, sendErrors: 0 };
    for (const t of this.threads) {
      sum.received += t.counters.received;
      sum.forwarded += t.counters.forwarded;
      sum.dropped += t.counters.dropped;
      sum.sendErrors += t.counters.sendErrors;
    }
    return sum;
  }

  open(leg: Leg): Promise<boolean> {
    const id = this.nextId++;
    this.ids.set(leg, id);
    this.legs.set(id, leg);
    return new Promise((resolve) => {
      this.waiting.set(id, (ok) => {
        if (!ok) {
          this.ids.delete(leg);
          this.legs.delete(id);
        }
        resolve(ok);
      });
      this.post(leg, { op: "open", id, callId: leg.callId, side: leg.side, index: leg.index, rtp: leg.ports.rtp, rtcp: leg.ports.rtcp });
    });
  }

  update(leg: Leg): void {
    const id = this.ids.get(leg);
    if (id === undefined) return;
    const m = leg.media;
    const peer = leg.peer === undefined ? undefined : this.ids.get(leg.peer);
    this.post(leg, {
      op: "update",
      id,
      peer,
      media: m === undefined ? undefined : { index: m.index, type: m.type, port: m.port, protocol: m.protocol, formats: m.formats, rtp: m.rtp, rtcp: m.rtcp, clockRates: [...m.clockRates] },
    });
    // The peer may have been opened after this leg's first update: tell it too.
    if (leg.peer !== undefined && peer !== undefined) this.post(leg, { op: "update", id: peer, peer: id, media: undefined });
  }

  close(leg: Leg): Promise<void> {
    const id = this.ids.get(leg);
    if (id === undefined) return Promise.resolve();
    this.ids.delete(leg);
    this.legs.delete(id);
    return new Promise((resolve) => {
      this.waiting.set(id, () => resolve());
      this.post(leg, { op: "close", id });
    });
  }

  async stop(): Promise<void> {
    await Promise.all(this.threads.map((t) => t.worker.terminate()));
    for (const [, done] of this.waiting) done(false);
    this.waiting.clear();
  }

  private post(leg: Leg, m: ToMediaThread): void {
    this.threads[shardOf(leg.callId, this.threads.length)]!.worker.postMessage(m);
  }

  private onMessage(thread: Thread, m: FromMediaThread): void {
    if (m.op === "opened" || m.op === "closed") {
      const done = this.waiting.get(m.id);
      this.waiting.delete(m.id);
      done?.(m.op === "closed" || m.ok);
      return;
    }
    thread.counters = m.counters;
    const now = this.clock.now();
    for (const r of m.legs) {
      const leg = this.legs.get(r.id);
      if (leg === undefined) continue;
      leg.remote = r.snap;
      if (r.idleMs !== undefined) leg.lastPacket = now - r.idleMs;
    }
  }
}
