/**
 * Memoises `answerQuery`: zones are immutable, so a response depends only on the query bytes apart
 * from the 16-bit id (the question's spelling, RD, EDNS all stay in the key). The hot path becomes a
 * map lookup and a copy with the id patched in.
 */
import type { ZoneSet } from "../zone/zone.js";
import { type QueryOutcome, type QueryTransport, answerQuery } from "./answer-query.js";

export class AnswerCache {
  private readonly entries = new Map<string, QueryOutcome | undefined>();

  constructor(private readonly zones: ZoneSet, private readonly maxEntries = 4096, private readonly maxQueryBytes = 512) {}

  answer(query: Uint8Array, transport: QueryTransport): QueryOutcome | undefined {
    if (query.length < 2 || query.length > this.maxQueryBytes) return answerQuery(this.zones, query, transport);
    const key = transport + Buffer.from(query.buffer, query.byteOffset + 2, query.length - 2).toString("latin1");
    let cached = this.entries.get(key);
    if (cached === undefined && !this.entries.has(key)) {
      cached = answerQuery(this.zones, query, transport);
      if (this.entries.size >= this.maxEntries) this.entries.clear();
      this.entries.set(key, cached);
    }
    if (cached === undefined) return undefined;
    const response = Uint8Array.from(cached.response);
    response[0] = query[0] as number;
    response[1] = query[1] as number;
    return { ...cached, response };
  }

  size(): number {
    return this.entries.size;
  }
}
