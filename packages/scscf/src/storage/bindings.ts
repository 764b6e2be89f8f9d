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
  if (at < 0) return lowerAt(impu, 0, impu.length) ? impu.toLowerCase() : impu;
  const scheme = impu.indexOf(":");
  // Already lower case where it is lowered (the usual IMPU): the key is the IMPU itself.
  if (!lowerAt(impu, 0, scheme + 1) && !lowerAt(impu, at, impu.length)) return impu;
  return impu.slice(0, scheme + 1).toLowerCase() + impu.slice(scheme + 1, at) + impu.slice(at).toLowerCase();
}

/** True when s[from, to) may change under toLowerCase (an ASCII capital, or any non-ASCII). */
function lowerAt(s: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 0x41 && c <= 0x5a) || c >= 0x80) return true;
  }
  return false;
}

/** Highest q first; ties: the latest expiry (the most recent registration) first. */
const bestFirst = (a: Binding, b: Binding): number => b.q - a.q || b.expiresAt - a.expiresAt;

/**
 * The bindings still alive at `now`, best first (as `BindingStore.contacts` lists them). The array
 * given is returned as it is when nothing is to be dropped or reordered (one live binding, the usual
 * case), so it must not be changed by the caller.
 */
export function liveBindings(bindings: readonly Binding[], now: number): readonly Binding[] {
  if (bindings.length === 0 || (bindings.length === 1 && (bindings[0] as Binding).expiresAt > now)) return bindings;
  return bindings.filter((b) => b.expiresAt > now).sort(bestFirst);
}

/** Index of the binding for a contact, or -1 (bindings are few: at most the per-IMPU limit). */
function indexOfContact(bindings: readonly Binding[], contact: string): number {
  for (let i = 0; i < bindings.length; i++) if ((bindings[i] as Binding).contact === contact) return i;
  return -1;
}

/**
 * Applies changes to bindings in place, as a map by contact would: a changed contact keeps its
 * place, a new one goes last, a removed one goes. `staleCheck`: a change with the Call-ID of the
 * binding it replaces and a CSeq not above its CSeq is ignored (RFC 3261 §10.3 step 8).
 */
export function applyBindingChanges(
  bindings: Binding[],
  changes: readonly { readonly binding: Binding; readonly remove: boolean }[],
  staleCheck: boolean,
): void {
  for (let c = 0; c < changes.length; c++) {
    const { binding, remove } = changes[c] as { readonly binding: Binding; readonly remove: boolean };
    const i = indexOfContact(bindings, binding.contact);
    if (staleCheck && i >= 0) {
      const old = bindings[i] as Binding;
      if (old.callId === binding.callId && binding.cseq <= old.cseq) continue;
    }
    if (remove) {
      if (i >= 0) bindings.splice(i, 1);
    } else if (i >= 0) bindings[i] = binding;
    else bindings.push(binding);
  }
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
    return reg.bindings.filter((b) => b.expiresAt > now).sort(bestFirst);
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
    const bindings = current === undefined ? [] : current.bindings.slice();
    applyBindingChanges(bindings, changes, true);
    const now = this.clock.now();
    let live = 0;
    for (let i = 0; i < bindings.length; i++) {
      const b = bindings[i] as Binding;
      if (b.expiresAt > now) bindings[live++] = b;
    }
    bindings.length = live;
    if (current !== undefined) this.drop(current);
    if (bindings.length === 0) return undefined;
    const reg: Registration =
      base.subscription === undefined
        ? { impi: base.impi, impu: base.impu, implicitSet: base.implicitSet, userData: base.userData, bindings }
        : { impi: base.impi, impu: base.impu, implicitSet: base.implicitSet, userData: base.userData, subscription: base.subscription, bindings };
    this.index(reg);
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

  /** Files a registration under the key of its IMPU and of every IMPU of its implicit set. */
  private index(reg: Registration): void {
    this.byImpu.set(impuKey(reg.impu), reg);
    for (let i = 0; i < reg.implicitSet.length; i++) this.byImpu.set(impuKey(reg.implicitSet[i] as string), reg);
  }

  /** Forgets a registration under the keys of its own identities only: cost independent of the user count. */
  private drop(reg: Registration): void {
    this.timers.get(reg)?.cancel();
    this.timers.delete(reg);
    this.unindex(reg, reg.impu);
    for (let i = 0; i < reg.implicitSet.length; i++) this.unindex(reg, reg.implicitSet[i] as string);
  }

  private unindex(reg: Registration, impu: string): void {
    const key = impuKey(impu);
    if (this.byImpu.get(key) === reg) this.byImpu.delete(key);
  }

  /**
   * One timer per registration, at its earliest binding expiry; never further than Node's timer
   * limit (2^31−1 ms, about 24.8 days: a longer setTimeout fires at once), re-armed when it fires early.
   */
  private arm(reg: Registration): void {
    let next = Infinity;
    for (let i = 0; i < reg.bindings.length; i++) next = Math.min(next, (reg.bindings[i] as Binding).expiresAt);
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
      this.index(next);
      this.arm(next);
    }
    expired.forEach((binding, i) =>
      this.onExpired({ registration: reg, binding, last: left.length === 0 && i === expired.length - 1 }),
    );
  }
}
