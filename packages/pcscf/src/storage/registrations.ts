import type { Clock, TimerHandle } from "@ims/runtime";
import { parseUri } from "@ims/sip";

/**
 * What the P-CSCF keeps of a UE's registration (TS 24.229 §5.2.2): learnt from the 200 OK to the
 * REGISTER, looked up when the UE sends a request (is it registered through us? which identities
 * may it assert? which Service-Route?) and when a terminating request comes over the Path.
 * One entry per (registered IMPU, contact): a UE may register several IMPUs with one contact.
 */
export interface UeRegistration {
  /** The IMPU the REGISTER was for (its To), as an identity ("sip:a@domain"). */
  readonly aor: string;
  /** Contact URI the UE registered. */
  readonly contact: string;
  /** Where the UE's packets really come from (NAT: rport/received), so requests reach it. */
  readonly transport: "udp" | "tcp";
  readonly address: string;
  readonly port: number;
  /** P-Associated-URI of the 200 OK: the registered IMPUs, default first. */
  readonly impus: readonly string[];
  /** Service-Route of the 200 OK, top first, used as the route set of originating requests. */
  readonly serviceRoute: readonly string[];
  readonly expiresAt: number;
}

const entryKey = (aor: string, contact: string) => `${aor}\n${contact}`;
const sourceKey = (transport: string, address: string, port: number) => `${transport}:${address}:${port}`;

/**
 * Index key of a contact: scheme, user, host (case-insensitive) and port, the parts RFC 3261
 * §19.1.4 compares strictly; parameters are left to the caller's `uriEquals`.
 */
function contactKey(contact: string): string {
  const u = parseUri(contact);
  if (!u.ok || u.value.kind !== "sip") return contact;
  return `${u.value.scheme}:${u.value.user ?? ""}@${u.value.host.toLowerCase()}:${u.value.port ?? ""}`;
}

/** A multimap of entry keys: lookups by source, IMPU and contact without scanning every entry. */
class Index {
  private readonly map = new Map<string, Set<string>>();
  add(k: string, entry: string): void {
    let set = this.map.get(k);
    if (set === undefined) this.map.set(k, (set = new Set()));
    set.add(entry);
  }
  delete(k: string, entry: string): void {
    const set = this.map.get(k);
    set?.delete(entry);
    if (set?.size === 0) this.map.delete(k);
  }
  /** `delete(from, entry)` then `add(to, entry)`; under the same key the set is kept rather than dropped and made again. */
  move(from: string, to: string, entry: string): void {
    const set = from === to ? this.map.get(from) : undefined;
    if (set === undefined) {
      this.delete(from, entry);
      this.add(to, entry);
      return;
    }
    // the only member is already last; otherwise to the end, as delete + add put it
    if (set.size === 1 && set.has(entry)) return;
    set.delete(entry);
    set.add(entry);
  }
  get(k: string): Iterable<string> {
    return this.map.get(k) ?? [];
  }
  clear(): void {
    this.map.clear();
  }
}

/** A stored registration, the index keys it is filed under (computed once) and its expiry timer. */
interface Entry {
  readonly reg: UeRegistration;
  readonly source: string;
  readonly contact: string;
  readonly timer: TimerHandle;
}

const sameList = (a: readonly string[], b: readonly string[]): boolean => {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
};

export class RegistrationStore {
  private readonly entries = new Map<string, Entry>();
  /** Entry keys by source "transport:address:port", by IMPU (aor and every associated one), by contact. */
  private readonly bySource = new Index();
  private readonly byImpu = new Index();
  private readonly byAor = new Index();
  private readonly byContact = new Index();

  constructor(
    private readonly clock: Clock,
    private readonly onExpired: (reg: UeRegistration) => void = () => undefined,
  ) {}

  /** Stores or refreshes a registration; an expiry in the past removes it. */
  save(reg: UeRegistration): void {
    const key = entryKey(reg.aor, reg.contact);
    const old = this.entries.get(key);
    if (old !== undefined && reg.expiresAt > this.clock.now() && sameList(old.reg.impus, reg.impus)) {
      // A refresh under the same IMPUs (the usual re-REGISTER): what remove + add do, without
      // computing the keys again or dropping and making again the index sets it stays in.
      this.entries.delete(key);
      old.timer.cancel();
      const source = sourceKey(reg.transport, reg.address, reg.port);
      const contact = old.reg.contact === reg.contact ? old.contact : contactKey(reg.contact);
      this.bySource.move(old.source, source, key);
      this.byAor.move(old.reg.aor, reg.aor, key);
      for (const impu of reg.impus) this.byImpu.move(impu, impu, key);
      this.byContact.move(old.contact, contact, key);
      this.entries.set(key, { reg, source, contact, timer: this.expireAt(reg) });
      return;
    }
    this.remove(reg.aor, reg.contact);
    if (reg.expiresAt <= this.clock.now()) return;
    const source = sourceKey(reg.transport, reg.address, reg.port);
    const contact = contactKey(reg.contact);
    this.bySource.add(source, key);
    this.byAor.add(reg.aor, key);
    for (const impu of reg.impus) this.byImpu.add(impu, key);
    this.byContact.add(contact, key);
    this.entries.set(key, { reg, source, contact, timer: this.expireAt(reg) });
  }

  private expireAt(reg: UeRegistration): TimerHandle {
    return this.clock.setTimer(reg.expiresAt - this.clock.now(), () => {
      this.remove(reg.aor, reg.contact);
      this.onExpired(reg);
    });
  }

  remove(aor: string, contact: string): UeRegistration | undefined {
    const key = entryKey(aor, contact);
    const e = this.entries.get(key);
    if (e === undefined) return undefined;
    this.entries.delete(key);
    e.timer.cancel();
    this.bySource.delete(e.source, key);
    this.byAor.delete(e.reg.aor, key);
    for (const impu of e.reg.impus) this.byImpu.delete(impu, key);
    this.byContact.delete(e.contact, key);
    return e.reg;
  }

  get(aor: string, contact: string): UeRegistration | undefined {
    return this.entries.get(entryKey(aor, contact))?.reg;
  }

  /** Every entry of one registered IMPU (all its contacts). */
  forAor(aor: string): UeRegistration[] {
    return this.lookup(this.byAor.get(aor));
  }

  /** The registrations of a UE as identified by where its request came from. */
  fromSource(transport: "udp" | "tcp", address: string, port: number): UeRegistration[] {
    return this.lookup(this.bySource.get(sourceKey(transport, address, port)));
  }

  /** Whether any UE is registered from this source (no array built: many users may share one NAT). */
  hasSource(transport: "udp" | "tcp", address: string, port: number): boolean {
    for (const k of this.bySource.get(sourceKey(transport, address, port))) if (this.entries.has(k)) return true;
    return false;
  }

  /** Every registration that includes an IMPU (terminating requests). */
  forImpu(impu: string): UeRegistration[] {
    return this.lookup(this.byImpu.get(impu));
  }

  /**
   * Registrations whose contact has this URI's scheme, user, host and port (a terminating
   * request's Request-URI); compare parameters with `uriEquals` to pick the exact one.
   */
  forContact(contact: string): UeRegistration[] {
    return this.lookup(this.byContact.get(contactKey(contact)));
  }

  size(): number {
    return this.entries.size;
  }

  clear(): void {
    for (const e of this.entries.values()) e.timer.cancel();
    this.entries.clear();
    for (const i of [this.bySource, this.byAor, this.byImpu, this.byContact]) i.clear();
  }

  private lookup(keys: Iterable<string>): UeRegistration[] {
    const out: UeRegistration[] = [];
    for (const k of keys) {
      const e = this.entries.get(k);
      if (e !== undefined) out.push(e.reg);
    }
    return out;
  }
}
