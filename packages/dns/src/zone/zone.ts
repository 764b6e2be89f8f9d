/**
 * An authoritative zone as a pure, immutable model: records indexed by owner name, with the answer
 * rules of RFC 1034 §4.3.2 (no delegation, wildcard or CNAME: the lab zone has none, and create() refuses them),
 * negative answers per RFC 2308 (SOA in authority, TTL = min(SOA TTL, MINIMUM)) and the additional
 * section records that save an RFC 3263 client a round trip (RFC 2782, RFC 3403 §4.2).
 */
import { ImsError } from "@ims/runtime";
import { type RecordData, type ResourceRecord, RR_CLASS, RR_TYPE, nameKey, typeCodeOf } from "../wire/types.js";
import { nameToLabels } from "../wire/name.js";

export type SoaData = Extract<RecordData, { type: "SOA" }>;

export type ZoneAnswer =
  | { readonly kind: "answer"; readonly records: readonly ResourceRecord[]; readonly additionals: readonly ResourceRecord[] }
  /** The name exists (or is an empty non-terminal) but holds no record of the type. */
  | { readonly kind: "nodata"; readonly soa: ResourceRecord }
  | { readonly kind: "nxdomain"; readonly soa: ResourceRecord };

/** A record as given to the zone builder: owner name absolute, class IN implied. */
export interface ZoneRecord {
  readonly name: string;
  readonly ttl: number;
  readonly data: RecordData;
}

export function isInside(name: string, origin: string): boolean {
  const n = nameKey(name);
  const o = nameKey(origin);
  return o === "" || n === o || n.endsWith("." + o);
}

export class Zone {
  readonly origin: string;
  readonly soa: ResourceRecord;
  private readonly byName = new Map<string, ResourceRecord[]>();
  /** Every owner name and every empty non-terminal between an owner and the origin. */
  private readonly existing = new Set<string>();

  private constructor(origin: string, soaTtl: number, soa: SoaData, records: readonly ZoneRecord[]) {
    this.origin = origin;
    this.soa = { name: origin, rrclass: RR_CLASS.IN, ttl: soaTtl, data: soa };
    this.add(this.soa);
    for (const r of records) {
      // The model answers without CNAME chasing or referrals, so it refuses the records that would need them.
      if (r.data.type === "SOA" || r.data.type === "OPT" || r.data.type === "CNAME") throw new ImsError("dns-zone", `${r.data.type} records are not supported in a zone`);
      if (r.data.type === "NS" && nameKey(r.name) !== nameKey(origin)) throw new ImsError("dns-zone", `NS below the apex (${r.name}) would be a delegation, which is not supported`);
      if (nameToLabels(r.name) === undefined) throw new ImsError("dns-zone", `"${r.name}" is not a valid domain name`);
      if (!isInside(r.name, origin)) throw new ImsError("dns-zone", `"${r.name}" is outside the zone ${origin}`);
      if (!Number.isInteger(r.ttl) || r.ttl < 0 || r.ttl > 0x7fffffff) throw new ImsError("dns-zone", `bad TTL ${r.ttl} for ${r.name}`);
      this.add({ name: r.name, rrclass: RR_CLASS.IN, ttl: r.ttl, data: r.data });
    }
  }

  /** Builds a zone; throws ImsError (start-up failure) when a record is invalid or outside the origin. */
  static create(origin: string, soa: { readonly ttl: number } & Omit<SoaData, "type">, records: readonly ZoneRecord[]): Zone {
    if (nameToLabels(origin) === undefined) throw new ImsError("dns-zone", `"${origin}" is not a valid zone origin`);
    const { ttl, ...fields } = soa;
    return new Zone(origin.replace(/\.$/, ""), ttl, { type: "SOA", ...fields }, records);
  }

  private add(r: ResourceRecord): void {
    const key = nameKey(r.name);
    const list = this.byName.get(key) ?? [];
    list.push(r);
    this.byName.set(key, list);
    const originKey = nameKey(this.origin);
    let k = key;
    for (;;) {
      this.existing.add(k);
      if (k === originKey) break;
      const dot = k.indexOf(".");
      if (dot < 0) break;
      k = k.slice(dot + 1);
    }
  }

  /** All records, the SOA first (for listings and zone-file dumps). */
  records(): ResourceRecord[] {
    return [...this.byName.values()].flat();
  }

  lookup(name: string, type: number): ZoneAnswer {
    const key = nameKey(name);
    if (!this.existing.has(key)) return { kind: "nxdomain", soa: this.negativeSoa() };
    const all = this.byName.get(key) ?? [];
    const records = type === RR_TYPE.ANY ? all : all.filter((r) => typeCodeOf(r.data) === type);
    if (records.length === 0) return { kind: "nodata", soa: this.negativeSoa() };
    // Answers use the queried name's spelling (RFC 4343 §4.1 case preservation is about the question).
    const answered = records.map((r) => (r.name === name ? r : { ...r, name }));
    return { kind: "answer", records: answered, additionals: this.additionalsFor(records) };
  }

  private negativeSoa(): ResourceRecord {
    const data = this.soa.data as SoaData;
    return { ...this.soa, ttl: Math.min(this.soa.ttl, data.minimum) };
  }

  private addresses(host: string): ResourceRecord[] {
    return (this.byName.get(nameKey(host)) ?? []).filter((r) => r.data.type === "A" || r.data.type === "AAAA");
  }

  private additionalsFor(records: readonly ResourceRecord[]): ResourceRecord[] {
    const out: ResourceRecord[] = [];
    const seen = new Set<ResourceRecord>();
    const push = (list: readonly ResourceRecord[]): void => {
      for (const r of list) {
        if (seen.has(r)) continue;
        seen.add(r);
        out.push(r);
      }
    };
    for (const r of records) {
      const d = r.data;
      if (d.type === "SRV") push(this.addresses(d.target));
      else if (d.type === "NS") push(this.addresses(d.host));
      else if (d.type === "NAPTR" && d.flags.toLowerCase() === "s") {
        const srvs = (this.byName.get(nameKey(d.replacement)) ?? []).filter((x) => x.data.type === "SRV");
        push(srvs);
        for (const s of srvs) if (s.data.type === "SRV") push(this.addresses(s.data.target));
      }
    }
    return out;
  }
}

/** The zones one responder serves; a query goes to the zone with the longest matching origin. */
export class ZoneSet {
  private readonly zones: readonly Zone[];

  constructor(zones: readonly Zone[]) {
    this.zones = [...zones].sort((a, b) => b.origin.length - a.origin.length);
  }

  find(name: string): Zone | undefined {
    return this.zones.find((z) => isInside(name, z.origin));
  }

  list(): readonly Zone[] {
    return this.zones;
  }
}
