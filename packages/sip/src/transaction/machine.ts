/**
 * What the four transaction state machines share: the actions they emit, their environment and a
 * small set of named timers armed on the injected Clock. The machines are pure apart from the clock:
 * events come in as method calls, actions go out through `emit`; they never touch a socket.
 */
import type { Clock, TimerHandle } from "@ims/runtime";
import { type TimerBase, type TimerName, DEFAULT_TIMER_BASE } from "./timers.js";

/** The least a machine needs to know of a response. */
export interface ResponseLike {
  readonly status: number;
}

export type TransactionAction<Req, Res> =
  /** Hand a message (request, ACK or response) to the transport. */
  | { readonly type: "send"; readonly message: Req | Res }
  /** Client: pass a response up to the TU. Server: pass a request (or ACK in Accepted) up. */
  | { readonly type: "deliver"; readonly message: Req | Res }
  /** Timer B, F or H fired: the TU learns of the timeout (a client TU synthesises a 408). */
  | { readonly type: "timeout"; readonly timer: TimerName }
  /** The transport failed to send; the transaction terminates (§17.1.4, §17.2.4). */
  | { readonly type: "transport-error" }
  /** Entered Terminated: the layer removes the transaction from its table. */
  | { readonly type: "terminated" };

export interface MachineEnv {
  readonly clock: Clock;
  /** True over TCP/TLS/SCTP: no retransmissions, zero wait timers. */
  readonly reliable: boolean;
  readonly timers?: TimerBase;
}

/**
 * Named one-shot timers on a Clock; arming a name again replaces it. A machine has at most three
 * at a time, so they live as (name, handle) pairs in one short array of fixed size, made on the
 * first arm (many machines arm none): a Map, or arrays grown by push (V8 gives a first push room for
 * 17), were a measurable share of a CSCF's allocations under load.
 */
export class TimerSet {
  private slots: (TimerName | TimerHandle | undefined)[] | undefined = undefined;
  private count = 0;
  private closed = false;
  constructor(private readonly clock: Clock) {}

  arm(name: TimerName, ms: number, fn: () => void): void {
    if (this.closed) return;
    this.cancel(name);
    const handle = this.clock.setTimer(ms, () => {
      this.remove(name, handle);
      fn();
    });
    const slots = (this.slots ??= [undefined, undefined, undefined, undefined, undefined, undefined]);
    const at = 2 * this.count++;
    if (at < slots.length) {
      slots[at] = name;
      slots[at + 1] = handle;
    } else slots.push(name, handle);
  }

  cancel(name: TimerName): void {
    const i = this.find(name);
    if (i < 0) return;
    (this.slots![2 * i + 1] as TimerHandle).cancel();
    this.drop(i);
  }

  cancelAll(): void {
    const slots = this.slots;
    if (slots === undefined) return;
    for (let i = 0; i < this.count; i++) {
      (slots[2 * i + 1] as TimerHandle).cancel();
      slots[2 * i] = undefined;
      slots[2 * i + 1] = undefined;
    }
    this.count = 0;
  }

  /** Cancels every timer and arms none from now on. */
  close(): void {
    this.cancelAll();
    this.closed = true;
  }

  armed(): TimerName[] {
    const out: TimerName[] = [];
    for (let i = 0; i < this.count; i++) out.push(this.slots![2 * i] as TimerName);
    return out.sort();
  }

  private find(name: TimerName): number {
    const slots = this.slots;
    if (slots === undefined) return -1;
    for (let i = 0; i < this.count; i++) if (slots[2 * i] === name) return i;
    return -1;
  }

  private remove(name: TimerName, handle: TimerHandle): void {
    const i = this.find(name);
    if (i >= 0 && this.slots![2 * i + 1] === handle) this.drop(i);
  }

  /** Removes pair i (order does not matter): the last pair takes its place. */
  private drop(i: number): void {
    const slots = this.slots!;
    const last = 2 * --this.count;
    slots[2 * i] = slots[last];
    slots[2 * i + 1] = slots[last + 1];
    slots[last] = undefined;
    slots[last + 1] = undefined;
  }
}

const EMIT_NOTHING = (): void => undefined;

/** Base of the four machines: state, timers and the emit sink. */
export abstract class Machine<State extends string, Req, Res> {
  protected readonly timers: TimerSet;
  protected readonly base: TimerBase;
  readonly reliable: boolean;
  private current: State;

  /** The action sink; a disposed machine emits nothing (see dispose). */
  protected emit: (action: TransactionAction<Req, Res>) => void;

  protected constructor(env: MachineEnv, initial: State, emit: (action: TransactionAction<Req, Res>) => void) {
    this.emit = emit;
    this.timers = new TimerSet(env.clock);
    this.base = env.timers ?? DEFAULT_TIMER_BASE;
    this.reliable = env.reliable;
    this.current = initial;
  }

  get state(): State {
    return this.current;
  }

  /** Timers currently armed, sorted (for tests and diagnostics). */
  armedTimers(): TimerName[] {
    return this.timers.armed();
  }

  /**
   * Stops every timer without emitting anything, and arms none after (the owner forgets the
   * transaction, possibly from inside an emit: a timer armed after that would keep it alive).
   */
  dispose(): void {
    this.timers.close();
    // The sink is the owner's closure over its transaction (request, TU callbacks...): dropped, so
    // that a disposed machine reached from anywhere keeps none of that reachable.
    this.emit = EMIT_NOTHING;
  }

  protected enter(state: State): void {
    this.current = state;
  }

  protected terminate(terminated: State): void {
    if (this.current === terminated) return;
    this.current = terminated;
    this.timers.cancelAll();
    this.emit({ type: "terminated" });
  }

  /** Arms a timer whose zero value means "fire now" (D, I, J, K over reliable transports). */
  protected armOrNow(name: TimerName, ms: number, fn: () => void): void {
    if (ms <= 0) fn();
    else this.timers.arm(name, ms, fn);
  }
}
