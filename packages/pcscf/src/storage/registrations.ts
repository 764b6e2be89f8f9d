import type { Clock, TimerHandle } from "@ims/runtime";

/**
 * What the P-CSCF keeps of a UE's registration (TS 24.229 §5.2.2): learnt from the 200 OK to the
 * REGISTER, looked up when the UE sends a request (is it registered through us? which identities
 * may it assert? which Service-Route?) and when a terminating request comes over the Path.
 */
export interface UeRegistration {
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

export class RegistrationStore {
  private readonly byContact = new Map<string, UeRegistration>();
  /** Contacts by source "transport:address:port". */
  private readonly bySource = new Map<string, Set<string>>();
  private readonly timers = new Map<string, TimerHandle>();

  constructor(
    private readonly clock: Clock,
    private readonly onExpired: (reg: UeRegistration) => void = () => undefined,
  ) {}

  /** Stores or refreshes a registration; an expiry in the past removes it. */
  save(reg: UeRegistration): void {
    this.remove(reg.contact);
    if (reg.expiresAt <= this.clock.now()) return;
    this.byContact.set(reg.contact, reg);
    const src = sourceKey(reg.transport, reg.address, reg.port);
    let set = this.bySource.get(src);
    if (set === undefined) this.bySource.set(src, (set = new Set()));
    set.add(reg.contact);
    this.timers.set(
      reg.contact,
      this.clock.setTimer(reg.expiresAt - this.clock.now(), () => {
        this.remove(reg.contact);
        this.onExpired(reg);
      }),
    );
  }

  remove(contact: string): UeRegistration | undefined {
    const reg = this.byContact.get(contact);
    if (reg === undefined) return undefined;
    this.byContact.delete(contact);
    this.timers.get(contact)?.cancel();
    this.timers.delete(contact);
    const src = sourceKey(reg.transport, reg.address, reg.port);
    const set = this.bySource.get(src);
    set?.delete(contact);
    if (set?.size === 0) this.bySource.delete(src);
    return reg;
  }

  byContactUri(contact: string): UeRegistration | undefined {
    return this.byContact.get(contact);
  }

  /** The registrations of a UE as identified by where its request came from. */
  fromSource(transport: "udp" | "tcp", address: string, port: number): UeRegistration[] {
    const set = this.bySource.get(sourceKey(transport, address, port));
    return set === undefined ? [] : [...set].map((c) => this.byContact.get(c)).filter((r): r is UeRegistration => r !== undefined);
  }

  /** Every registration that includes an IMPU (terminating requests). */
  forImpu(impu: string): UeRegistration[] {
    return [...this.byContact.values()].filter((r) => r.impus.includes(impu));
  }

  size(): number {
    return this.byContact.size;
  }

  clear(): void {
    for (const t of this.timers.values()) t.cancel();
    this.timers.clear();
    this.byContact.clear();
    this.bySource.clear();
  }
}

function sourceKey(transport: string, address: string, port: number): string {
  return `${transport}:${address}:${port}`;
}
