import { describe, expect, it } from "vitest";
import { addHeader, cloneMessage, getHeader, getHeaders, removeHeaders, setHeader } from "./header-ops.js";
import { parseMessage } from "./parse.js";
import { serializeMessage } from "./serialize.js";
import { createRequest, createResponse, responseToParseError } from "./build.js";
import { frameMessage } from "./framing.js";

const crlf = (lines: string[]): Buffer => Buffer.from(lines.join("\r\n"), "utf8");

const REGISTER = crlf([
  "REGISTER sip:example.com SIP/2.0",
  "Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK776asdhds",
  "v: SIP/2.0/TCP 10.0.0.2;branch=z9hG4bKx",
  "Max-Forwards: 70",
  "To: <sip:alice@example.com>",
  "From: <sip:alice@example.com>;tag=1928301774",
  "i: a84b4c76e66710",
  "CSeq: 1 REGISTER",
  "X-Unknown:   keep me ",
  "Contact: <sip:alice@10.0.0.1>",
  "Subject: folded",
  "  over two lines",
  "l: 4",
  "",
  "bodyEXTRA",
]);

describe("parseMessage", () => {
  it("parses a request, keeps raw names and order, frames the body by Content-Length", () => {
    const r = parseMessage(REGISTER);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const m = r.value;
    expect(m.kind).toBe("request");
    if (m.kind !== "request") return;
    expect(m.method).toBe("REGISTER");
    expect(m.uri).toBe("sip:example.com");
    expect(m.headers.map((h) => h.name)).toEqual([
      "Via", "v", "Max-Forwards", "To", "From", "i", "CSeq", "X-Unknown", "Contact", "Subject", "l",
    ]);
    expect(getHeaders(m, "VIA")).toHaveLength(2);
    expect(getHeader(m, "call-id")).toBe("a84b4c76e66710");
    expect(getHeader(m, "x-unknown")).toBe("keep me");
    expect(getHeader(m, "subject")).toBe("folded over two lines");
    expect(m.body.toString()).toBe("body");
  });

  it("round-trips through serialize", () => {
    const r = parseMessage(REGISTER);
    if (!r.ok) throw new Error("parse");
    const again = parseMessage(serializeMessage(r.value));
    expect(again).toEqual(r);
  });

  it("serializes an unchanged message as its received bytes, and notices every kind of change", () => {
    const parse = () => {
      const r = parseMessage(Buffer.concat([Buffer.from("\r\n"), REGISTER]));
      if (!r.ok || r.value.kind !== "request") throw new Error("parse");
      return r.value;
    };
    const received = REGISTER.subarray(0, REGISTER.length - 5); // without the octets past Content-Length
    expect(serializeMessage(parse()).equals(received)).toBe(true);
    const changes: Array<(m: ReturnType<typeof parse>) => void> = [
      (m) => setHeader(m, "max-forwards", "69"),
      (m) => (m.headers[0] = { name: "Via", value: "SIP/2.0/UDP x;branch=z9hG4bKy" }),
      (m) => m.headers.pop(),
      (m) => (m.method = "OPTIONS"),
      (m) => (m.uri = "sip:other.example.com"),
      (m) => (m.body = Buffer.from("body")),
    ];
    for (const change of changes) {
      const m = parse();
      change(m);
      const out = serializeMessage(m);
      expect(out.equals(received)).toBe(false);
      const back = parseMessage(out);
      expect(back.ok && back.value).toEqual(m);
    }
  });

  it("serializes an edited message with its unchanged lines as received, also from a copy", () => {
    const text = [
      "OPTIONS sip:b@example.com SIP/2.0",
      "Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1",
      "Max-Forwards: 70",
      "To:<sip:b@example.com>",
      "From: <sip:a@example.com>;tag=1",
      "i: x",
      "CSeq: 1 OPTIONS",
      "X-Spaced:   kept as received ",
      "l: 2",
      "",
      "hi",
    ];
    const r = parseMessage(crlf(text));
    if (!r.ok || r.value.kind !== "request") throw new Error("parse");
    const m = cloneMessage(r.value);
    setHeader(m, "max-forwards", "69");
    addHeader(m, "Via", "SIP/2.0/UDP p;branch=z9hG4bK2", "first");
    addHeader(m, "X-Note", "wert ä", "last");
    removeHeaders(m, "cseq");
    addHeader(m, "CSeq", "1 OPTIONS");
    m.uri = "sip:b@10.0.0.9";
    const want = [
      "OPTIONS sip:b@10.0.0.9 SIP/2.0",
      "Via: SIP/2.0/UDP p;branch=z9hG4bK2",
      ...text.slice(1, 2),
      "Max-Forwards: 69",
      ...text.slice(3, 6),
      ...text.slice(7, 9),
      "X-Note: wert ä",
      "CSeq: 1 OPTIONS",
      "",
      "hi",
    ];
    expect(serializeMessage(m).toString("utf8")).toBe(want.join("\r\n"));
    expect(serializeMessage(r.value).toString("utf8")).toBe(text.join("\r\n")); // the original is untouched
    const res = parseMessage(crlf(["SIP/2.0 200 OK", ...text.slice(1, 7), "Content-Length: 0", "", ""]));
    if (!res.ok) throw new Error("parse");
    const fwd = cloneMessage(res.value);
    fwd.headers.shift();
    expect(serializeMessage(fwd).toString("utf8")).toBe(["SIP/2.0 200 OK", ...text.slice(2, 7), "Content-Length: 0", "", ""].join("\r\n"));
  });

  it("reads a message with bare LF line ends leniently", () => {
    const r = parseMessage(Buffer.from("OPTIONS sip:a@b SIP/2.0\nCall-ID: 1\n folded\nl: 2\n\nhi"));
    expect(r.ok && [getHeader(r.value, "call-id"), r.value.body.toString()]).toEqual(["1 folded", "hi"]);
    expect(frameMessage(Buffer.from("OPTIONS sip:a@b SIP/2.0\nl: 2\n\nhi!"))).toEqual({ kind: "complete", length: 32 });
  });

  it("returns typed errors with the status to answer", () => {
    const bad = (s: string[]) => {
      const r = parseMessage(crlf(s));
      return r.ok ? undefined : r.error;
    };
    expect(bad(["INVITE sip:a@b SIP/7.0", "Via: x", "", ""])?.status).toBe(505);
    expect(bad(["INVITE <sip:a@b> SIP/2.0", "", ""])?.status).toBe(400);
    expect(bad(["INVITE sip:a@b  SIP/2.0", "", ""])?.status).toBe(400);
    expect(bad(["INVITE sip:a@b SIP/2.0", "Foo bar", "", ""])?.reason).toMatch(/colon/);
    expect(bad(["INVITE sip:a@b SIP/2.0", "Foo bar: x", "", ""])?.reason).toBe('malformed header name "Foo bar"');
    expect(bad(["INVITE sip:a@b SIP/2.0", "F<o: x", "", ""])?.reason).toBe('malformed header name "F<o"');
    expect(bad(["INVITE sip:a@b SIP/2.0", ": x", "", ""])?.reason).toBe("empty header name");
    expect(bad(["INVITE sip:a@b SIP/2.0", "Via \t: x", "", ""])).toBeUndefined();
    expect(bad(["INVITE sip:a@b SIP/2.0", "Content-Length: -1", "", ""])?.reason).toMatch(/Content-Length/);
    expect(bad(["INVITE sip:a@b SIP/2.0", "l: 5", "Content-Length: 4", "", "abcd"])?.reason).toMatch(/conflicting/);
    expect(bad(["INVITE sip:a@b SIP/2.0", "l: 50", "", "abcd"])?.status).toBe(400);
    expect(bad(["SIP/2.0 4294967301 Huge", "", ""])?.status).toBe(400);
    const big = parseMessage(REGISTER, { maxMessageBytes: 100 });
    expect(big.ok ? 0 : big.error.status).toBe(513);
    const many = parseMessage(REGISTER, { maxHeaders: 3 });
    expect(many.ok ? 0 : many.error.status).toBe(513);
  });
});

describe("header helpers and builders", () => {
  it("sets, adds first and removes by canonical name", () => {
    const r = parseMessage(REGISTER);
    if (!r.ok) throw new Error("parse");
    const m = r.value;
    addHeader(m, "via", "SIP/2.0/UDP proxy;branch=z9hG4bKp", "first");
    expect(m.headers[0]).toEqual({ name: "Via", value: "SIP/2.0/UDP proxy;branch=z9hG4bKp" });
    setHeader(m, "Max-Forwards", "69");
    expect(getHeader(m, "max-forwards")).toBe("69");
    expect(removeHeaders(m, "V")).toBe(3);
    addHeader(m, "record-route", "<sip:p;lr>");
    expect(m.headers.at(-1)?.name).toBe("Record-Route");
  });

  it("creates a response per RFC 3261 §8.2.6", () => {
    const r = parseMessage(REGISTER);
    if (!r.ok || r.value.kind !== "request") throw new Error("parse");
    const res = createResponse(r.value, 401, { toTag: "abc", headers: [["WWW-Authenticate", 'Digest realm="x"']] });
    expect(res.reason).toBe("Unauthorized");
    expect(res.headers.map((h) => h.name)).toEqual(["Via", "v", "To", "From", "i", "CSeq", "WWW-Authenticate", "Content-Length"]);
    expect(getHeader(res, "to")).toBe("<sip:alice@example.com>;tag=abc");
    const trying = createResponse(r.value, 100, { toTag: "abc" });
    expect(getHeader(trying, "to")).toBe("<sip:alice@example.com>");
    const req = createRequest({ method: "OPTIONS", uri: "sip:x", headers: [["call-id", "1"]], body: "hi", contentType: "text/plain" });
    expect(serializeMessage(req).toString()).toBe("OPTIONS sip:x SIP/2.0\r\nCall-ID: 1\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nhi");
  });

  it("answers a request that failed to parse when it can address it", () => {
    const r = parseMessage(crlf(["INVITE sip:a@b SIP/2.0", "Via: SIP/2.0/UDP h;branch=z9hG4bK1", "From: <sip:x@y>;tag=1", "To: <sip:a@b>", "Call-ID: c", "CSeq: 1 INVITE", "l: -3", "", ""]));
    if (r.ok) throw new Error("should fail");
    const res = responseToParseError(r.error, "t1");
    expect(res?.status).toBe(400);
    expect(getHeader(res!, "to")).toBe("<sip:a@b>;tag=t1");
  });
});

describe("errors know what they answer", () => {
  it("marks header faults of a response as such, so nobody answers a response", () => {
    const r = parseMessage(crlf(["SIP/2.0 200 OK", "Via: SIP/2.0/UDP h;branch=z9hG4bK1", "From: <sip:x@y>;tag=1", "To: <sip:a@b>", "Call-ID: c", "CSeq: 1 INVITE", "Bad Header", "", ""]));
    expect(!r.ok && [r.error.kind, r.error.reason]).toEqual(["response", "header line without a colon"]);
    expect(!r.ok && responseToParseError(r.error)).toBeUndefined();
    const q = parseMessage(crlf(["BYE sip:a@b SIP/2.0", "Via: SIP/2.0/UDP h;branch=z9hG4bK1", "Bad Header", "", ""]));
    expect(!q.ok && [q.error.kind, q.error.method]).toEqual(["request", "BYE"]);
  });

  it("reports a start-line fault with the headers read after it", () => {
    const r = parseMessage(crlf(["INVITE <sip:a@b> SIP/2.0", "Via: SIP/2.0/UDP h;branch=z9hG4bK1", "From: <sip:x@y>;tag=1", "To: <sip:a@b>", "Call-ID: c", "CSeq: 1 INVITE", "", ""]));
    if (r.ok) throw new Error("should fail");
    expect([r.error.status, r.error.reason, r.error.headers.length]).toEqual([400, "malformed Request-URI", 5]);
    expect(responseToParseError(r.error)?.status).toBe(400);
    const g = parseMessage(crlf(["garbage", "Via: x", "", ""]));
    expect(!g.ok && g.error.kind).toBeUndefined();
  });
});

describe("frameMessage", () => {
  it("frames by Content-Length and handles keepalives", () => {
    const msg = crlf(["OPTIONS sip:x SIP/2.0", "Content-Length: 3", "", "abc"]);
    expect(frameMessage(msg.subarray(0, 10)).kind).toBe("need-more");
    expect(frameMessage(msg.subarray(0, msg.length - 1)).kind).toBe("need-more");
    expect(frameMessage(Buffer.concat([msg, msg]))).toEqual({ kind: "complete", length: msg.length });
    expect(frameMessage(Buffer.from("\r\n\r\nOPT"))).toEqual({ kind: "keepalive", length: 4, pong: true });
    expect(frameMessage(Buffer.from("\r\n")).kind).toBe("need-more");
    expect(frameMessage(Buffer.from("\r\nOPT"))).toEqual({ kind: "keepalive", length: 2, pong: false });
    const noLen = frameMessage(crlf(["OPTIONS sip:x SIP/2.0", "", ""]));
    expect(noLen.kind === "error" && noLen.error.status).toBe(400);
    expect(frameMessage(Buffer.alloc(100, 0x41), { maxMessageBytes: 50 }).kind).toBe("error");
  });
});
