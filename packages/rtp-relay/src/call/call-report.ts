/**
 * A call's state and counters as a bencode dictionary, shaped like rtpengine's `query` reply
 * (totals, then tags → medias → streams), with RFC 3550 loss and jitter added per RTP stream.
 * Bencode has only integers: jitter is given in timestamp units and in microseconds.
 */
import type { Endpoint } from "@ims/runtime";
import type { BDict } from "../ng/bencode.js";
import type { Call } from "./call-table.js";
import type { Leg } from "./leg.js";

function endpoint(e: Endpoint | undefined): BDict {
  return e === undefined ? {} : { family: e.address.includes(":") ? "IPv6" : "IPv4", address: e.address, port: e.port };
}

function legReport(leg: Leg): BDict {
  const snap = leg.snapshot();
  const s = snap.rtp;
  return {
    index: leg.index + 1,
    type: leg.media?.type ?? "",
    protocol: leg.media?.protocol ?? "",
    streams: [
      {
        "local port": leg.ports.rtp,
        endpoint: endpoint(snap.rtpDestination),
        "advertised endpoint": endpoint(leg.media?.rtp),
        latched: snap.rtpLatched ? 1 : 0,
        stats: { packets: s.packets, bytes: s.bytes, errors: s.errors },
        expected: s.expected,
        lost: s.lost,
        jitter: Math.round(s.jitter),
        "jitter-us": Math.round(s.jitterMs * 1000),
        dropped: snap.dropped,
      },
      {
        "local port": leg.ports.rtcp,
        endpoint: endpoint(snap.rtcpDestination),
        "advertised endpoint": endpoint(leg.media?.rtcp),
        latched: snap.rtcpLatched ? 1 : 0,
        stats: { packets: snap.rtcpPackets, bytes: snap.rtcpBytes, errors: 0 },
      },
    ],
  };
}

export function callReport(call: Call): BDict {
  const totals = { RTP: { packets: 0, bytes: 0, errors: 0 }, RTCP: { packets: 0, bytes: 0, errors: 0 } };
  for (const leg of call.allLegs()) {
    const snap = leg.snapshot();
    const s = snap.rtp;
    totals.RTP.packets += s.packets;
    totals.RTP.bytes += s.bytes;
    totals.RTP.errors += s.errors;
    totals.RTCP.packets += snap.rtcpPackets;
    totals.RTCP.bytes += snap.rtcpBytes;
  }
  const tags: Record<string, BDict> = {};
  for (const side of ["A", "B"] as const) {
    const tag = call.tagOf(side);
    const legs = call.legs[side].filter((l): l is Leg => l !== undefined);
    if (legs.length === 0 && side === "B" && call.toTag === undefined) continue;
    tags[tag] = {
      tag,
      "in dialogue with": call.tagOf(side === "A" ? "B" : "A"),
      medias: legs.map(legReport),
    };
  }
  return {
    created: Math.floor(call.created / 1000),
    "last signal": Math.floor(call.lastSignal / 1000),
    totals,
    tags,
  };
}
