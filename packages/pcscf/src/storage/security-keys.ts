import type { Clock, TimerHandle } from "@ims/runtime";

/**
 * The cipher and integrity keys (TS 33.203 §6.1) the S-CSCF hands the P-CSCF in the 401's
 * ck/ik parameters. The P-CSCF removes them before the UE sees the challenge and keeps them for
 * the security association it would set up with the UE (IPsec / TLS: a later step).
 *
 * Never logged: the object prints as "[keys redacted]" through JSON.stringify, String() and
 * util.inspect, so a careless `log.debug({ keys })` leaks nothing.
 */
export class SecurityKeys {
  readonly #ck: string;
  readonly #ik: string;

  constructor(ck: string, ik: string) {
    this.#ck = ck;
    this.#ik = ik;
  }

  /** Hex CK and IK, for the code that builds the security association. */
  reveal(): { readonly ck: string; readonly ik: string } {
    return { ck: this.#ck, ik: this.#ik };
  }

  toJSON(): string {
    return "[keys redacted]";
  }

  toString(): string {
    return "[keys redacted]";
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return "[keys redacted]";
  }
}

/**
 * Keys by registration ("IMPU + where the UE is"), each dropped after its lifetime: the challenge's
 * (a UE that never answers the 401) or, once the registration succeeded, the registration's.
 */
export class SecurityKeyStore {
  private readonly keys = new Map<string, { readonly keys: SecurityKeys; readonly timer: TimerHandle }>();

  constructor(private readonly clock: Clock) {}

  /** Stores (or replaces) the keys of a registration for `lifetimeMs`. */
  set(registration: string, keys: SecurityKeys, lifetimeMs: number): void {
    this.delete(registration);
    const timer = this.clock.setTimer(lifetimeMs, () => this.keys.delete(registration));
    this.keys.set(registration, { keys, timer });
  }

  get(registration: string): SecurityKeys | undefined {
    return this.keys.get(registration)?.keys;
  }

  /** Keeps the keys of a registration `lifetimeMs` longer from now (the registration succeeded). */
  extend(registration: string, lifetimeMs: number): void {
    const e = this.keys.get(registration);
    if (e !== undefined) this.set(registration, e.keys, lifetimeMs);
  }

  delete(registration: string): void {
    this.keys.get(registration)?.timer.cancel();
    this.keys.delete(registration);
  }

  size(): number {
    return this.keys.size;
  }

  clear(): void {
    for (const e of this.keys.values()) e.timer.cancel();
    this.keys.clear();
  }
}
