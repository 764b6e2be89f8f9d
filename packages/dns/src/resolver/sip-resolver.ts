/**
 * RFC 3263 §4 client usage: from a SIP target (host, optional port and transport, sip or sips) to
 * the ordered list of {transport, address, port} to try. NAPTR → SRV → A/AAAA, with the records of
 * the additional section used when they are there (RFC 3263 §4.3, RFC 2782).
 */
import { type Clock, type Result, ok, err } from "@ims/runtime";
import { isIP } from "node:net";
import { type ResourceRecord, RR_TYPE, nameKey } from "../wire/types.js";
import type { DnsAnswer, DnsQueryError, DnsSource } from "./source.js";
import { orderSrv } from "./srv-order.js";
import { type SipResolveError, type SipResolveErrorTag, resolveError } from "./errors.js";

export type SipTransport = "udp" | "tcp" | "tls";

export interface SipTargetSpec {
  /** Host name or numeric IP (an IPv6 reference may keep its brackets). */
  readonly host: string;
  readonly port?: number;
  /** The URI's transport parameter, if any. */
  readonly transport?: SipTransport;
  /** True for a SIPS URI: TLS only. */
  readonly secure?: boolean;
}

export interface SipDestination {
  readonly transport: SipTransport;
  readonly address: string;
  readonly port: number;
}

export interface SipResolverOptions {
  readonly source: DnsSource;
  /** Transports this node can send on, in the order it prefers them. Default ["udp", "tcp"]. */
  readonly transports?: readonly SipTransport[];
  /** Address families to look up, in order. Default [4, 6]. */
  readonly families?: readonly (4 | 6)[];
  /** In [0, 1), for the RFC 2782 weighted choice. Default Math.random. */
  readonly random?: () => number;
  /**
   * With a clock, a target whose resolution involved no random choice (no SRV set of more than one
   * record) keeps its result for the records' TTL, at most `resultCacheMs` (default 5 s): a CSCF
   * resolving its next hop for every request then skips the NAPTR → SRV → A walk. Results with a
   * weighted choice are never kept, so load still spreads over the SRV targets.
   */
  readonly clock?: Clock;
  readonly resultCacheMs?: number;
}

/** RFC 3263 §4.1 NAPTR services and RFC 2782 SRV labels per transport. */
const TRANSPORTS = {
  udp: { naptr: "SIP+D2U", srv: "_sip._udp", defaultPort: 5060 },
  tcp: { naptr: "SIP+D2T", srv: "_sip._tcp", defaultPort: 5060 },
  tls: { naptr: "SIPS+D2T", srv: "_sips._tcp", defaultPort: 5061 },
} as const satisfies Record<SipTransport, { naptr: string; srv: string; defaultPort: number }>;

const resultKey = (spec: SipTargetSpec): string =>
  `${spec.host}|${spec.port ?? ""}|${spec.transport ?? ""}|${spec.secure === true ? "s" : ""}`;

/** Worst failure seen so far: a time-out explains an empty result better than a missing name. */
const SEVERITY: Record<SipResolveErrorTag, number> = { "unsupported-transport": 0, "dns-no-target": 1, "dns-server-failure": 2, "dns-timeout": 3 };

class Attempt {
  failure: { tag: SipResolveErrorTag; reason: string } = { tag: "dns-no-target", reason: "no SIP target found" };
  /** Lowest TTL (s) of the records used, and whether an SRV set offered a choice. */
  minTtl = Infinity;
  choice = false;

  used(records: readonly { readonly ttl: number }[]): void {
    for (const r of records) if (r.ttl < this.minTtl) this.minTtl = r.ttl;
  }

  note(tag: SipResolveErrorTag, reason: string): void {
    if (SEVERITY[tag] >= SEVERITY[this.failure.tag]) this.failure = { tag, reason };
  }

  noteQuery(e: DnsQueryError): void {
    this.note(e.tag === "dns-timeout" ? "dns-timeout" : "dns-server-failure", e.reason);
  }
}

export class SipResolver {
  private readonly source: DnsSource;
  private readonly transports: readonly SipTransport[];
  private readonly families: readonly (4 | 6)[];
  private readonly random: () => number;
  private readonly clock: Clock | undefined;
  private readonly resultCacheMs: number;
  private readonly results = new Map<string, { readonly value: readonly SipDestination[]; readonly expiresAt: number }>();

  constructor(options: SipResolverOptions) {
    this.source = options.source;
    this.transports = options.transports ?? ["udp", "tcp"];
    this.families = options.families ?? [4, 6];
    this.random = options.random ?? Math.random;
    this.clock = options.clock;
    this.resultCacheMs = options.resultCacheMs ?? 5_000;
  }

  /**
   * The result `resolve` would give from its cache, without waiting: undefined when nothing is kept
   * for `spec` (then call `resolve`). The list is the cache's own: do not change it.
   */
  cached(spec: SipTargetSpec): readonly SipDestination[] | undefined {
    if (this.clock === undefined || this.resultCacheMs <= 0) return undefined;
    const kept = this.results.get(resultKey(spec));
    return kept !== undefined && kept.expiresAt > this.clock.now() ? kept.value : undefined;
  }

  async resolve(spec: SipTargetSpec): Promise<Result<SipDestination[], SipResolveError>> {
    if (this.clock === undefined || this.resultCacheMs <= 0) return this.walk(spec, new Attempt());
    const key = resultKey(spec);
    const now = this.clock.now();
    const kept = this.results.get(key);
    if (kept !== undefined && kept.expiresAt > now) return ok([...kept.value]);
    const attempt = new Attempt();
    const r = await this.walk(spec, attempt);
    if (r.ok && !attempt.choice && attempt.minTtl > 0) {
      if (this.results.size >= 1024) this.results.clear(); // a bound, not an LRU: next hops are few
      this.results.set(key, { value: [...r.value], expiresAt: now + Math.min(this.resultCacheMs, attempt.minTtl * 1000) });
    } else this.results.delete(key);
    return r;
  }

  private async walk(spec: SipTargetSpec, attempt: Attempt): Promise<Result<SipDestination[], SipResolveError>> {
    const host = spec.host.replace(/^\[(.*)\]$/, "$1").replace(/\.$/, "");
    // A SIPS URI is reached over TLS whatever its transport parameter says (RFC 3261 §26.2.2).
    const explicit: SipTransport | undefined = spec.secure ? "tls" : spec.transport;
    const allowed = this.transports.filter((t) => (spec.secure ? t === "tls" : true));
    if (explicit !== undefined && !allowed.includes(explicit)) {
      return err(resolveError("unsupported-transport", host, `transport ${explicit} is not supported here (${this.transports.join(", ")})`));
    }
    const fallback: SipTransport = spec.secure ? "tls" : "udp";
    let out: SipDestination[];

    if (isIP(host) !== 0) {
      // §4.1/§4.2: a numeric IP is used as is; UDP for sip, TLS/TCP for sips.
      const transport = explicit ?? fallback;
      if (!allowed.includes(transport)) return err(resolveError("unsupported-transport", host, `transport ${transport} is not supported here`));
      return ok([{ transport, address: host, port: spec.port ?? TRANSPORTS[transport].defaultPort }]);
    }
    if (spec.port !== undefined) {
      // §4.1: a name with an explicit port: no NAPTR/SRV, just A/AAAA.
      const transport = explicit ?? fallback;
      if (!allowed.includes(transport)) return err(resolveError("unsupported-transport", host, `transport ${transport} is not supported here`));
      out = await this.addresses(host, transport, spec.port, undefined, attempt);
    } else if (explicit !== undefined) {
      // §4.2: transport known, no port: SRV for that transport, else A/AAAA on the default port.
      out = await this.viaSrv(host, [explicit], attempt);
      if (out.length === 0 && SEVERITY[attempt.failure.tag] < SEVERITY["dns-server-failure"]) {
        out = await this.addresses(host, explicit, TRANSPORTS[explicit].defaultPort, undefined, attempt);
      }
    } else {
      out = await this.viaNaptr(host, allowed, attempt);
      if (out.length === 0 && attempt.failure.tag !== "dns-timeout") {
        out = await this.viaSrv(host, allowed, attempt);
        if (out.length === 0 && SEVERITY[attempt.failure.tag] < SEVERITY["dns-server-failure"]) {
          // §4.1 "If no SRV records are found, the client SHOULD use TCP for a SIPS URI, and UDP for a SIP URI."
          if (!allowed.includes(fallback)) return err(resolveError("unsupported-transport", host, `no SRV records and ${fallback} is not supported here`));
          out = await this.addresses(host, fallback, TRANSPORTS[fallback].defaultPort, undefined, attempt);
        }
      }
    }
    const unique = dedupe(out);
    if (unique.length > 0) return ok(unique);
    return err(resolveError(attempt.failure.tag, host, attempt.failure.reason));
  }

  /** Releases the source's socket, if any. */
  close(): void {
    this.source.close?.();
  }

  private async query(name: string, type: number, attempt: Attempt): Promise<DnsAnswer | undefined> {
    const r = await this.source.query(name, type);
    if (r.ok) return r.value;
    attempt.noteQuery(r.error);
    return undefined;
  }

  /** §4.1 NAPTR: keep applicable "s" records for supported transports, by order then preference. */
  private async viaNaptr(host: string, allowed: readonly SipTransport[], attempt: Attempt): Promise<SipDestination[]> {
    const answer = await this.query(host, RR_TYPE.NAPTR, attempt);
    if (answer === undefined) return [];
    attempt.used(answer.answers);
    const usable: { transport: SipTransport; order: number; preference: number; replacement: string }[] = [];
    for (const r of answer.answers) {
      if (r.data.type !== "NAPTR" || r.data.flags.toLowerCase() !== "s") continue;
      const service = r.data.service.toUpperCase();
      const transport = allowed.find((t) => TRANSPORTS[t].naptr === service);
      if (transport !== undefined) usable.push({ transport, order: r.data.order, preference: r.data.preference, replacement: r.data.replacement });
    }
    usable.sort((a, b) => a.order - b.order || a.preference - b.preference);
    const out: SipDestination[] = [];
    for (const n of usable) out.push(...(await this.srvTargets(n.replacement, n.transport, answer.additionals, attempt)));
    return out;
  }

  /** §4.1 without NAPTR: one SRV query per supported transport, in our order of preference. */
  private async viaSrv(host: string, transports: readonly SipTransport[], attempt: Attempt): Promise<SipDestination[]> {
    const out: SipDestination[] = [];
    for (const t of transports) out.push(...(await this.srvTargets(`${TRANSPORTS[t].srv}.${host}`, t, [], attempt)));
    return out;
  }

  private async srvTargets(name: string, transport: SipTransport, hints: readonly ResourceRecord[], attempt: Attempt): Promise<SipDestination[]> {
    let records = hints.filter((r) => r.data.type === "SRV" && nameKey(r.name) === nameKey(name));
    let additionals = hints;
    if (records.length === 0) {
      const answer = await this.query(name, RR_TYPE.SRV, attempt);
      if (answer === undefined) return [];
      records = answer.answers.filter((r) => r.data.type === "SRV");
      additionals = [...answer.additionals, ...hints];
    }
    attempt.used(records);
    if (records.length > 1) attempt.choice = true;
    const srv = records.flatMap((r) => (r.data.type === "SRV" ? [r.data] : []));
    const out: SipDestination[] = [];
    for (const s of orderSrv(srv, this.random)) {
      // RFC 2782: a target of "." means the service is decidedly not available at this domain.
      if (s.target === "") {
        attempt.note("dns-no-target", `${name} says the service is not available (SRV target ".")`);
        continue;
      }
      out.push(...(await this.addresses(s.target, transport, s.port, additionals, attempt)));
    }
    return out;
  }

  private async addresses(host: string, transport: SipTransport, port: number, hints: readonly ResourceRecord[] | undefined, attempt: Attempt): Promise<SipDestination[]> {
    const key = nameKey(host);
    const hinted = (hints ?? []).filter((r) => (r.data.type === "A" || r.data.type === "AAAA") && nameKey(r.name) === key);
    const found: string[] = [];
    for (const family of this.families) {
      const type = family === 4 ? "A" : "AAAA";
      let records = hinted.filter((r) => r.data.type === type);
      if (records.length === 0 && hinted.length === 0) {
        const answer = await this.query(host, RR_TYPE[type], attempt);
        if (answer === undefined) continue;
        records = answer.answers.filter((r) => r.data.type === type);
      }
      attempt.used(records);
      for (const r of records) if (r.data.type === "A" || r.data.type === "AAAA") found.push(r.data.address);
    }
    if (found.length === 0) attempt.note("dns-no-target", `${host} has no address`);
    return found.map((address) => ({ transport, address, port }));
  }
}

function dedupe(list: readonly SipDestination[]): SipDestination[] {
  const seen = new Set<string>();
  return list.filter((d) => {
    const k = `${d.transport}|${d.address}|${d.port}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
