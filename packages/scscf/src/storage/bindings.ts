import type { ImsSubscription } from "@ims/ims";
import type { Clock, TimerHandle } from "@ims/runtime";

/**
 * The S-CSCF's registrar store (TS 24.229 §5.4.1.2): for each registered IMPU, the contacts bound to
 * it. Storage only: procedures (SAR, 200 OK, NOTIFY) live in the register procedure. The whole
 * implicit registration set is registered together, so bindings are kept per registration (one IMPI
 * with its implicit set) and looked up by any IMPU of the set.
 */
export interface Binding {
  /** Contact URI as sent by the UE (without the angle brackets). */
  readonly contact: string;
  /** Absolute expiry time on the store's clock, in milliseconds. */
  readonly expiresAt: number;
  readonly q: number;
  /** Path header values recorded at registration (RFC 3327), top first. */
  readonly path: readonly string[];
  readonly callId: string;
  readonly cseq: number;
  /** Raw Contact parameters other than expires, as ";name=value" text (q, +sip.instance, reg-id...). */
  readonly params: string;
}

export interface Registration {
  readonly impi: string;
  /** The IMPU the REGISTER was for (To header). */
  readonly impu: string;
  /** The implicit registration set, barred identities excluded, default IMPU first. */
  readonly implicitSet: readonly string[];
  /** User data from the SAA (TS 29.228 User-Data XML), as received. */
  readonly userData: string;
  /** The same, parsed (service profiles with their iFCs), when it could be. */
  readonly subscription?: ImsSubscription;
  readonly bindings: readonly Binding[];
}

export interface ExpiredBinding {
  readonly registration: Registration;
  readonly binding: Binding;
  /** True when this was the last binding: the registration is gone (SAR TIMEOUT_DEREGISTRATION). */
  readonly last: boolean;
}

/** Normalises an IMPU for lookup: the scheme and host part of a SIP URI compare case-insensitively. */
export function impuKey(impu: string): string {
  const at = impu.lastIndexOf("@");
  const scheme = impu.indexOf(":");
  if (at < 0) return impu.toLowerCase();
  return impu.slice(0, scheme + 1).toLowerCase() + impu.slice(scheme + 1, at) + impu.slice(at).toLowerCase();
}

const MAX_TIMER_MS = 2 ** 31 - 1;

export class BindingStore {
  /** Registration by the key of every IMPU of its implicit set. */
  private readonly byImpu = new Map<string, Registration>();
  private readonly timers = new Map<Registration, TimerHandle>();

  constructor(
    private readonly clock: Clock,
    private readonly onExpired: (expired: ExpiredBinding) => void,
  ) {}

  find(impu: string): Registration | undefined {
    return this.byImpu.get(impuKey(impu));
  }

  /** Live bindings for an IMPU, highest q first (ties: most recent registration first). */
  contacts(impu: string): Binding[] {
    const reg = this.find(impu);
    if (reg === undefined) return [];
    const now = this.clock.now();
    return reg.bindings.filter((b) => b.expiresAt > now).sort((a, b) => b.q - a.q || b.expiresAt - a.expiresAt);
  }

  /**
   * Adds or refreshes bindings (RFC 3261 §10.3 step 8: a contact already bound is replaced unless
   * its Call-ID matches with a lower or equal CSeq, which is a stale request; expires 0 removes).
   * Returns the registration as stored, or undefined when no binding is left.
   */
  update(
    base: Omit<Registration, "bindings">,
    changes: readonly { readonly binding: Binding; readonly remove: boolean }[],
  ): Registration | undefined {
    const current = this.find(base.impu);
    const kept = new Map<string, Binding>();
    for (const b of current?.bindings ?? []) kept.set(b.contact, b);
    for (const { binding, remove } of changes) {
      const old = kept.get(binding.contact);
      if (old !== undefined && old.callId === binding.callId && binding.cseq <= old.cseq) continue;
      if (remove) kept.delete(binding.contact);
      else kept.set(binding.contact, binding);
    }
    const now = this.clock.now();
    const bindings = [...kept.values()].filter((b) => b.expiresAt > now);
    if (current !== undefined) this.drop(current);
    if (bindings.length === 0) return undefined;
    const reg: Registration = { ...base, bindings };
    for (const impu of new Set([base.impu, ...base.implicitSet])) this.byImpu.set(impuKey(impu), reg);
    this.arm(reg);
    return reg;
  }

  /** Removes a registration entirely (de-registration, RTR from the HSS). */
  remove(impu: string): Registration | undefined {
    const reg = this.find(impu);
    if (reg !== undefined) this.drop(reg);
    return reg;
  }

  /** Registrations of a private identity (an RTR naming no public identity). */
  ofImpi(impi: string): Registration[] {
    const key = impi.toLowerCase();
    return this.all().filter((r) => r.impi.toLowerCase() === key);
  }

  /** Every registration, once each. */
  all(): Registration[] {
    return [...new Set(this.byImpu.values())];
  }

  clear(): void {
    for (const t of this.timers.values()) t.cancel();
    this.timers.clear();
    this.byImpu.clear();
  }

  /** Forgets a registration under the keys of its own identities only: cost independent of the user count. */
  private drop(reg: Registration): void {
    this.timers.get(reg)?.cancel();
    this.timers.delete(reg);
    for (const impu of [reg.impu, ...reg.implicitSet]) {
      const key = impuKey(impu);
      if (this.byImpu.get(key) === reg) this.byImpu.delete(key);
    }
  }

  /**
   * One timer per registration, at its earliest binding expiry; never further than Node's timer
   * limit (2^31−1 ms, about 24.8 days: a longer setTimeout fires at once), re-armed when it fires early.
   */
  private arm(reg: Registration): void {
    const next = Math.min(...reg.bindings.map((b) => b.expiresAt));
    const timer = this.clock.setTimer(Math.min(next - this.clock.now(), MAX_TIMER_MS), () => this.expire(reg));
    this.timers.set(reg, timer);
  }

  private expire(reg: Registration): void {
    if (this.timers.get(reg) === undefined) return;
    const now = this.clock.now();
    const expired = reg.bindings.filter((b) => b.expiresAt <= now);
    const left = reg.bindings.filter((b) => b.expiresAt > now);
    this.drop(reg);
    if (left.length > 0) {
      const next: Registration = { ...reg, bindings: left };
      for (const impu of new Set([reg.impu, ...reg.implicitSet])) this.byImpu.set(impuKey(impu), next);
      this.arm(next);
    }
    expired.forEach((binding, i) =>
      this.onExpired({ registration: reg, binding, last: left.length === 0 && i === expired.length - 1 }),
    );
  }
}
