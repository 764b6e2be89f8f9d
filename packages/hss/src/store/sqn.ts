import { ImsError } from "@ims/runtime";
import type { Kysely } from "kysely";
import { prepareQuery } from "./prepared.js";
import type { DialectName } from "./open-db.js";
import type { HssDatabase } from "./tables.js";

/** Next SQN after `sqn` (both 12 hex digits); packages/aka's TS 33.102 Annex C rule is passed in. */
export type SqnStep = (sqn: string) => string;

export interface SqnReservation {
  /** The SQNs of the vectors to issue, each already committed as used. */
  readonly sqns: string[];
}

export interface ReserveSqnOptions {
  readonly count: number;
  readonly step: SqnStep;
  /** SQN_MS recovered from AUTS: the HSS continues from it (TS 33.102 §6.3.5). */
  readonly resyncFrom?: string;
  /** The SQN the caller read; saves a round trip when it is still current. */
  readonly expected?: string;
  /** Extra writes that must commit with the SQN step (e.g. the pending S-CSCF name). */
  readonly alsoInTransaction?: (trx: Kysely<HssDatabase>) => Promise<void>;
}

const MAX_ATTEMPTS = 64;

/**
 * Reserves `count` fresh SQNs for an IMPI and commits the new SQN before returning, so no vector is
 * ever issued twice: not after a crash (the commit precedes the MAA), not for concurrent MARs (an
 * atomic compare-and-set UPDATE; on MySQL the row is also locked with SELECT … FOR UPDATE).
 */
export async function reserveSqns(db: Kysely<HssDatabase>, dialect: DialectName, impiId: number, o: ReserveSqnOptions): Promise<SqnReservation | undefined> {
  if (o.count < 1) throw new ImsError("bad-argument", "count must be ≥ 1");
  let expected = o.expected;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const result = await casOnce(db, dialect, impiId, o, expected);
    if (result === "gone") return undefined;
    if (typeof result !== "string") return result;
    expected = result;
  }
  throw new ImsError("sqn-contention", `could not reserve an SQN after ${MAX_ATTEMPTS} attempts`);
}

function advance(from: string, o: ReserveSqnOptions): string[] {
  const sqns: string[] = [];
  let s = from;
  for (let i = 0; i < o.count; i++) {
    s = o.step(s);
    sqns.push(s);
  }
  return sqns;
}

const casQueries = new WeakMap<Kysely<HssDatabase>, ReturnType<typeof prepareQuery<unknown>>>();

/** UPDATE impi SET sqn = new WHERE id = ? AND sqn = expected, compiled once per store. */
function casQuery(db: Kysely<HssDatabase>): ReturnType<typeof prepareQuery<unknown>> {
  let q = casQueries.get(db);
  if (q === undefined) {
    q = prepareQuery(db, 3, (d, [next, id, expected]) => d.updateTable("impi").set({ sqn: next }).where("id", "=", id).where("sqn", "=", expected));
    casQueries.set(db, q);
  }
  return q;
}

/** One attempt: returns the reservation, "gone" if the IMPI vanished, or the SQN that beat us. */
async function casOnce(
  db: Kysely<HssDatabase>,
  dialect: DialectName,
  impiId: number,
  o: ReserveSqnOptions,
  expected: string | undefined,
): Promise<SqnReservation | "gone" | string> {
  const inTransaction = o.alsoInTransaction !== undefined || expected === undefined;
  const run = async (trx: Kysely<HssDatabase>): Promise<SqnReservation | "gone" | string> => {
    let current = expected;
    if (current === undefined || (inTransaction && dialect === "mysql")) {
      let q = trx.selectFrom("impi").select("sqn").where("id", "=", impiId);
      if (dialect === "mysql") q = q.forUpdate();
      const row = await q.executeTakeFirst();
      if (row === undefined) return "gone";
      current = row.sqn;
    }
    const sqns = advance(o.resyncFrom ?? current, o);
    const last = sqns[sqns.length - 1] ?? current;
    const r = await casQuery(db)(trx, [last, impiId, current]);
    if (r.numAffectedRows === 0n) {
      const now = await trx.selectFrom("impi").select("sqn").where("id", "=", impiId).executeTakeFirst();
      return now === undefined ? "gone" : now.sqn;
    }
    if (o.alsoInTransaction !== undefined) await o.alsoInTransaction(trx);
    return { sqns };
  };
  // The common case is one conditional UPDATE in autocommit: atomic and durable on return on both
  // dialects. A transaction (with the row locked on MySQL) only when other rows change with it.
  if (!inTransaction) return run(db);
  return db.transaction().execute(run);
}
