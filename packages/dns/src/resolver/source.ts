/** Where the resolver's answers come from: a DNS server over the network, an in-process zone, or static hosts. */
import { type Result, type TaggedError, ok } from "@ims/runtime";
import type { ResourceRecord } from "../wire/types.js";
import { RR_CLASS, RR_TYPE, nameKey } from "../wire/types.js";
import type { Zone } from "../zone/zone.js";
import { isInside } from "../zone/zone.js";

/** A usable answer: NOERROR (with or without records) or NXDOMAIN. */
export interface DnsAnswer {
  readonly rcode: "NOERROR" | "NXDOMAIN";
  readonly answers: readonly ResourceRecord[];
  readonly authorities: readonly ResourceRecord[];
  readonly additionals: readonly ResourceRecord[];
}

export type DnsQueryErrorTag = "dns-timeout" | "dns-network" | "dns-server-failure";
export interface DnsQueryError extends TaggedError<DnsQueryErrorTag> {
  readonly name: string;
  readonly type: number;
}

export interface DnsSource {
  query(name: string, type: number): Promise<Result<DnsAnswer, DnsQueryError>>;
  close?(): void;
}

const NO_RECORDS = { answers: [], authorities: [], additionals: [] } as const;

/** Answers from zones held in memory (e.g. `buildLabZone(config)`), exactly as the responder would. */
export class ZoneSource implements DnsSource {
  constructor(private readonly zones: readonly Zone[]) {}

  query(name: string, type: number): Promise<Result<DnsAnswer, DnsQueryError>> {
    const zone = this.zones.find((z) => isInside(name, z.origin));
    if (zone === undefined) return Promise.resolve(ok({ rcode: "NXDOMAIN", ...NO_RECORDS }));
    const found = zone.lookup(name, type);
    switch (found.kind) {
      case "answer":
        return Promise.resolve(ok({ rcode: "NOERROR", answers: found.records, authorities: [], additionals: found.additionals }));
      case "nodata":
        return Promise.resolve(ok({ rcode: "NOERROR", answers: [], authorities: [found.soa], additionals: [] }));
      case "nxdomain":
        return Promise.resolve(ok({ rcode: "NXDOMAIN", answers: [], authorities: [found.soa], additionals: [] }));
    }
  }
}

export type StaticHosts = Readonly<Record<string, string | readonly string[]>>;

/** /etc/hosts-like static names (A/AAAA only); other names fall through to `next`, or are NXDOMAIN. */
export class HostsSource implements DnsSource {
  private readonly hosts = new Map<string, string[]>();

  constructor(hosts: StaticHosts, private readonly next?: DnsSource, private readonly ttl = 3600) {
    for (const [name, addresses] of Object.entries(hosts)) {
      this.hosts.set(nameKey(name.replace(/\.$/, "")), typeof addresses === "string" ? [addresses] : [...addresses]);
    }
  }

  query(name: string, type: number): Promise<Result<DnsAnswer, DnsQueryError>> {
    const addresses = this.hosts.get(nameKey(name));
    if (addresses === undefined) return this.next ? this.next.query(name, type) : Promise.resolve(ok({ rcode: "NXDOMAIN", ...NO_RECORDS }));
    const answers: ResourceRecord[] = [];
    for (const address of addresses) {
      const v6 = address.includes(":");
      if (type === RR_TYPE.A && !v6) answers.push({ name, rrclass: RR_CLASS.IN, ttl: this.ttl, data: { type: "A", address } });
      if (type === RR_TYPE.AAAA && v6) answers.push({ name, rrclass: RR_CLASS.IN, ttl: this.ttl, data: { type: "AAAA", address } });
    }
    return Promise.resolve(ok({ rcode: "NOERROR", answers, authorities: [], additionals: [] }));
  }

  close(): void {
    this.next?.close?.();
  }
}
