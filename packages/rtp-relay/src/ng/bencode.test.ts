import { describe, expect, it } from "vitest";
import { decodeBencode, encodeBencode, type BValue } from "./bencode.js";
import { parseNgMessage, encodeNgMessage } from "./ng-message.js";

const b = (s: string) => Buffer.from(s, "latin1");

describe("bencode", () => {
  it("decodes the four types", () => {
    expect(decodeBencode(b("i42e"))).toEqual({ ok: true, value: 42 });
    expect(decodeBencode(b("i-7e"))).toEqual({ ok: true, value: -7 });
    expect(decodeBencode(b("4:spam"))).toEqual({ ok: true, value: "spam" });
    expect(decodeBencode(b("0:"))).toEqual({ ok: true, value: "" });
    const r = decodeBencode(b("d3:cow3:moo4:spaml1:a1:bee"));
    expect(r.ok && r.value).toEqual({ cow: "moo", spam: ["a", "b"] });
  });

  it("encodes with sorted keys (BEP 3) and round-trips", () => {
    const v: BValue = { zeta: 1, alpha: ["x", -3, { k: "" }], "call-id": "abc" };
    const bytes = encodeBencode(v);
    expect(bytes.toString("latin1")).toBe("d5:alphal1:xi-3ed1:k0:ee7:call-id3:abc4:zetai1ee");
    const back = decodeBencode(bytes);
    expect(back.ok && back.value).toEqual(v);
  });

  it("keeps arbitrary bytes (UTF-8 SDP) byte for byte", () => {
    const text = Buffer.from("s=Café ☎", "utf8");
    const raw = Buffer.concat([b(`${text.length}:`), text]);
    const r = decodeBencode(raw);
    expect(r.ok).toBe(true);
    if (r.ok) expect(encodeBencode(r.value).equals(raw)).toBe(true);
    expect(encodeBencode("☎").toString("latin1")).toBe("3:\u00e2\u0098\u008e");
  });

  it.each([
    ["", "unexpected end"],
    ["i12", "not terminated"],
    ["ie", "without digits"],
    ["i-0e", "leading zero"],
    ["i03e", "leading zero"],
    ["5:abc", "past end"],
    ["03:abc", "leading zero"],
    ["l", "unexpected end"],
    ["di1ei2ee", "key is not a string"],
    ["d1:a", "unexpected end"],
    ["d1:ai1e1:ai2ee", "duplicate key"],
    ["i1ei2e", "trailing data"],
    ["x", "unexpected byte 0x78"],
    ["99999999999999:a", "too large"],
    ["i1234567890123456e", "too large"],
    ["l".repeat(100) + "e".repeat(100), "too deep"],
  ])("rejects %j with a typed error", (input, reason) => {
    const r = decodeBencode(b(input));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.tag).toBe("bencode");
      expect(r.error.reason).toContain(reason);
    }
  });

  it("never throws on random or mutated input (fuzz)", () => {
    let seed = 12345;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const good = encodeBencode({ "call-id": "c1", command: "offer", flags: ["a", "b"], n: 12, sdp: "v=0\r\n" });
    for (let i = 0; i < 5000; i++) {
      let input: Buffer;
      if (i % 2 === 0) {
        input = Buffer.from(good);
        for (let m = 0; m < 1 + Math.floor(rnd() * 4); m++) input[Math.floor(rnd() * input.length)] = Math.floor(rnd() * 256);
        input = input.subarray(0, Math.floor(rnd() * (input.length + 1)));
      } else {
        input = Buffer.from(Array.from({ length: Math.floor(rnd() * 40) }, () => b("ild:e0123456789-x")[Math.floor(rnd() * 17)]!));
      }
      expect(() => decodeBencode(input)).not.toThrow();
      expect(() => parseNgMessage(Buffer.concat([b("c "), input]))).not.toThrow();
    }
  });
});

describe("ng framing", () => {
  it("splits cookie and dictionary", () => {
    const r = parseNgMessage(b("5323_1 d7:command4:pinge"));
    expect(r).toEqual({ ok: true, value: { cookie: "5323_1", dict: { command: "ping" } } });
    expect(encodeNgMessage("5323_1", { result: "pong" }).toString("latin1")).toBe("5323_1 d6:result4:ponge");
  });

  it("reports the cookie when only the body is bad, none when there is no cookie", () => {
    const bad = parseNgMessage(b("ck1 d7:command"));
    expect(!bad.ok && bad.error.cookie).toBe("ck1");
    const list = parseNgMessage(b("ck2 l4:pinge"));
    expect(!list.ok && list.error.reason).toContain("not a dictionary");
    for (const s of ["", "nocookie", " d4:ping4:ponge", "a\tb d1:a1:be"]) {
      const r = parseNgMessage(b(s));
      expect(!r.ok && r.error.cookie).toBeUndefined();
    }
  });
});
