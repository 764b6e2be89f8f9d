/**
 * The relay's calls, keyed as rtpengine keys them: call-id, then the tags of the two sides
 * (from-tag of the offer = side A, to-tag of the answer = side B). An offer allocates a port pair
 * per live media stream on both sides and returns the offerer's SDP pointed at the B-side ports
 * (the answerer will send there); the answer returns the answerer's SDP pointed at the A-side
 * ports. Ports are freed on delete and when a call has been silent (no media, no signalling) for
 * `timeoutMs`. Sockets are opened and closed through the injected `MediaPorts`.
 */
import { err, ok, type Clock, type Result, type TaggedError } from "@ims/runtime";
import { parseSdp, rewriteSdp, type SdpMedia } from "../sdp/sdp.js";
import type { PortAllocator } from "../media/port-allocator.js";
import { Leg } from "./leg.js";

export interface MediaPorts {
  /** Binds the leg's RTP and RTCP sockets; false when a port cannot be bound (taken by someone else). */
  open(leg: Leg): Promise<boolean>;
  /** Closes the leg's sockets; a promise when they close later (another thread): the ports are reused only then. */
  close(leg: Leg): void | Promise<void>;
  /** The leg's SDP description or peer changed (a media plane in another thread needs to know). */
  update?(leg: Leg): void;
}

export type CallErrorTag = "unknown-call" | "bad-sdp" | "ports-exhausted" | "media-mismatch";
export interface CallError extends TaggedError<CallErrorTag> {}

export class Call {
  /** Legs per side, indexed by media index; undefined for a rejected (port 0) stream. */
  readonly legs: { A: (Leg | undefined)[]; B: (Leg | undefined)[] } = { A: [], B: [] };
  toTag: string | undefined;
  lastSignal: number;

  constructor(readonly callId: string, readonly fromTag: string, readonly created: number) {
    this.lastSignal = created;
  }

  sideOf(tag: string | undefined): "A" | "B" | undefined {
    if (tag === this.fromTag) return "A";
    if (tag !== undefined && tag === this.toTag) return "B";
    return undefined;
  }

  tagOf(side: "A" | "B"): string {
    return side === "A" ? this.fromTag : (this.toTag ?? "");
  }

  allLegs(): Leg[] {
    return [...this.legs.A, ...this.legs.B].filter((l): l is Leg => l !== undefined);
  }

  lastActivity(): number {
    let t = this.lastSignal;
    for (const l of this.allLegs()) if (l.lastPacket > t) t = l.lastPacket;
    return t;
  }
}

export interface CallTableOptions {
  readonly address: string;
  readonly allocator: PortAllocator;
  readonly media: MediaPorts;
  readonly clock: Clock;
  readonly timeoutMs: number;
  readonly relatchAfterMs?: number;
}

const BIND_ATTEMPTS = 16;

export class CallTable {
  private readonly calls = new Map<string, Call>();

  constructor(private readonly opts: CallTableOptions) {}

  get size(): number {
    return this.calls.size;
  }

  get(callId: string): Call | undefined {
    return this.calls.get(callId);
  }

  list(): string[] {
    return [...this.calls.keys()];
  }

  /** Handles an offer from `fromTag`; a re-offer from either known side reuses that call's ports. */
  async offer(callId: string, fromTag: string, sdp: string): Promise<Result<string, CallError>> {
    const parsed = parseSdp(sdp);
    if (!parsed.ok) return err({ tag: "bad-sdp", reason: `Failed to parse SDP: ${parsed.error.reason}` });
    let call = this.calls.get(callId);
    const isNew = call === undefined || call.sideOf(fromTag) === undefined;
    if (call !== undefined && isNew) this.delete(callId); // a new offerer: start over
    if (call === undefined || isNew) {
      call = new Call(callId, fromTag, this.opts.clock.now());
      this.calls.set(callId, call);
    }
    const side = call.sideOf(fromTag)!;
    const other = side === "A" ? "B" : "A";
    const ports = await this.ensureLegs(call, parsed.value, side, other);
    if (!ports.ok) {
      if (isNew) this.delete(callId);
      return ports;
    }
    call.lastSignal = this.opts.clock.now();
    return ok(rewriteSdp(sdp, { address: this.opts.address, ports: ports.value }));
  }

  /** Handles the answer; `toTag` names the answering side (the offer's from-tag is side A). */
  async answer(callId: string, fromTag: string, toTag: string, sdp: string): Promise<Result<string, CallError>> {
    const parsed = parseSdp(sdp);
    if (!parsed.ok) return err({ tag: "bad-sdp", reason: `Failed to parse SDP: ${parsed.error.reason}` });
    const call = this.calls.get(callId);
    if (call === undefined || call.sideOf(fromTag) === undefined) return err({ tag: "unknown-call", reason: "Unknown call-id" });
    if (call.toTag === undefined && toTag !== fromTag) call.toTag = toTag;
    // An answer to a re-offer from B comes from A: the answerer is whichever side is not the last offerer.
    const answerer = call.sideOf(toTag) ?? "B";
    const offerer = answerer === "A" ? "B" : "A";
    const out: ({ rtp: number; rtcp: number } | undefined)[] = [];
    for (const m of parsed.value) {
      const mine = call.legs[answerer][m.index];
      const theirs = call.legs[offerer][m.index];
      if (m.rtp === undefined) {
        out.push(undefined);
        continue;
      }
      if (mine === undefined || theirs === undefined) {
        return err({ tag: "media-mismatch", reason: `answer has a live media ${m.index} the offer did not have` });
      }
      mine.describe(m);
      this.opts.media.update?.(mine);
      out.push(theirs.ports);
    }
    call.lastSignal = this.opts.clock.now();
    return ok(rewriteSdp(sdp, { address: this.opts.address, ports: out }));
  }

  /** Frees a call's ports; false when there was no such call. */
  delete(callId: string): boolean {
    const call = this.calls.get(callId);
    if (call === undefined) return false;
    this.calls.delete(callId);
    for (const leg of call.allLegs()) {
      const closed = this.opts.media.close(leg);
      if (closed === undefined) this.opts.allocator.release(leg.ports);
      else void closed.then(() => this.opts.allocator.release(leg.ports));
    }
    return true;
  }

  /** Deletes calls silent for longer than the timeout; returns their call-ids. */
  sweep(): string[] {
    const now = this.opts.clock.now();
    const dead = [...this.calls.values()].filter((c) => now - c.lastActivity() >= this.opts.timeoutMs).map((c) => c.callId);
    for (const id of dead) this.delete(id);
    return dead;
  }

  private async ensureLegs(call: Call, media: SdpMedia[], side: "A" | "B", other: "A" | "B"): Promise<Result<({ rtp: number; rtcp: number } | undefined)[], CallError>> {
    const out: ({ rtp: number; rtcp: number } | undefined)[] = [];
    for (const m of media) {
      if (m.rtp === undefined) {
        out.push(undefined);
        continue;
      }
      for (const s of [side, other] as const) {
        if (call.legs[s][m.index] !== undefined) continue;
        const leg = await this.newLeg(call, s, m.index);
        if (!leg.ok) return leg;
        call.legs[s][m.index] = leg.value;
      }
      const mine = call.legs[side][m.index]!;
      const theirs = call.legs[other][m.index]!;
      mine.peer = theirs;
      theirs.peer = mine;
      mine.describe(m);
      this.opts.media.update?.(mine);
      this.opts.media.update?.(theirs);
      out.push(theirs.ports);
    }
    return ok(out);
  }

  private async newLeg(call: Call, side: "A" | "B", index: number): Promise<Result<Leg, CallError>> {
    for (let attempt = 0; attempt < BIND_ATTEMPTS; attempt++) {
      const pair = this.opts.allocator.allocate();
      if (!pair.ok) return err({ tag: "ports-exhausted", reason: "Ran out of ports" });
      const leg = new Leg(call.callId, side, index, pair.value, this.opts.relatchAfterMs ?? 2000);
      // A pair another program holds is not released: the allocator must not hand it out again.
      if (await this.opts.media.open(leg)) return ok(leg);
    }
    return err({ tag: "ports-exhausted", reason: `could not bind a port pair in ${BIND_ATTEMPTS} attempts` });
  }
}
