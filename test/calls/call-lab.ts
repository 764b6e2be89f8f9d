/**
 * What the call flow tests share: an in-process lab on 127.5.<net>.x, registered call UEs on it,
 * and the SIP messages of one call per hop (node → node) from the lab's packet tap.
 */
import { type SipMessage, type SipRequest, type SipResponse, getCSeq, getHeader, getHeaders } from "@ims/sip";
import { type InProcessLab, startInProcessLab, testLabConfig } from "../support/in-process-lab.js";
import { CallUe } from "../support/call-ue.js";
import { sipHops } from "../support/wire.js";

export interface CallLab {
  readonly lab: InProcessLab;
  readonly net: number;
  /** "address:port" of each node. */
  readonly p: string;
  readonly s: string;
  readonly i: string;
  /** A UE on its own address, started (not registered). */
  ue(user: string, password: string): Promise<CallUe>;
  /** A UE started and registered (MD5). */
  registered(user: string, password: string): Promise<CallUe>;
  /** Every SIP message of `callId` sent from `from` to `to` ("address" or "address:port" prefixes). */
  hops(callId: string, from: string, to: string): SipMessage[];
  /** The requests of `method` of `callId` on one hop. */
  requests(callId: string, method: string, from: string, to: string): SipRequest[];
  /** The responses to `method` of `callId` on one hop. */
  responses(callId: string, method: string, from: string, to: string): SipResponse[];
  stop(): Promise<void>;
}

const at = (a: { address: string; port: number }): string => `${a.address}:${a.port}`;

export async function startCallLab(net: number): Promise<CallLab> {
  const lab = await startInProcessLab(testLabConfig(net));
  const ues: CallUe[] = [];
  let next = 100;
  const pc = lab.config.pcscf[0]!;
  const ue = async (user: string, password: string): Promise<CallUe> => {
    const u = await CallUe.start({
      address: `127.5.${net}.${next++}`,
      port: 5066,
      domain: lab.config.domain,
      user,
      password,
      proxy: { address: pc.address, port: pc.port },
    });
    ues.push(u);
    return u;
  };
  const hops = (callId: string, from: string, to: string): SipMessage[] =>
    sipHops(lab.wire)
      .filter((h) => h.from.startsWith(from) && h.to.startsWith(to) && getHeader(h.message, "call-id") === callId)
      .map((h) => h.message);
  return {
    lab,
    net,
    p: at(pc),
    s: at(lab.config.scscf[0]!),
    i: at(lab.config.icscf),
    ue,
    registered: async (user, password) => {
      const u = await ue(user, password);
      const r = await u.register();
      if (r.final.status !== 200) throw new Error(`${user} did not register: ${r.final.status}`);
      return u;
    },
    hops,
    requests: (callId, method, from, to) =>
      hops(callId, from, to).filter((m): m is SipRequest => m.kind === "request" && m.method === method),
    responses: (callId, method, from, to) =>
      hops(callId, from, to).filter((m): m is SipResponse => m.kind === "response" && getCSeq(m)?.method === method),
    stop: async () => {
      for (const u of ues) await u.stop().catch(() => undefined);
      await lab.stop();
    },
  };
}

/** The Route / Record-Route values of a message, one per entry (header lines may hold several). */
export function routeList(m: SipMessage, name: "route" | "record-route"): string[] {
  return getHeaders(m, name)
    .flatMap((line) => line.split(/,(?=\s*<)/))
    .map((v) => v.trim());
}

/** Resolves after `ms` (for the ring time of a test UE only: the flow itself never sleeps). */
export const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
