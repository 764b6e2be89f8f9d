/**
 * Fuzzing the parser and everything layered on it with a seeded PRNG: mutations of valid messages
 * (truncation, byte flips, NULs, huge headers, wrong Content-Length, spliced and shuffled lines)
 * must only ever give typed errors or messages; nothing may throw, hang or hold on to memory.
 */
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import * as H from "../headers/index.js";
import { parseUri } from "../uri/parse.js";
import { responseToParseError } from "./build.js";
import { frameMessage } from "./framing.js";
import { cloneMessage } from "./header-ops.js";
import { parseMessage } from "./parse.js";
import { serializeMessage } from "./serialize.js";
import type { SipMessage } from "./types.js";
import { validateMessage } from "./validate.js";

const DIR = fileURLToPath(new URL("../../../../test/fixtures/reference/rfc4475/", import.meta.url));
const SEEDS: Buffer[] = readdirSync(DIR)
  .filter((f) => f.endsWith(".dat"))
  .sort()
  .map((f) => readFileSync(DIR + f));

/** mulberry32: small, fast, seeded. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SPECIAL = [0x00, 0x0d, 0x0a, 0x20, 0x09, 0x3a, 0x3b, 0x2c, 0x3c, 0x3e, 0x22, 0x5c, 0x25, 0x40, 0x3d, 0xff, 0xc3];

function mutate(src: Buffer, rnd: () => number): Buffer {
  const int = (n: number): number => Math.floor(rnd() * n);
  const b = Buffer.from(src);
  switch (int(9)) {
    case 0:
      return b.subarray(0, int(b.length + 1));
    case 1: {
      for (let k = 1 + int(8); k > 0; k--) b[int(b.length)] = int(256);
      return b;
    }
    case 2: {
      for (let k = 1 + int(6); k > 0; k--) b[int(b.length)] = SPECIAL[int(SPECIAL.length)]!;
      return b;
    }
    case 3: {
      const at = int(b.length);
      return Buffer.concat([b.subarray(0, at), Buffer.alloc(1 + int(4), 0), b.subarray(at)]);
    }
    case 4: {
      const line = b.indexOf("\r\n") + 2;
      const huge = Buffer.from(`X-Huge: ${"a;b,\"<".repeat(1 + int(20_000))}\r\n`);
      return Buffer.concat([b.subarray(0, line), huge, b.subarray(line)]);
    }
    case 5: {
      const s = b.toString("latin1").replace(/^(Content-Length|l)[ \t]*:[^\r\n]*/im, (_m, n: string) => {
        const v = [String(int(100_000)), "-1", "99999999999999999999", "0x10", "", " 5 5", "1e3"][int(7)]!;
        return `${n}: ${v}`;
      });
      return Buffer.from(s, "latin1");
    }
    case 6: {
      const lines = b.toString("latin1").split("\r\n");
      const i = 1 + int(Math.max(1, lines.length - 1));
      if (rnd() < 0.5) lines.splice(i, 1);
      else lines.splice(i, 0, lines[int(lines.length)] ?? "");
      return Buffer.from(lines.join("\r\n"), "latin1");
    }
    case 7: {
      const other = SEEDS[int(SEEDS.length)]!;
      return Buffer.concat([b.subarray(0, int(b.length)), other.subarray(int(other.length))]);
    }
    default: {
      const lines = b.toString("latin1").split("\r\n");
      for (let k = 0; k < 3; k++) {
        const i = 1 + int(Math.max(1, lines.length - 1));
        const j = 1 + int(Math.max(1, lines.length - 1));
        [lines[i], lines[j]] = [lines[j] ?? "", lines[i] ?? ""];
      }
      return Buffer.from(lines.join("\r\n"), "latin1");
    }
  }
}

const STATUSES = new Set([400, 416, 420, 501, 505, 513]);

/** Everything a node might do with a received message; must never throw. */
function exercise(msg: SipMessage): void {
  validateMessage(msg);
  H.getVias(msg);
  H.getFirstVia(msg);
  H.getFrom(msg);
  H.getTo(msg);
  H.getCallId(msg);
  H.getCSeq(msg);
  H.getMaxForwards(msg);
  H.getExpires(msg);
  H.getContacts(msg);
  H.getContentType(msg);
  for (const n of ["route", "record-route", "path", "service-route", "p-asserted-identity", "p-associated-uri"]) H.getNameAddrs(msg, n);
  for (const n of ["supported", "require", "allow"]) H.getTokens(msg, n);
  for (const n of ["authorization", "www-authenticate"]) H.getAuthHeaders(msg, n);
  H.getPChargingVector(msg);
  H.getPAccessNetworkInfo(msg);
  H.getPVisitedNetworkIds(msg);
  if (msg.kind === "request") parseUri(msg.uri);
  const again = parseMessage(serializeMessage(cloneMessage(msg)));
  if (!again.ok && again.error.status !== 513) throw new Error(`re-parse failed: ${again.error.reason}`);
}

describe("parser fuzz", () => {
  it("survives 6,000 mutations with typed errors only, in bounded time and memory", () => {
    const rnd = prng(0x5eed_4475);
    const heapBefore = process.memoryUsage().heapUsed;
    let parsed = 0;
    let errors = 0;
    let slowest = 0;
    for (let iter = 0; iter < 6000; iter++) {
      const input = mutate(SEEDS[iter % SEEDS.length]!, rnd);
      const t0 = performance.now();
      const r = parseMessage(input);
      if (r.ok) {
        parsed++;
        exercise(r.value);
      } else {
        errors++;
        expect(r.error.tag).toBe("sip-parse");
        expect(STATUSES.has(r.error.status)).toBe(true);
        expect(r.error.reason.length).toBeGreaterThan(0);
        responseToParseError(r.error);
      }
      const f = frameMessage(input);
      expect(["need-more", "keepalive", "complete", "error"]).toContain(f.kind);
      if (f.kind === "complete") parseMessage(input.subarray(0, f.length));
      slowest = Math.max(slowest, performance.now() - t0);
    }
    // both outcomes were exercised, no single input took long, and nothing was retained
    expect(parsed).toBeGreaterThan(500);
    expect(errors).toBeGreaterThan(500);
    expect(slowest).toBeLessThan(500);
    globalThis.gc?.();
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(200 * 1024 * 1024);
  });

  it("enforces the configurable size limits", () => {
    const base = SEEDS[0]!;
    const line = base.indexOf("\r\n") + 2;
    const withHeader = (h: string): Buffer => Buffer.concat([base.subarray(0, line), Buffer.from(h), base.subarray(line)]);
    const longLine = withHeader(`X-Long: ${"a".repeat(20_000)}\r\n`);
    const r1 = parseMessage(longLine, { maxHeaderLineBytes: 1000 });
    expect(!r1.ok && r1.error.status).toBe(513);
    expect(parseMessage(longLine, { maxHeaderLineBytes: 30_000 }).ok).toBe(true);
    const folded = withHeader(`X-Folded: a\r\n${" b\r\n".repeat(5000)}`);
    const r2 = parseMessage(folded, { maxHeaderLineBytes: 1000 });
    expect(!r2.ok && r2.error.status).toBe(513);
    const many = withHeader("X-A: 1\r\n".repeat(300));
    const r3 = parseMessage(many);
    expect(!r3.ok && r3.error.status).toBe(513);
    expect(parseMessage(many, { maxHeaders: 400 }).ok).toBe(true);
    const big = Buffer.concat([base, Buffer.alloc(300_000, 0x41)]);
    const r4 = parseMessage(big);
    expect(!r4.ok && r4.error.status).toBe(513);
    const f = frameMessage(Buffer.alloc(300_000, 0x41));
    expect(f.kind === "error" && f.error.status).toBe(513);
  });

  it("stays linear on pathological values", () => {
    const hdrs = [
      `Via: SIP/2.0/UDP h${";x".repeat(5000)}`,
      `To: ${'"'.repeat(8000)}`,
      `Contact: ${"<sip:a@b>,".repeat(1500)}`,
      `From: <tel:${"1".repeat(15000)}x>`,
      `To: <sip:a@b${";p".repeat(7000)}=1>`,
      `Authorization: Digest ${"a=b, ".repeat(3000)}`,
      `P-Charging-Vector: ${"icid-value=1;".repeat(1200)}`,
    ];
    for (const h of hdrs) {
      const buf = Buffer.from(`OPTIONS sip:a@b SIP/2.0\r\n${h}\r\nContent-Length: 0\r\n\r\n`);
      const t0 = performance.now();
      const r = parseMessage(buf);
      expect(r.ok).toBe(true);
      if (r.ok) exercise(r.value);
      expect(performance.now() - t0).toBeLessThan(200);
    }
  });
});
