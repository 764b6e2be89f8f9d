/**
 * A UE that registers through a P-CSCF (ScriptedUe) and then places and answers calls with the
 * SipStack UAC/UAS API: INVITE (with or without 100rel), CANCEL, ACK, BYE, re-INVITE, UPDATE,
 * PRACK, MESSAGE. Dialogs keep their route set from Record-Route (RFC 3261 §12.1: reversed at the
 * UAC, as received at the UAS) and every request goes to the UE's P-CSCF, as an IMS UE does.
 */
import {
  type Destination,
  type OutgoingRequest,
  type RequestContext,
  type SipRequest,
  type SipResponse,
  buildRequest,
  getContacts,
  getCSeq,
  getFrom,
  getHeader,
  getHeaders,
  getTo,
  newBranch,
  newCallId,
  pushVia,
  routeSetFromResponse,
  serializeUri,
} from "@ims/sip";
import { type RegisterOptions, type RegisterOutcome, ScriptedUe, type UeOptions } from "./scripted-ue.js";

/** How the UE answers a new INVITE. */
export type Answering =
  /** `contact`: the Contact of the 180/200 when it is not the registered one (remote target of the dialog). */
  | { readonly kind: "answer"; readonly ringMs?: number; readonly reliable?: boolean; readonly contact?: string; readonly earlyMedia?: boolean }
  | { readonly kind: "reject"; readonly status: number }
  /** 180 and nothing more (until CANCEL → 487). */
  | { readonly kind: "ring" };

/** One side's view of a dialog (RFC 3261 §12). */
export interface Dialog {
  readonly callId: string;
  readonly localUri: string;
  readonly localTag: string;
  readonly remoteUri: string;
  readonly remoteTag: string;
  readonly remoteTarget: string;
  readonly routeSet: readonly string[];
  cseq: number;
}

export interface OutgoingCall {
  readonly invite: SipRequest;
  readonly out: OutgoingRequest;
  /** Provisional responses, in order of arrival. */
  readonly provisionals: SipResponse[];
  /** Final responses to the PRACKs the UE sent (100rel). */
  readonly pracks: Promise<SipResponse>[];
  readonly final: Promise<SipResponse>;
}

export interface RequestOptions {
  readonly headers?: readonly (readonly [string, string])[];
  readonly body?: string;
  readonly contentType?: string;
}

/** A minimal audio offer/answer (RFC 4566) naming the UE's address. */
export function sdp(address: string, port: number, version = 1): string {
  return [
    "v=0",
    `o=- 1 ${version} IN IP4 ${address}`,
    "s=-",
    `c=IN IP4 ${address}`,
    "t=0 0",
    `m=audio ${port} RTP/AVP 8`,
    "a=rtpmap:8 PCMA/8000",
    "",
  ].join("\r\n");
}

const tagOf = (v: { readonly tag?: string } | undefined): string | undefined => v?.tag;
const uriOf = (m: SipRequest | SipResponse, h: "from" | "to"): string => {
  const na = h === "from" ? getFrom(m) : getTo(m);
  return na === undefined ? "" : serializeUri(na.uri);
};
const contactOf = (m: SipRequest | SipResponse): string | undefined => {
  const c = getContacts(m);
  return Array.isArray(c) && c[0] !== undefined ? serializeUri(c[0].uri) : undefined;
};

export class CallUe {
  answering: Answering = { kind: "answer" };
  /** Every request the UE received (ACKs included), in order. */
  readonly received: SipRequest[] = [];
  private waiters: { match: (r: SipRequest) => boolean; resolve: (r: SipRequest) => void }[] = [];
  /** Service-Route of the last 200 to REGISTER. */
  serviceRoute: string[] = [];
  private cseq = 100;

  private constructor(readonly ue: ScriptedUe) {
    ue.stack.onRequest((ctx) => this.onRequest(ctx));
    ue.stack.onAck((ack) => this.record(ack));
  }

  static async start(options: UeOptions): Promise<CallUe> {
    return new CallUe(await ScriptedUe.start(options));
  }

  get impu(): string {
    return this.ue.impu;
  }
  get contact(): string {
    return this.ue.contact;
  }
  get proxy(): Destination {
    const o = this.ue.options;
    return { transport: o.transport ?? "udp", address: o.proxy.address, port: o.proxy.port };
  }
  /** The contact URI (no angle brackets): what the terminating P-CSCF sets as Request-URI. */
  get contactUri(): string {
    return this.ue.contact.slice(1, -1);
  }

  async register(o: RegisterOptions = {}): Promise<RegisterOutcome> {
    const r = await this.ue.register(o);
    if (r.final.status === 200) this.serviceRoute = getHeaders(r.final, "service-route");
    return r;
  }

  /** The first received request (already received or still to come) that matches. */
  waitFor(match: (r: SipRequest) => boolean, timeoutMs = 5_000): Promise<SipRequest> {
    const hit = this.received.find(match);
    if (hit !== undefined) return Promise.resolve(hit);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.resolve !== done);
        reject(new Error(`${this.ue.impu}: no matching request within ${timeoutMs} ms`));
      }, timeoutMs);
      const done = (r: SipRequest): void => {
        clearTimeout(timer);
        resolve(r);
      };
      this.waiters.push({ match, resolve: done });
    });
  }

  waitForMethod(method: string, callId?: string, timeoutMs?: number): Promise<SipRequest> {
    return this.waitFor((r) => r.method === method && (callId === undefined || getHeader(r, "call-id") === callId), timeoutMs);
  }

  /** The Route an IMS UE preloads (TS 24.229 §5.1.2A.1.1): its P-CSCF, then the Service-Route. */
  preloadedRoute(): string[] {
    const p = this.ue.options.proxy;
    return [`<sip:${p.address}:${p.port};lr>`, ...this.serviceRoute];
  }

  /** An out-of-dialog request (INVITE, MESSAGE, OPTIONS) to `target`. */
  newRequest(method: string, target: string, o: RequestOptions = {}): SipRequest {
    return buildRequest({
      method,
      uri: target,
      from: `<${this.impu}>`,
      to: `<${target}>`,
      callId: newCallId(),
      cseq: ++this.cseq,
      contact: this.contact,
      routes: this.preloadedRoute(),
      headers: o.headers ?? [],
      ...(o.body === undefined ? {} : { body: o.body, contentType: o.contentType ?? "application/sdp" }),
    });
  }

  send(request: SipRequest, onResponse?: (r: SipResponse) => void): OutgoingRequest {
    return this.ue.stack.request(request, { destination: this.proxy, ...(onResponse === undefined ? {} : { onResponse }) });
  }

  /** INVITE `target`; with `reliable` it asks for 100rel and PRACKs each reliable provisional (RFC 3262). */
  invite(target: string, o: RequestOptions & { readonly reliable?: boolean } = {}): OutgoingCall {
    const o2 = this.ue.options;
    const headers = [...(o.headers ?? []), ...(o.reliable === true ? ([["Supported", "100rel"], ["Require", "100rel"]] as const) : [])];
    const invite = this.newRequest("INVITE", target, { headers, body: o.body ?? sdp(o2.address, 40000) });
    const provisionals: SipResponse[] = [];
    const pracks: Promise<SipResponse>[] = [];
    const out = this.send(invite, (r) => {
      if (r.status >= 200) return;
      provisionals.push(r);
      const rseq = getHeader(r, "rseq");
      if (o.reliable === true && rseq !== undefined && /100rel/i.test(getHeader(r, "require") ?? "")) {
        const early = this.uacDialog(invite, r);
        pracks.push(this.inDialog(early, "PRACK", { headers: [["RAck", `${rseq.trim()} ${getCSeq(invite)?.seq ?? 1} INVITE`]] }).final);
      }
    });
    return { invite, out, provisionals, pracks, final: out.final };
  }

  /** INVITE → 2xx → ACK: the confirmed dialog, or the failure response. */
  async call(target: string, o: RequestOptions & { readonly reliable?: boolean } = {}): Promise<{ call: OutgoingCall; final: SipResponse; dialog?: Dialog }> {
    const call = this.invite(target, o);
    const final = await call.final;
    if (final.status >= 300) return { call, final };
    await this.ue.stack.sendAck(call.invite, final, this.proxy);
    return { call, final, dialog: this.uacDialog(call.invite, final) };
  }

  /** The UAC's dialog from a response with a To tag (§12.1.2: route set = Record-Route reversed). */
  uacDialog(invite: SipRequest, res: SipResponse): Dialog {
    return {
      callId: getHeader(invite, "call-id") ?? "",
      localUri: uriOf(invite, "from"),
      localTag: tagOf(getFrom(invite)) ?? "",
      remoteUri: uriOf(res, "to"),
      remoteTag: tagOf(getTo(res)) ?? "",
      remoteTarget: contactOf(res) ?? invite.uri,
      routeSet: routeSetFromResponse(getHeaders(res, "record-route")),
      // an early dialog's PRACK already used the next numbers: CSeq keeps rising (§12.2.1.1)
      cseq: Math.max(getCSeq(invite)?.seq ?? 1, this.lastCseq.get(getHeader(invite, "call-id") ?? "") ?? 0),
    };
  }

  /** The UAS's dialog from the INVITE it answered with `localTag` (§12.1.1: Record-Route as received). */
  uasDialog(invite: SipRequest, localTag: string): Dialog {
    return {
      callId: getHeader(invite, "call-id") ?? "",
      localUri: uriOf(invite, "to"),
      localTag,
      remoteUri: uriOf(invite, "from"),
      remoteTag: tagOf(getFrom(invite)) ?? "",
      remoteTarget: contactOf(invite) ?? "",
      // routeSetFromResponse reverses (the UAC's view); the UAS keeps the Record-Route order
      routeSet: routeSetFromResponse(getHeaders(invite, "record-route")).reverse(),
      cseq: 1000,
    };
  }

  /** A request inside `dialog` (BYE, re-INVITE, UPDATE, PRACK, MESSAGE, INFO) along its route set. */
  inDialog(dialog: Dialog, method: string, o: RequestOptions = {}): OutgoingRequest {
    dialog.cseq += 1;
    this.lastCseq.set(dialog.callId, Math.max(dialog.cseq, this.lastCseq.get(dialog.callId) ?? 0));
    const req = buildRequest({
      method,
      uri: dialog.remoteTarget,
      from: `<${dialog.localUri}>`,
      fromTag: dialog.localTag,
      to: `<${dialog.remoteUri}>;tag=${dialog.remoteTag}`,
      callId: dialog.callId,
      cseq: dialog.cseq,
      routes: dialog.routeSet,
      ...(method === "INVITE" || method === "UPDATE" ? { contact: this.contact } : {}),
      headers: o.headers ?? [],
      ...(o.body === undefined ? {} : { body: o.body, contentType: o.contentType ?? "application/sdp" }),
    });
    return this.send(req);
  }

  /** ACK for the 2xx of a re-INVITE: along the dialog's route set, same CSeq number (§13.2.2.4). */
  async ackInDialog(dialog: Dialog, reInvite: SipRequest): Promise<SipRequest> {
    const ack = buildRequest({
      method: "ACK",
      uri: dialog.remoteTarget,
      from: `<${dialog.localUri}>`,
      fromTag: dialog.localTag,
      to: `<${dialog.remoteUri}>;tag=${dialog.remoteTag}`,
      callId: dialog.callId,
      cseq: getCSeq(reInvite)?.seq ?? dialog.cseq,
      routes: dialog.routeSet,
    });
    pushVia(ack, this.proxy.transport, this.ue.stack.transport.local, newBranch());
    await this.ue.stack.transport.send(ack, this.proxy);
    return ack;
  }

  /** Highest CSeq this UE sent per Call-ID (early and confirmed dialogs of one call share it). */
  private readonly lastCseq = new Map<string, number>();
  /** The UAS dialogs of calls this UE answered, by Call-ID. */
  readonly answered = new Map<string, Dialog>();

  private record(r: SipRequest): void {
    this.received.push(r);
    const hit = this.waiters.filter((w) => w.match(r));
    this.waiters = this.waiters.filter((w) => !w.match(r));
    for (const w of hit) w.resolve(r);
  }

  private onRequest(ctx: RequestContext): void {
    const req = ctx.request;
    this.record(req);
    const inDialog = tagOf(getTo(req)) !== undefined;
    if (req.method === "INVITE" && !inDialog) {
      void this.answerInvite(ctx);
      return;
    }
    const a = this.ue.options;
    if (req.method === "INVITE") {
      ctx.respond(200, { headers: [["Contact", this.contact]], body: sdp(a.address, 40002, 2), contentType: "application/sdp" });
      return;
    }
    ctx.respond(200, req.method === "UPDATE" ? { headers: [["Contact", this.contact]] } : {});
  }

  private async answerInvite(ctx: RequestContext): Promise<void> {
    const mode = this.answering;
    const callId = getHeader(ctx.request, "call-id") ?? "";
    const a = this.ue.options;
    let finished = false;
    ctx.onCancel(() => {
      if (finished) return;
      finished = true;
      ctx.respond(487);
    });
    if (mode.kind === "reject") {
      finished = true;
      ctx.respond(mode.status);
      return;
    }
    const wantsReliable = mode.kind === "answer" && mode.reliable === true && /100rel/i.test(`${getHeader(ctx.request, "supported") ?? ""},${getHeader(ctx.request, "require") ?? ""}`);
    // §12.1.1: a dialog-creating response carries the Record-Route of the request, in order.
    const recordRoute = getHeaders(ctx.request, "record-route").map((v): [string, string] => ["Record-Route", v]);
    const contact = mode.kind === "answer" && mode.contact !== undefined ? mode.contact : this.contact;
    const ringing: [string, string][] = [...recordRoute, ["Contact", contact]];
    if (mode.kind === "answer" && mode.earlyMedia === true && !wantsReliable) {
      // 183 Session Progress with the answer SDP (early media, RFC 3960), before the 180.
      ctx.respond(183, { headers: ringing, body: sdp(a.address, 40002), contentType: "application/sdp" });
    }
    if (wantsReliable) ringing.push(["Require", "100rel"], ["RSeq", "1"]);
    ctx.respond(180, { headers: ringing });
    if (mode.kind === "ring") return;
    if (wantsReliable) await this.waitForMethod("PRACK", callId);
    if ((mode.ringMs ?? 0) > 0) await new Promise((r) => setTimeout(r, mode.ringMs));
    if (finished) return;
    finished = true;
    this.answered.set(callId, this.uasDialog(ctx.request, ctx.toTag));
    ctx.respond(200, { headers: [...recordRoute, ["Contact", contact]], body: sdp(a.address, 40002), contentType: "application/sdp" });
  }

  async stop(): Promise<void> {
    await this.ue.stop();
  }
}
