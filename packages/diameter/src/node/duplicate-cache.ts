import type { Clock } from "@ims/runtime";

/** What the cache knows about a request key. */
export type DuplicateLookup =
  | { readonly kind: "new" }
  /** Still being handled: drop the copy, the first answer will go out. */
  | { readonly kind: "in-progress" }
  | { readonly kind: "answered"; readonly answer: Uint8Array };

interface Entry {
  answer: Uint8Array | undefined;
  readonly at: number;
}

/**
 * Duplicate request detection (RFC 6733 §6.1.3, §3 End-to-End Identifier): a request is identified by
 * its Origin-Host and End-to-End id. Answers are kept for `windowMs` (bounded by `maxEntries`, oldest
 * dropped first) and sent again when a duplicate arrives, typically a T-flagged retransmission after
 * the sender failed over. Entries expire lazily in insertion order, which is time order.
 */
export class DuplicateCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly clock: Clock,
    private readonly windowMs: number,
    private readonly maxEntries: number,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** Looks the request up and, when new, records it as in progress. */
  check(originHost: string, endToEnd: number): DuplicateLookup {
    const now = this.clock.now();
    this.expire(now);
    const key = `${endToEnd}|${originHost}`;
    const e = this.entries.get(key);
    if (e !== undefined) return e.answer === undefined ? { kind: "in-progress" } : { kind: "answered", answer: e.answer };
    this.entries.set(key, { answer: undefined, at: now });
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
    return { kind: "new" };
  }

  /** Stores the encoded answer for later duplicates. */
  answered(originHost: string, endToEnd: number, answer: Uint8Array): void {
    const e = this.entries.get(`${endToEnd}|${originHost}`);
    if (e !== undefined) e.answer = answer;
  }

  /** Forgets a request whose handling produced no answer, so a retransmission is handled afresh. */
  forget(originHost: string, endToEnd: number): void {
    this.entries.delete(`${endToEnd}|${originHost}`);
  }

  private expire(now: number): void {
    for (const [key, e] of this.entries) {
      if (now - e.at < this.windowMs) return;
      this.entries.delete(key);
    }
  }
}
