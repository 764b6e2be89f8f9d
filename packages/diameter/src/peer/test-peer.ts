import { FakeClock } from "@ims/runtime";
import { type DiameterMessage, IdGenerator, avp, createRequest, answerTo, encodeMessage, decodeMessage } from "../codec/index.js";
import { buildCea, buildCer } from "./capabilities.js";
import { PeerStateMachine } from "./peer-fsm.js";
import type { ApplicationId, ConnId, LocalIdentity, PeerAction, PeerTimers } from "./types.js";

/** Test fixtures for the peer layer (not exported from the package). */
export const CX: ApplicationId = { vendorId: 10415, authApplicationId: 16777216 };

export function identity(host: string, apps: readonly ApplicationId[] = [CX]): LocalIdentity {
  return {
    originHost: host,
    originRealm: "domain.imsprovider.org",
    hostIpAddresses: ["127.2.0.1"],
    vendorId: 0,
    productName: "ims-core",
    firmwareRevision: 1,
    originStateId: 7,
    supportedVendorIds: [10415],
    applications: apps,
  };
}

/** Encodes and decodes, as a message crossing the wire would be. */
export function wire(m: DiameterMessage): DiameterMessage {
  const r = decodeMessage(encodeMessage(m));
  if (!r.ok) throw new Error(r.error.reason);
  return r.value;
}

export function cerFrom(host: string, apps: readonly ApplicationId[] = [CX]): DiameterMessage {
  return wire(buildCer(identity(host, apps), { hopByHop: 1, endToEnd: 2 }));
}

export function ceaFrom(host: string, cer: DiameterMessage, resultCode = 2001, apps: readonly ApplicationId[] = [CX]): DiameterMessage {
  return wire(buildCea(identity(host, apps), cer, resultCode));
}

export function dwrFrom(host: string): DiameterMessage {
  return wire(createRequest("DWR", [avp("Origin-Host", host), avp("Origin-Realm", "domain.imsprovider.org")], { hopByHop: 9, endToEnd: 9 }));
}

export function answerFrom(host: string, req: DiameterMessage, resultCode = 2001): DiameterMessage {
  return wire(answerTo(req, [avp("Result-Code", resultCode), avp("Origin-Host", host), avp("Origin-Realm", "domain.imsprovider.org")]));
}

export interface Harness {
  readonly clock: FakeClock;
  readonly fsm: PeerStateMachine;
  readonly actions: PeerAction[];
  /** Actions recorded since the last call, cleared. */
  take(): PeerAction[];
  sent(): DiameterMessage[];
  conn(): ConnId;
}

export function harness(options: { local?: string; peer?: string; connect?: boolean; timers?: Partial<PeerTimers>; apps?: readonly ApplicationId[]; deliver?: (conn: ConnId, m: DiameterMessage) => void } = {}): Harness {
  const clock = new FakeClock();
  const actions: PeerAction[] = [];
  let seq = 100;
  const fsm = new PeerStateMachine({
    local: identity(options.local ?? "mmm.domain.imsprovider.org", options.apps),
    peerHost: options.peer ?? "peer.domain.imsprovider.org",
    connect: options.connect ?? true,
    clock,
    timers: { twJitterMs: 2_000, ...options.timers },
    ids: new IdGenerator(0, () => 0.25),
    nextConnId: () => ++seq,
    random: () => 0.5,
    emit: (a) => actions.push(a),
    ...(options.deliver !== undefined ? { deliver: options.deliver } : {}),
  });
  let mark = 0;
  return {
    clock,
    fsm,
    actions,
    take() {
      const out = actions.slice(mark);
      mark = actions.length;
      return out;
    },
    sent() {
      return actions.flatMap((a) => (a.type === "send" ? [a.message] : []));
    },
    conn() {
      return seq;
    },
  };
}
