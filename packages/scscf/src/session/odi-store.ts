import type { InitialFilterCriteria, ProfilePartIndicator, SessionCase } from "@ims/ims";
import { type Clock, type TimerHandle, randomHex } from "@ims/runtime";

/**
 * Where a request stood in its iFC chain when it was sent to an application server: the Original
 * Dialog Identifier of TS 24.229 §5.4.3.4 (in the Route the S-CSCF adds after the AS's, so the
 * request comes back with it). The token is random; the state stays here.
 */
export interface IfcProgress {
  /** The served user: P-Asserted-Identity (originating) or Request-URI identity (terminating). */
  readonly servedUser: string;
  readonly sessionCase: SessionCase;
  readonly profilePart: ProfilePartIndicator;
  /** The served user's iFCs, as they were when the chain started. */
  readonly ifcs: readonly InitialFilterCriteria[];
  /** Priority of the iFC whose AS got the request: evaluation goes on after it. */
  readonly afterPriority: number;
  /** Set once the request came back from the AS (its default handling no longer applies). */
  returned: boolean;
}

/** Long enough for an AS to act on an INVITE (Timer C, RFC 3261 §16.6 step 11, is 3 min). */
export const ODI_LIFETIME_MS = 180_000;

export class OdiStore {
  private readonly entries = new Map<string, { progress: IfcProgress; timer: TimerHandle }>();

  constructor(private readonly clock: Clock, private readonly lifetimeMs = ODI_LIFETIME_MS) {}

  add(progress: Omit<IfcProgress, "returned">): string {
    const token = randomHex(8);
    const timer = this.clock.setTimer(this.lifetimeMs, () => this.entries.delete(token));
    this.entries.set(token, { progress: { ...progress, returned: false }, timer });
    return token;
  }

  get(token: string): IfcProgress | undefined {
    return this.entries.get(token)?.progress;
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    for (const e of this.entries.values()) e.timer.cancel();
    this.entries.clear();
  }
}
