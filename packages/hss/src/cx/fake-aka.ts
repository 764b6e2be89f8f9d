import { createHash, randomBytes } from "node:crypto";
import { err, ok } from "@ims/runtime";
import type { AkaProvider } from "../auth/aka-provider.js";

/**
 * A test double of packages/aka: NOT Milenage. Vectors encode the SQN in clear in AUTN so tests can
 * read which SQN a vector used; AUTS is RAND-bound SQN_MS ‖ 8-byte tag.
 */
export function fakeAka(): AkaProvider {
  const h = (...parts: Uint8Array[]): Buffer => createHash("sha256").update(Buffer.concat(parts)).digest();
  return {
    opc: (k, op) => h(k, op).subarray(0, 16),
    nextSqn: (s) => ((parseInt(s, 16) + 32) % 2 ** 48).toString(16).padStart(12, "0"),
    vector(keys, sqn) {
      const rand = randomBytes(16);
      const sq = Buffer.from(sqn, "hex");
      return {
        rand,
        autn: Buffer.concat([sq, keys.amf, h(keys.k, rand, sq).subarray(0, 8)]),
        xres: h(keys.k, rand).subarray(0, 8),
        ck: h(keys.k, rand, Buffer.from("ck")).subarray(0, 16),
        ik: h(keys.k, rand, Buffer.from("ik")).subarray(0, 16),
      };
    },
    resync(keys, rand, auts) {
      const sqnMs = auts.subarray(0, 6);
      const tag = h(keys.k, rand, sqnMs).subarray(0, 8);
      return Buffer.compare(tag, auts.subarray(6, 14)) === 0 ? ok(Buffer.from(sqnMs).toString("hex")) : err({ tag: "auts-invalid", reason: "MAC-S" });
    },
  };
}

/** AUTS the fake accepts for this K, RAND and SQN_MS. */
export function fakeAuts(k: Uint8Array, rand: Uint8Array, sqnMs: string): Buffer {
  const sq = Buffer.from(sqnMs, "hex");
  return Buffer.concat([sq, createHash("sha256").update(Buffer.concat([k, rand, sq])).digest().subarray(0, 8)]);
}
