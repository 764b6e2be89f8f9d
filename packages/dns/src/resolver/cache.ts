/**
 * A TTL-respecting cache in front of any DnsSource (RFC 1035 §7.4; negative answers for the SOA's
 * negative TTL, RFC 2308 §5; never a negative entry without an SOA). Concurrent identical queries share
 * one lookup. Failures are not cached. Time comes from the injected Clock.
 */
import { type Clock, type Result } from "@ims/runtime";
import { type ResourceRecord, nameKey } from "../wire/types.js";
import type { DnsAnswer, DnsQueryError, DnsSource } from "./source.js";

interface Entry {
  readonly answer: DnsAnswer;
  readonly expiresAt: number;
}

export interface CacheOptions {
  readonly maxEntries?: number;
  /** Upper bound on any TTL, seconds (default 1 day). */
  readonly maxTtl?: number;
}

export class CachingSource implements DnsSource {
  private readonly entries = new Map<string, Entry>();
  private readonly inFlight = new Map<string, Promise<Result<DnsAnswer, DnsQueryError>>>();
  private readonly maxEntries: number;
  private readonly maxTtl: number;

  constructor(private readonly inner: DnsSource, private readonly clock: Clock, options: CacheOptions = {}) {
    this.maxEntries = options.maxEntries ?? 10_000;
    this.maxTtl = options.maxTtl ?? 86_400;
  }

  query(name: string, type: number): Promise<Result<DnsAnswer, DnsQueryError>> {
    const key = `${type}|${nameKey(name)}`;
    const hit = this.entries.get(key);
    if (hit !== undefined) {
      if (hit.expiresAt > this.clock.now()) return Promise.resolve({ ok: true, value: hit.answer });
      this.entries.delete(key);
    }
    const running = this.inFlight.get(key);
    if (running !== undefined) return running;
    const p = this.inner.query(name, type).then((r) => {
      this.inFlight.delete(key);
      if (r.ok) this.store(key, r.value);
      return r;
    });
    this.inFlight.set(key, p);
    return p;
  }

  /** Seconds an answer may be cached, or undefined when it must not be. */
  static ttlOf(a: DnsAnswer): number | undefined {
    if (a.answers.length > 0) {
      const ttls = [...a.answers, ...a.additionals].map((r: ResourceRecord) => r.ttl);
      return Math.min(...ttls);
    }
    const soa = a.authorities.find((r) => r.data.type === "SOA");
    if (soa === undefined || soa.data.type !== "SOA") return undefined;
    return Math.min(soa.ttl, soa.data.minimum);
  }

  private store(key: string, answer: DnsAnswer): void {
    const ttl = CachingSource.ttlOf(answer);
    if (ttl === undefined || ttl <= 0) return;
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, { answer, expiresAt: this.clock.now() + Math.min(ttl, this.maxTtl) * 1000 });
  }

  size(): number {
    return this.entries.size;
  }

  close(): void {
    this.inner.close?.();
  }
}
