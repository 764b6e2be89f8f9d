import type { Clock, TimerHandle } from "@ims/runtime";

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

export class RegistrationStore {
  private readonly entries = new Map<string, UeRegistration>();
  /** Entry keys by source "transport:address:port". */
  private readonly bySource = new Map<string, Set<string>>();
  private readonly timers = new Map<string, TimerHandle>();

  constructor(
    private readonly clock: Clock,
    private readonly onExpired: (reg: UeRegistration) => void = () => undefined,
  ) {}

  /** Stores or refreshes a registration; an expiry in the past removes it. */
  save(reg: UeRegistration): void {
    this.remove(reg.aor, reg.contact);
    if (reg.expiresAt <= this.clock.now()) return;
    const key = entryKey(reg.aor, reg.contact);
    this.entries.set(key, reg);
    const src = sourceKey(reg.transport, reg.address, reg.port);
    let set = this.bySource.get(src);
    if (set === undefined) this.bySource.set(src, (set = new Set()));
    set.add(key);
    this.timers.set(
      key,
      this.clock.setTimer(reg.expiresAt - this.clock.now(), () => {
        this.remove(reg.aor, reg.contact);
        this.onExpired(reg);
      }),
    );
  }

  remove(aor: string, contact: string): UeRegistration | undefined {
    const key = entryKey(aor, contact);
    const reg = this.entries.get(key);
    if (reg === undefined) return undefined;
    this.entries.delete(key);
    this.timers.get(key)?.cancel();
    this.timers.delete(key);
    const src = sourceKey(reg.transport, reg.address, reg.port);
    const set = this.bySource.get(src);
    set?.delete(key);
    if (set?.size === 0) this.bySource.delete(src);
    return reg;
  }

  get(aor: string, contact: string): UeRegistration | undefined {
    return this.entries.get(entryKey(aor, contact));
  }

  /** Every entry of one registered IMPU (all its contacts). */
  forAor(aor: string): UeRegistration[] {
    return [...this.entries.values()].filter((r) => r.aor === aor);
  }

  /** The registrations of a UE as identified by where its request came from. */
  fromSource(transport: "udp" | "tcp", address: string, port: number): UeRegistration[] {
    const set = this.bySource.get(sourceKey(transport, address, port));
    return set === undefined ? [] : [...set].map((k) => this.entries.get(k)).filter((r): r is UeRegistration => r !== undefined);
  }

  /** Every registration that includes an IMPU (terminating requests). */
  forImpu(impu: string): UeRegistration[] {
    return [...this.entries.values()].filter((r) => r.impus.includes(impu));
  }

  /** Every registration whose contact is this URI (a terminating request's Request-URI). */
  forContact(contact: string): UeRegistration[] {
    return [...this.entries.values()].filter((r) => r.contact === contact);
  }

  size(): number {
    return this.entries.size;
  }

  clear(): void {
    for (const t of this.timers.values()) t.cancel();
    this.timers.clear();
    this.entries.clear();
    this.bySource.clear();
  }
}
