/**
 * Random identifiers (Via branches, tags, Call-IDs, ICIDs, nonces) from the CSPRNG, drawn from a
 * pool filled 4 KiB at a time. `crypto.randomBytes(8)` per identifier crosses into C++ and
 * allocates a Buffer each time; under load that showed as 3-4% of a CSCF's CPU. Every byte of the
 * pool is handed out once, so the output is exactly as unpredictable as randomBytes'.
 */
import { randomFillSync } from "node:crypto";

const POOL_SIZE = 4096;
const pool = Buffer.allocUnsafe(POOL_SIZE);
let offset = POOL_SIZE;

function take(n: number): number {
  if (n > POOL_SIZE) throw new RangeError(`at most ${POOL_SIZE} random bytes at a time`);
  if (offset + n > POOL_SIZE) {
    randomFillSync(pool);
    offset = 0;
  }
  const at = offset;
  offset += n;
  return at;
}

/** `n` random bytes as 2n lowercase hex digits. */
export function randomHex(n: number): string {
  const at = take(n);
  return pool.toString("hex", at, at + n);
}

/** `n` random bytes in base64. */
export function randomBase64(n: number): string {
  const at = take(n);
  return pool.toString("base64", at, at + n);
}
