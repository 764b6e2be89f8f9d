/**
 * A media thread: owns the sockets of the legs the control thread gives it and forwards their
 * packets (the same UdpMediaPlane as the single-threaded relay), reporting counters periodically.
 */
import { parentPort, workerData } from "node:worker_threads";
import { systemClock } from "@ims/runtime";
import { Leg } from "../call/leg.js";
import { UdpMediaPlane } from "./udp-media-plane.js";
import type { FromMediaThread, ToMediaThread } from "./media-thread-protocol.js";

const { address, reportMs } = workerData as { address: string; reportMs: number };
const port = parentPort;
if (port === null) throw new Error("media-worker must run as a worker thread");
const plane = new UdpMediaPlane(address, systemClock, undefined, undefined);
const legs = new Map<number, Leg>();
const post = (m: FromMediaThread): void => port.postMessage(m);

port.on("message", (m: ToMediaThread) => {
  if (m.op === "open") {
    const leg = new Leg(m.callId, m.side, m.index, { rtp: m.rtp, rtcp: m.rtcp }, 2000);
    void plane.open(leg).then((ok) => {
      if (ok) legs.set(m.id, leg);
      post({ op: "opened", id: m.id, ok });
    });
  } else if (m.op === "update") {
    const leg = legs.get(m.id);
    if (leg === undefined) return;
    leg.peer = m.peer === undefined ? undefined : legs.get(m.peer);
    if (m.media !== undefined) leg.describe({ ...m.media, clockRates: new Map(m.media.clockRates) });
  } else {
    const leg = legs.get(m.id);
    legs.delete(m.id);
    if (leg !== undefined) plane.close(leg); // closes the descriptors at once: the ports are free
    post({ op: "closed", id: m.id });
  }
});

const timer = setInterval(() => {
  const now = systemClock.now();
  post({
    op: "report",
    counters: { ...plane.counters },
    legs: [...legs].map(([id, leg]) => ({ id, snap: leg.snapshot(), idleMs: leg.lastPacket === Number.NEGATIVE_INFINITY ? undefined : now - leg.lastPacket })),
  });
}, reportMs);
timer.unref();
