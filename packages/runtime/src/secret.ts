import { timingSafeEqual } from "node:crypto";

/**
 * Compares two secrets (digest responses, RES, tokens) in time that does not depend on where they
 * differ. Strings of different lengths compare unequal, after a compare of equal cost.
 */
export function timingSafeEqualString(a: string, b: string): boolean {
  const ba = Buffer.from(a, "utf8");
  const bb = Buffer.from(b, "utf8");
  if (ba.length !== bb.length) {
    timingSafeEqual(ba, ba);
    return false;
  }
  return timingSafeEqual(ba, bb);
}
