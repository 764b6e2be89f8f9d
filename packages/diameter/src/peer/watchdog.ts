import type { Clock, TimerHandle } from "@ims/runtime";
import type { WatchdogStatus } from "./types.js";

export interface WatchdogHooks {
  /** Send a DWR on the open connection. */
  sendDwr(): void;
  /** The status changed (SUSPECT: stop routing new requests here; DOWN: close the connection). */
  status(status: WatchdogStatus): void;
}

/**
 * The RFC 3539 §3.4.1 watchdog of one open connection (states OKAY, SUSPECT, DOWN; the REOPEN
 * probation is not implemented). Tw is re-drawn with jitter each time it is set. Any message received
 * resets the timer; instead of re-arming a timer per message, the last receive time is kept and a
 * timer that fires early re-arms itself for the rest.
 */
export class Watchdog {
  private timer: TimerHandle | undefined;
  private current: WatchdogStatus = "DOWN";
  private pending = false;
  private lastRx = 0;
  private interval = 0;
  private running = false;

  constructor(
    private readonly clock: Clock,
    private readonly twMs: number,
    private readonly twJitterMs: number,
    private readonly random: () => number,
    private readonly hooks: WatchdogHooks,
  ) {}

  get status(): WatchdogStatus {
    return this.current;
  }

  /** A DWR was sent and its DWA has not arrived yet. */
  get dwrPending(): boolean {
    return this.pending;
  }

  /** The connection just opened: OKAY, timer set. */
  start(): void {
    this.running = true;
    this.pending = false;
    this.current = "OKAY";
    this.lastRx = this.clock.now();
    this.setWatchdog();
  }

  stop(): void {
    this.running = false;
    this.timer?.cancel();
    this.timer = undefined;
    this.current = "DOWN";
    this.pending = false;
  }

  /** OnReceive: any message from the peer; `isDwa` clears the outstanding DWR. */
  received(isDwa: boolean): void {
    if (!this.running) return;
    if (isDwa) this.pending = false;
    this.lastRx = this.clock.now();
    if (this.current === "SUSPECT") {
      this.current = "OKAY";
      this.hooks.status("OKAY");
      this.setWatchdog();
    }
  }

  /** SetWatchdog: Tw = Twinit ± jitter from now. */
  private setWatchdog(): void {
    this.timer?.cancel();
    const jitter = (this.random() * 2 - 1) * this.twJitterMs;
    this.interval = Math.max(1, Math.round(this.twMs + jitter));
    this.arm(this.interval);
  }

  private arm(ms: number): void {
    this.timer = this.clock.setTimer(ms, () => this.onTimer());
  }

  private onTimer(): void {
    this.timer = undefined;
    if (!this.running) return;
    const due = this.lastRx + this.interval;
    const now = this.clock.now();
    if (this.current === "OKAY" && due > now) {
      // Traffic arrived since the timer was set: the watchdog restarts from the last message.
      this.arm(due - now);
      return;
    }
    switch (this.current) {
      case "OKAY":
        if (!this.pending) {
          this.pending = true;
          this.hooks.sendDwr();
          this.lastRx = now;
          this.setWatchdog();
          return;
        }
        this.current = "SUSPECT";
        this.hooks.status("SUSPECT");
        this.lastRx = now;
        this.setWatchdog();
        return;
      case "SUSPECT":
        this.running = false;
        this.current = "DOWN";
        this.hooks.status("DOWN");
        return;
      case "DOWN":
        return;
    }
  }
}
