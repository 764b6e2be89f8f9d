/**
 * One stateful proxy operation (RFC 3261 §16.6-16.10): the response context of a server
 * transaction and its branches. Forks in parallel or one after the other, relays provisionals and
 * every 2xx at once (top Via removed), keeps other finals and sends the best (§16.7) when all
 * branches are done, cancels pending branches after a 2xx/6xx or an upstream CANCEL, and runs
 * Timer C for INVITE branches (§16.8). Transport errors count as 503, timeouts as 408.
 */
import { type Clock, type TimerHandle } from "@ims/runtime";
import { type SipRequest, type SipResponse, createResponse } from "../message/index.js";
import type { ClientCallbacks, ClientTransaction, ServerTransaction, TransactionLayer } from "../transaction/transaction-layer.js";
import { timerValue } from "../transaction/timers.js";
import { popTopVia } from "../transport/top-via.js";
import type { Destination } from "../transport/types.js";
import { finalizeBest, selectBest } from "./best-response.js";
import { buildCancel } from "./cancel.js";
import type { BranchBuild, ForwardTarget } from "./forward-request.js";
import { addBranchVia, branchDestination, buildBranchRequest } from "./forward-request.js";

export interface ForwardOptions {
  /** "parallel" (default) starts every target at once; "sequential" tries the next after a failure. */
  readonly mode?: "parallel" | "sequential";
  /**
   * In sequential mode, which final responses move on to the next target (default: every non-2xx).
   * An I-CSCF passes `(r) => r.status === 408 || r.status === 503` to fail over only when an S-CSCF
   * does not answer, never after its 401 or 403.
   */
  readonly tryNextOn?: (response: SipResponse) => boolean;
  /** Insert Record-Route (true: our address with `lr`; a string: that value). */
  readonly recordRoute?: boolean | string;
  /** Called with each branch request just before it is sent; may change it. */
  readonly onBranchRequest?: (request: SipRequest, target: ForwardTarget) => void;
  /**
   * Called with every response of a branch (our Via removed) before the proxy acts on it; may change
   * it in place. Returning "drop" discards a provisional, or turns a final into no answer from
   * that branch (it then counts as a 408). It may return a Promise (a P-CSCF asking a media relay
   * to rewrite the SDP): the proxy then acts when it settles, and the branch's later responses wait
   * for it, so a 180 never overtakes the 183 before it. A rejected Promise relays the response as
   * it stands.
   */
  readonly onResponse?: (response: SipResponse, target: ForwardTarget) => ResponseVerdict | Promise<ResponseVerdict>;
  /** Called with the final response about to go upstream; may change it in place. */
  readonly onFinal?: (response: SipResponse) => void;
  /** Timer C in ms (default 181 s). */
  readonly timerC?: number;
  /**
   * A branch that has not answered at all (not even a provisional) after this many ms counts as a
   * 408 and the next target is tried (Kamailio's fr_timer). Default: only the transaction's Timer B/F.
   */
  readonly branchTimeout?: number;
}

export type ResponseVerdict = void | "drop";

/** One branch; it is also the callbacks of its client transaction (no closures per branch). */
class Branch implements ClientCallbacks {
  request: SipRequest | undefined = undefined;
  destination: Destination | undefined = undefined;
  tx: ClientTransaction | undefined = undefined;
  provisional = false;
  done = false;
  cancelWanted = false;
  cancelSent = false;
  timerC: TimerHandle | undefined = undefined;
  silence: TimerHandle | undefined = undefined;
  /** The response whose asynchronous onResponse hook is running; later ones queue behind it. */
  hooked: Promise<void> | undefined = undefined;

  constructor(
    readonly op: ProxyOperation,
    readonly target: ForwardTarget,
  ) {}

  onResponse(r: SipResponse): void {
    this.op.branchResponse(this, r);
  }

  onFailure(f: "timeout" | "transport-error"): void {
    this.op.branchFinal(this, this.op.synthetic(f === "timeout" ? 408 : 503));
  }
}

export class ProxyOperation {
  private readonly branches: Branch[] = [];
  /** Index of the next target to start; `targets.length` once no more may start. */
  private next = 0;
  private readonly finals: SipResponse[] = [];
  private finalSent = false;
  private cancelled = false;
  private resolveFinal!: (r: SipResponse) => void;
  /** The final response sent upstream. */
  readonly final: Promise<SipResponse>;

  constructor(
    private readonly layer: TransactionLayer,
    private readonly clock: Clock,
    private readonly upstream: ServerTransaction,
    private readonly request: SipRequest,
    private readonly targets: readonly ForwardTarget[],
    private readonly build: BranchBuild,
    private readonly options: ForwardOptions,
  ) {
    this.final = new Promise((r) => (this.resolveFinal = r));
    // Only an INVITE can be CANCELled (§9.2: a CANCEL finds the INVITE server transaction).
    if (request.method === "INVITE") upstream.onCancel(() => this.cancelAll());
  }

  /** Targets not started yet. */
  private get queued(): number {
    return this.targets.length - this.next;
  }

  /** No further target starts. */
  private clearQueue(): void {
    this.next = this.targets.length;
  }

  start(): void {
    // A CANCEL that came while the handler was still choosing targets: nothing to forward.
    if (this.upstream.cancelled) return this.sendUpstream(this.synthetic(487));
    if (this.queued === 0) return this.sendUpstream(createResponse(this.request, 480));
    if (this.options.mode === "sequential") this.startNext();
    else while (this.queued > 0) this.startNext();
  }

  /**
   * Builds and sends the next target's branch. It goes out at once when its destination is known
   * (given, or the resolver answers synchronously); only a resolver's Promise defers it.
   */
  private startNext(): void {
    if (this.queued === 0) return;
    const target = this.targets[this.next++]!;
    const branch = new Branch(this, target);
    this.branches.push(branch);
    let request: SipRequest;
    let destination: Destination | undefined | Promise<Destination | undefined>;
    try {
      request = buildBranchRequest(this.request, target, this.build);
      destination = branchDestination(request, target, this.build.resolver);
    } catch {
      return this.branchFinal(branch, this.synthetic(503));
    }
    if (!(destination instanceof Promise)) return this.send(branch, request, destination);
    destination.then(
      (d) => this.send(branch, request, d),
      () => this.branchFinal(branch, this.synthetic(503)),
    );
  }

  private send(branch: Branch, request: SipRequest, destination: Destination | undefined): void {
    addBranchVia(request, destination, this.build);
    if (this.cancelled) return this.branchFinal(branch, this.synthetic(487));
    if (destination === undefined) return this.branchFinal(branch, this.synthetic(503));
    this.options.onBranchRequest?.(request, branch.target);
    branch.request = request;
    branch.destination = destination;
    branch.tx = this.layer.sendRequest(request, destination, branch);
    if (request.method === "INVITE") this.armTimerC(branch);
    const silence = this.options.branchTimeout;
    if (silence !== undefined) {
      branch.silence = this.clock.setTimer(silence, () => {
        if (!branch.done && !branch.provisional) this.branchFinal(branch, this.synthetic(408));
      });
    }
  }

  private armTimerC(branch: Branch): void {
    branch.timerC?.cancel();
    const ms = this.options.timerC ?? timerValue("C", { t1: 500, t2: 4000, t4: 5000 }, false) ?? 181_000;
    branch.timerC = this.clock.setTimer(ms, () => {
      if (branch.done) return;
      // §16.8: CANCEL a branch that had a provisional; otherwise behave as if it got a 408.
      if (branch.provisional) this.sendCancel(branch);
      else this.branchFinal(branch, this.synthetic(408));
    });
  }

  /** @internal */
  synthetic(status: number): SipResponse {
    return createResponse(this.request, status);
  }

  /** @internal */
  branchResponse(branch: Branch, incoming: SipResponse): void {
    branch.silence?.cancel();
    // Edited in place: the client transaction has done with it (a non-2xx's ACK is built before it
    // is passed up) and a parsed message keeps its own record of the received lines.
    const res = incoming;
    popTopVia(res);
    if (res.status === 100) return; // hop by hop: our own transaction sent (or sends) one upstream
    const hook = this.options.onResponse;
    if (hook === undefined) return this.act(branch, res, undefined);
    if (branch.hooked !== undefined) return this.queueHooked(branch, branch.hooked.then(() => this.hookThenAct(branch, res, hook)));
    const pending = this.hookThenAct(branch, res, hook);
    if (pending !== undefined) this.queueHooked(branch, pending);
  }

  /** Runs the hook on one response and acts on its verdict; returns a Promise if the hook did. */
  private hookThenAct(branch: Branch, res: SipResponse, hook: NonNullable<ForwardOptions["onResponse"]>): Promise<void> | undefined {
    let verdict: ResponseVerdict | Promise<ResponseVerdict>;
    try {
      verdict = hook(res, branch.target);
    } catch {
      verdict = undefined;
    }
    if (!(verdict instanceof Promise)) {
      this.act(branch, res, verdict);
      return undefined;
    }
    return verdict.then(
      (v) => this.act(branch, res, v),
      () => this.act(branch, res, undefined),
    );
  }

  private queueHooked(branch: Branch, work: Promise<void>): void {
    const mine: Promise<void> = work.finally(() => {
      if (branch.hooked === mine) branch.hooked = undefined;
    });
    branch.hooked = mine;
  }

  private act(branch: Branch, res: SipResponse, verdict: ResponseVerdict): void {
    if (res.status < 200) {
      if (verdict === "drop") return;
      branch.provisional = true;
      if (branch.request?.method === "INVITE") this.armTimerC(branch);
      if (branch.cancelWanted && !branch.cancelSent) this.sendCancel(branch);
      if (!this.finalSent) this.upstream.respond(res);
      return;
    }
    if (verdict === "drop") return this.branchFinal(branch, this.synthetic(408));
    this.branchFinal(branch, res);
  }

  /** @internal */
  branchFinal(branch: Branch, res: SipResponse): void {
    if (res.status >= 200 && res.status < 300) {
      // Every 2xx goes upstream (the server transaction, Accepted, passes later ones too).
      branch.done = true;
      branch.timerC?.cancel();
      this.sendUpstream(res);
      this.cancelPending();
      return;
    }
    if (branch.done) return;
    branch.done = true;
    branch.timerC?.cancel();
    branch.silence?.cancel();
    this.finals.push(res);
    if (res.status >= 600) {
      this.cancelPending();
      this.sendUpstream(finalizeBest(res, this.finals));
      return;
    }
    if (this.options.mode === "sequential" && this.queued > 0 && !this.cancelled && !this.finalSent) {
      if (this.options.tryNextOn?.(res) ?? true) {
        this.startNext();
        return;
      }
      this.clearQueue();
    }
    if (this.queued === 0 && this.allDone()) {
      const best = selectBest(this.finals);
      if (best !== undefined) this.sendUpstream(finalizeBest(best, this.finals));
    }
  }

  private allDone(): boolean {
    for (const b of this.branches) if (!b.done) return false;
    return true;
  }

  private sendUpstream(res: SipResponse): void {
    const first = !this.finalSent;
    if (!first && !(res.status >= 200 && res.status < 300)) return;
    this.finalSent = true;
    if (first) this.options.onFinal?.(res);
    this.upstream.respond(res);
    if (first) this.resolveFinal(res);
  }

  /** §16.10: an upstream CANCEL cancels every pending branch; no new branch starts. */
  cancelAll(): void {
    this.cancelled = true;
    this.clearQueue();
    this.cancelPending();
    if (this.branches.length === 0 && !this.finalSent) this.sendUpstream(this.synthetic(487));
  }

  private cancelPending(): void {
    this.clearQueue();
    for (const b of this.branches) {
      if (b.done || b.cancelWanted) continue;
      b.cancelWanted = true;
      // §9.1: a CANCEL waits for a provisional response on that branch.
      if (b.provisional) this.sendCancel(b);
    }
  }

  private sendCancel(branch: Branch): void {
    if (branch.cancelSent || branch.request === undefined || branch.destination === undefined) return;
    if (branch.request.method !== "INVITE") return;
    branch.cancelSent = true;
    this.layer.sendRequest(buildCancel(branch.request), branch.destination, { onResponse: () => undefined });
  }
}
