/** RFC 2782 "Usage rules": lowest priority first; within a priority, a weighted random order. */

export interface SrvLike {
  readonly priority: number;
  readonly weight: number;
}

/** `random()` returns a number in [0, 1), like Math.random (injected so tests are deterministic). */
export function orderSrv<T extends SrvLike>(records: readonly T[], random: () => number): T[] {
  const byPriority = new Map<number, T[]>();
  for (const r of records) {
    const group = byPriority.get(r.priority) ?? [];
    group.push(r);
    byPriority.set(r.priority, group);
  }
  const out: T[] = [];
  for (const priority of [...byPriority.keys()].sort((a, b) => a - b)) {
    // "arrange all SRV RRs (that have not been ordered yet) in any order, except that all those with
    // weight 0 are placed at the beginning of the list", then pick by running sum.
    const left = [...(byPriority.get(priority) as T[])].sort((a, b) => (a.weight === 0 ? 0 : 1) - (b.weight === 0 ? 0 : 1));
    while (left.length > 0) {
      const total = left.reduce((s, r) => s + r.weight, 0);
      const pick = Math.floor(random() * (total + 1)); // uniform in [0, total]
      let running = 0;
      let index = left.length - 1;
      for (let i = 0; i < left.length; i++) {
        running += (left[i] as T).weight;
        if (running >= pick) {
          index = i;
          break;
        }
      }
      out.push(left.splice(index, 1)[0] as T);
    }
  }
  return out;
}
