/**
 * Two ways a node under load keeps short-lived objects longer than it means to, and what to use
 * instead. Both are about V8's generational heap: what a scavenge finds reachable is copied, and
 * what two scavenges find reachable is promoted to the old generation, where only a full collection
 * frees it again. Under load a scavenge runs every ~150 ms in a CSCF, so a few KB retained per
 * message are megabytes copied and promoted per second, and longer scavenge pauses.
 */

interface Box<V> {
  v: V | undefined;
}

/**
 * A Map for values that come and go quickly in a long-lived table: transactions in flight, requests
 * waiting for their answer. A removed value is let go at once.
 *
 * What was measured (bench/map-churn.mjs, Node 20): the values of an old Map with churn are
 * copied and promoted by scavenges although each is deleted a few ms after it was set, even when
 * it is overwritten before the delete; ten times fewer bytes are promoted when the values sit in
 * boxes emptied on removal. The likely cause: an old Map's hash tables are allocated in the old
 * generation, and a table left behind by a rehash (every few dozen insertions under churn) still
 * holds the values it had; until the next full collection the scavenger treats them as reachable.
 * In the lab at 1,000 registrations/s this promoted most in-flight messages of every CSCF. Here a
 * stale table can hold on to an emptied box only.
 */
export class InFlightMap<K, V> {
  private readonly map = new Map<K, Box<V>>();

  get size(): number {
    return this.map.size;
  }

  get(key: K): V | undefined {
    return this.map.get(key)?.v;
  }

  has(key: K): boolean {
    return this.map.has(key);
  }

  set(key: K, value: V): this {
    const box = this.map.get(key);
    if (box === undefined) this.map.set(key, { v: value });
    else box.v = value;
    return this;
  }

  delete(key: K): boolean {
    const box = this.map.get(key);
    if (box === undefined) return false;
    box.v = undefined;
    return this.map.delete(key);
  }

  /** Removes `key` only while it maps to `value` (an entry since replaced is kept). */
  deleteIf(key: K, value: V): boolean {
    const box = this.map.get(key);
    if (box === undefined || box.v !== value) return false;
    box.v = undefined;
    return this.map.delete(key);
  }

  clear(): void {
    for (const box of this.map.values()) box.v = undefined;
    this.map.clear();
  }

  /** The values, in insertion order (a snapshot: the map may be changed while it is walked). */
  values(): V[] {
    const out: V[] = [];
    for (const box of this.map.values()) out.push(box.v as V);
    return out;
  }

  /** The keys in insertion order, live as a Map's iterator is (removing entries while walking is safe). */
  keys(): IterableIterator<K> {
    return this.map.keys();
  }
}

/**
 * `s` as a string of its own. A substring of a received message (a branch, a host, a URI) is a
 * view into the whole message text in V8, and a string built from such parts keeps every part,
 * so storing it for long (a transaction key for Timer J, a registration's contact) keeps the whole
 * message text alive with it. The copy costs one allocation of `s.length` characters.
 */
export function detachString(s: string): string {
  // Slicing a concatenation makes V8 flatten it into a new string first; the slice is of that copy.
  return s.length < 13 ? s : (s + " ").slice(0, -1);
}
