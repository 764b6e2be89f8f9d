import { describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { AnswerCache } from "./answer-cache.js";
import { answerQuery } from "./answer-query.js";
import { buildLabZone, LAB_DNS_DEFAULTS } from "../zone/lab-zone.js";
import { ZoneSet } from "../zone/zone.js";
import { encodeMessage } from "../wire/encode.js";
import { RR_TYPE } from "../wire/types.js";

const zones = new ZoneSet([buildLabZone(LAB_DNS_DEFAULTS)]);
const q = (id: number, name: string, rd = false): Uint8Array =>
  encodeMessage({
    header: { id, qr: false, opcode: 0, aa: false, tc: false, rd, ra: false, rcode: 0 },
    questions: [{ name, type: RR_TYPE.SRV, qclass: 1 }],
    answers: [],
    authorities: [],
    additionals: [],
  });

describe("AnswerCache", () => {
  it("gives byte-for-byte what answerQuery gives, whatever the id, spelling and flags", () => {
    const cache = new AnswerCache(zones, 3);
    const queries = [q(1, "_sip._udp.domain.imsprovider.org"), q(2, "_SIP._udp.domain.imsprovider.org"), q(3, "_sip._udp.domain.imsprovider.org", true), q(4, "nope.domain.imsprovider.org")];
    for (let round = 0; round < 3; round++) {
      for (const query of queries) {
        query[0] = round;
        for (const t of ["udp", "tcp"] as const) expect(cache.answer(query, t)).toEqual(answerQuery(zones, query, t));
      }
    }
    expect(cache.size()).toBeLessThanOrEqual(3);
  });

  it("matches answerQuery on random input too (dropped stays dropped)", () => {
    const cache = new AnswerCache(zones);
    for (let i = 0; i < 2000; i++) {
      const b = randomBytes(i % 60);
      expect(cache.answer(b, "udp")).toEqual(answerQuery(zones, b, "udp"));
      expect(cache.answer(b, "udp")).toEqual(answerQuery(zones, b, "udp"));
    }
  });
});
