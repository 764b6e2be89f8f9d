import { type Clock, InFlightMap } from "@ims/runtime";

/**
 * Outstanding authentication challenges of the S-CSCF (TS 24.229 §5.4.1.2.1): one per nonce sent in
 * a 401, used at most once, forgotten after its lifetime. Bounded: when full, the oldest challenge
 * goes, so a flood of unanswered REGISTERs cannot grow memory without limit.
 */
export type Challenge =
  | {
      readonly scheme: "Digest-AKAv1-MD5";
      readonly impi: string;
      readonly impu: string;
      readonly realm: string;
      /** Expected RES, the digest password (RFC 3310 §3.2). Never logged. */
      readonly xres: Uint8Array;
      readonly ck: Uint8Array;
      readonly ik: Uint8Array;
      readonly createdAt: number;
    }
  | {
      readonly scheme: "SIP Digest";
      readonly impi: string;
      readonly impu: string;
      readonly realm: string;
      /** HA1 from the HSS (Digest-HA1). Never logged. */
      readonly ha1: string;
      readonly qop: string;
      readonly createdAt: number;
    };

export interface ChallengeStoreOptions {
  /** How long a nonce may be answered, in ms (default 30 s, as Kamailio's ims_auth). */
  readonly lifetime?: number;
  readonly maxEntries?: number;
  /**
   * Outstanding challenges per IMPI (default 8): several devices sharing an IMPI may register at
   * once, but one IMPI cannot fill the store and push out everybody else's challenges.
   */
  readonly maxPerImpi?: number;
}

export class ChallengeStore {
  /** Most live a few ms (REGISTER to REGISTER): an InFlightMap, so an answered one is let go at once. */
  private readonly byNonce = new InFlightMap<string, Challenge>();
  /**
   * Nonces outstanding per IMPI, oldest first, so `forget` does not scan the whole store. An array:
   * an IMPI has one or two at a time (at most maxPerImpi), a Set per REGISTER cost more.
   */
  private readonly byImpi = new Map<string, string[]>();
  private readonly lifetime: number;
  private readonly maxEntries: number;
  private readonly maxPerImpi: number;

  constructor(
    private readonly clock: Clock,
    options: ChallengeStoreOptions = {},
  ) {
    this.lifetime = options.lifetime ?? 30_000;
    this.maxEntries = options.maxEntries ?? 100_000;
    this.maxPerImpi = options.maxPerImpi ?? 8;
  }

  add(nonce: string, challenge: Challenge): void {
    this.sweep();
    if (this.byNonce.size >= this.maxEntries) {
      const oldest = this.byNonce.keys().next();
      if (oldest.done !== true) this.delete(oldest.value);
    }
    this.delete(nonce);
    const mine = this.byImpi.get(challenge.impi);
    if (mine !== undefined && mine.length >= this.maxPerImpi) {
      const oldest = mine[0];
      if (oldest !== undefined) this.delete(oldest);
    }
    this.byNonce.set(nonce, challenge);
    const list = this.byImpi.get(challenge.impi);
    if (list === undefined) this.byImpi.set(challenge.impi, [nonce]);
    else list.push(nonce);
  }

  /**
   * Takes the challenge for a nonce: it is removed (single use). "stale" when it existed but its
   * lifetime is over (the UE should be challenged again with stale=true), "unknown" otherwise.
   */
  take(nonce: string): Challenge | "stale" | "unknown" {
    const c = this.byNonce.get(nonce);
    if (c === undefined) return "unknown";
    this.delete(nonce);
    if (this.clock.now() - c.createdAt > this.lifetime) return "stale";
    return c;
  }

  /** Drops every challenge of an IMPI (its registration was terminated by the HSS). */
  forget(impi: string): void {
    for (const nonce of this.byImpi.get(impi) ?? []) this.byNonce.delete(nonce);
    this.byImpi.delete(impi);
  }

  size(): number {
    return this.byNonce.size;
  }

  /** Removes expired entries from the front (insertion order is age order). */
  private sweep(): void {
    const limit = this.clock.now() - this.lifetime;
    for (const nonce of this.byNonce.keys()) {
      if ((this.byNonce.get(nonce) as Challenge).createdAt > limit) break;
      this.delete(nonce);
    }
  }

  private delete(nonce: string): void {
    const c = this.byNonce.get(nonce);
    if (c === undefined) return;
    this.byNonce.delete(nonce);
    const list = this.byImpi.get(c.impi);
    if (list === undefined) return;
    const i = list.indexOf(nonce);
    if (i >= 0) list.splice(i, 1);
    if (list.length === 0) this.byImpi.delete(c.impi);
  }

  /** IMPIs with an outstanding challenge (tests: the index stays in step with the store). */
  impiCount(): number {
    return this.byImpi.size;
  }
}
