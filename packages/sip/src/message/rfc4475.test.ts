/**
 * RFC 4475 torture tests: every one of the 49 messages, read as bytes. Valid ones parse, validate
 * and round-trip; invalid ones give a typed error with the status the RFC expects.
 */
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { getContacts, getFrom, getTo, getFirstVia, getVias, getCSeq, getMaxForwards } from "../headers/accessors.js";
import { unescapeUri } from "../uri/escape.js";
import { parseUri } from "../uri/parse.js";
import { cloneMessage, getHeader, getHeaders } from "./header-ops.js";
import { parseMessage } from "./parse.js";
import { serializeMessage } from "./serialize.js";
import type { SipMessage } from "./types.js";
import { validateMessage } from "./validate.js";

// The RFC 4475 messages are fixtures inside the repo (test/fixtures/reference).
const DIR = fileURLToPath(new URL("../../../../test/fixtures/reference/rfc4475/", import.meta.url));
const load = (f: string): Buffer => readFileSync(DIR + f);

type Expect = "ok" | { stage: "parse" | "validate"; status: number; reason: RegExp };
const bad = (stage: "parse" | "validate", status: number, reason: RegExp): Expect => ({ stage, status, reason });

/** What we do with each message; comments say where we chose among what the RFC allows. */
const EXPECT: Record<string, Expect> = {
  // 3.1.1 valid
  "wsinv.dat": "ok", "intmeth.dat": "ok", "esc01.dat": "ok", "escnull.dat": "ok", "esc02.dat": "ok",
  "lwsdisp.dat": "ok", "longreq.dat": "ok", "dblreq.dat": "ok", "semiuri.dat": "ok", "transports.dat": "ok",
  "mpart01.dat": "ok", "unreason.dat": "ok", "noreason.dat": "ok",
  // 3.1.2 invalid
  "badinv01.dat": bad("validate", 400, /Via/),
  "clerr.dat": bad("parse", 400, /Content-Length 9999/),
  "ncl.dat": bad("parse", 400, /Content-Length/),
  "scalar02.dat": bad("validate", 400, /CSeq/),
  "scalarlg.dat": bad("validate", 400, /CSeq/), // a response: the status is moot, it is dropped
  "quotbal.dat": bad("validate", 400, /To.*quoted/),
  "ltgtruri.dat": bad("parse", 400, /Request-URI/),
  "lwsruri.dat": bad("parse", 400, /request line/),
  "lwsstart.dat": bad("parse", 400, /request line|Request-URI/),
  "trws.dat": bad("parse", 400, /request line/),
  "escruri.dat": bad("validate", 400, /Request-URI must not contain headers/),
  "baddate.dat": "ok", // RFC: an element should not reject unless the Date matters to it
  "regbadct.dat": bad("validate", 400, /Contact.*<>/),
  "badaspec.dat": bad("validate", 400, /To.*URI/),
  "baddn.dat": bad("parse", 400, /not terminated/), // also has an unquoted comma in its display names
  "badvers.dat": bad("parse", 505, /SIP\/7\.0/),
  "mismatch01.dat": bad("validate", 400, /CSeq method INVITE does not match OPTIONS/),
  "mismatch02.dat": bad("validate", 501, /CSeq method INVITE does not match NEWMETHOD/),
  "bigcode.dat": bad("parse", 400, /status code/),
  // 3.2 transaction layer: parseable; the transaction layer falls back to RFC 2543 matching
  "badbranch.dat": "ok",
  // 3.3 application layer
  "insuf.dat": bad("validate", 400, /missing/),
  "unkscm.dat": "ok", "novelsc.dat": "ok", "unksm2.dat": "ok", "bext01.dat": "ok", "invut.dat": "ok",
  "regaut01.dat": "ok",
  "multi01.dat": bad("validate", 400, /more than one/),
  "mcl01.dat": bad("parse", 400, /conflicting Content-Length/),
  "bcast.dat": "ok", "zeromf.dat": "ok", "cparam01.dat": "ok", "cparam02.dat": "ok", "regescrt.dat": "ok",
  "sdp01.dat": "ok",
  // 3.4 backward compatibility
  "inv2543.dat": "ok",
};

const files = readdirSync(DIR).filter((f) => f.endsWith(".dat")).sort();

const comparable = (m: SipMessage): unknown => ({ ...m, body: m.body.toString("hex") });

describe("RFC 4475 torture messages", () => {
  it("has all 49 messages and an expectation for each", () => {
    expect(files).toHaveLength(49);
    expect(Object.keys(EXPECT).sort()).toEqual(files);
  });

  for (const f of files) {
    it(f, () => {
      const buf = load(f);
      const exp = EXPECT[f]!;
      const parsed = parseMessage(buf);
      if (exp !== "ok" && exp.stage === "parse") {
        expect(parsed.ok).toBe(false);
        if (parsed.ok) return;
        expect(parsed.error.tag).toBe("sip-parse");
        expect(parsed.error.status).toBe(exp.status);
        expect(parsed.error.reason).toMatch(exp.reason);
        return;
      }
      if (!parsed.ok) throw new Error(`${f}: ${parsed.error.reason}`);
      const v = validateMessage(parsed.value);
      if (exp === "ok") {
        if (!v.ok) throw new Error(`${f}: ${v.error.reason}`);
        // serialized from the model (a plain copy has no memory of the received bytes)
        const fresh = serializeMessage(cloneMessage(parsed.value));
        const again = parseMessage(fresh);
        if (!again.ok) throw new Error(`${f} round trip: ${again.error.reason}`);
        expect(comparable(again.value)).toEqual(comparable(parsed.value));
        expect(serializeMessage(cloneMessage(again.value)).equals(fresh)).toBe(true);
        // unchanged, the parsed message serializes to the bytes it was read from
        const raw = serializeMessage(parsed.value);
        expect(buf.indexOf(raw)).toBe(0);
      } else {
        expect(v.ok).toBe(false);
        if (v.ok) return;
        expect(v.error.status).toBe(exp.status);
        expect(v.error.reason).toMatch(exp.reason);
        // enough was kept to address an answer
        expect(v.error.headers.length).toBeGreaterThan(0);
      }
    });
  }
});

const msg = (f: string): SipMessage => {
  const r = parseMessage(load(f));
  if (!r.ok) throw new Error(r.error.reason);
  return r.value;
};

describe("RFC 4475 details", () => {
  it("wsinv: folding, LWS, compact forms, leading zeros, opaque unknown header", () => {
    const m = msg("wsinv.dat");
    expect(getTo(m)?.tag).toBe("1918181833n");
    expect(getFrom(m)?.display).toBe('J Rosenberg \\"');
    expect(getFrom(m)?.tag).toBe("98asjd8");
    expect(getMaxForwards(m)).toBe(68);
    expect(getCSeq(m)).toEqual({ seq: 9, method: "INVITE" });
    const vias = getVias(m)!;
    expect(vias.map((v) => [v.transport, v.host, v.branch])).toEqual([
      ["UDP", "192.0.2.2", "390skdjuw"],
      ["TCP", "spindle.example.com", "z9hG4bK9ikj8"],
      ["UDP", "192.168.255.111", "z9hG4bK30239"],
    ]);
    expect(getHeader(m, "UnknownHeaderWithUnusualValue")).toBe(";;,,;;,;");
    expect(getHeader(m, "subject")).toBe("");
    const c = getContacts(m);
    expect(c !== "*" && c?.[0]?.q).toBe(0.33);
    expect(c !== "*" && c?.[0]?.display).toBe('Quoted string ""');
    expect(m.body.length).toBe(150);
  });

  it("intmeth: odd method, NUL/BEL/DEL in a quoted display name, UTF-8 values", () => {
    const m = msg("intmeth.dat");
    expect(m.kind === "request" && m.method).toBe("!interesting-Method0123456789_*+`.%indeed'~");
    expect(getTo(m)?.display).toBe("BEL:\x07 NUL:\x00 DEL:\x7f");
    expect(getFrom(m)?.display).toBe("token1~` token2'+_ token3*%!.-");
    expect(getFirstVia(m)?.branch).toBe("z9hG4bK-.!%66*_+`'~");
    expect(getHeader(m, "extensionHeader-!.%*+_`'~")).toBe("\uFEFF大停電");
  });

  it("esc01/escnull/esc02: escapes unescaped once; C%6Fntact is another header", () => {
    const e = msg("esc01.dat");
    const ruri = e.kind === "request" ? parseUri(e.uri) : undefined;
    expect(ruri?.ok && ruri.value.kind === "sip" && [unescapeUri(ruri.value.user!), ruri.value.host]).toEqual([
      "sips:user@example.com",
      "example.net",
    ]);
    const c = getContacts(e);
    expect(c !== "*" && c?.[0]?.uri.kind === "sip" && unescapeUri(c[0].uri.params.get("name")!)).toBe("value%41");
    expect(c !== "*" && c?.[0]?.uri.kind === "sip" && c[0].uri.params.has("lr")).toBe(true);
    const n = getContacts(msg("escnull.dat"));
    expect(n !== "*" && n?.map((c) => c.uri.kind === "sip" && unescapeUri(c.uri.user!))).toEqual(["\x00", "\x00\x00"]);
    const m = msg("esc02.dat");
    expect(getHeaders(m, "contact")).toHaveLength(2);
    expect(getHeader(m, "C%6Fntact")).toBeDefined();
  });

  it("dblreq ignores trailing octets; inv2543 takes the rest of the datagram as body", () => {
    const d = msg("dblreq.dat");
    expect(d.kind === "request" && d.method).toBe("REGISTER");
    expect(d.body.length).toBe(0);
    expect(serializeMessage(d).includes("INVITE")).toBe(false);
    expect(msg("inv2543.dat").body.length).toBe(105);
  });

  it("mpart01 keeps the binary body byte exact; unreason keeps the UTF-8 reason", () => {
    const buf = load("mpart01.dat");
    const m = msg("mpart01.dat");
    expect(m.body.equals(buf.subarray(buf.length - 553))).toBe(true);
    const r = msg("unreason.dat");
    expect(r.kind === "response" && Buffer.byteLength(r.reason) - r.reason.length).toBeGreaterThan(0);
    expect(msg("noreason.dat")).toMatchObject({ kind: "response", status: 100, reason: "" });
  });

  it("longreq: 34 Via values", () => {
    expect(getVias(msg("longreq.dat"))).toHaveLength(34);
  });

  it("cparam01/cparam02: contact-param vs url-param", () => {
    const c1 = getContacts(msg("cparam01.dat"));
    const c2 = getContacts(msg("cparam02.dat"));
    if (c1 === "*" || c2 === "*" || !c1 || !c2) throw new Error("contacts");
    expect(c1[0]!.params.has("unknownparam")).toBe(true);
    expect(c1[0]!.uri.kind === "sip" && c1[0]!.uri.params.has("unknownparam")).toBe(false);
    expect(c2[0]!.uri.kind === "sip" && c2[0]!.uri.params.has("unknownparam")).toBe(true);
  });
});
