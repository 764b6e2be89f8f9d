import { describe, expect, it } from "vitest";
import { StreamFramer } from "./stream-framer.js";

const msg = (body: string) =>
  `OPTIONS sip:b@x SIP/2.0\r\nVia: SIP/2.0/TCP 127.1.0.1;branch=z9hG4bK1\r\nMax-Forwards: 70\r\nTo: <sip:b@x>\r\nFrom: <sip:a@x>;tag=1\r\nCall-ID: c1\r\nCSeq: 1 OPTIONS\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;

describe("StreamFramer", () => {
  it("cuts pipelined messages by Content-Length", () => {
    const f = new StreamFramer();
    const a = msg("hello");
    const b = msg("");
    const items = f.push(Buffer.from(a + b));
    expect(items.map((i) => (i.kind === "message" ? i.data.toString() : i.kind))).toEqual([a, b]);
    expect(f.pending).toBe(0);
  });

  it("reassembles a message split byte by byte, body included", () => {
    const f = new StreamFramer();
    const a = Buffer.from(msg("v=0\r\n"));
    const items = [];
    for (let i = 0; i < a.length; i++) items.push(...f.push(a.subarray(i, i + 1)));
    expect(items).toHaveLength(1);
    expect(items[0]).toEqual({ kind: "message", data: a });
  });

  it("reports a CRLFCRLF ping (even split), skips lone CRLFs", () => {
    const f = new StreamFramer();
    expect(f.push(Buffer.from("\r\n"))).toEqual([]);
    expect(f.push(Buffer.from("\r\n"))).toEqual([{ kind: "ping" }]);
    const items = f.push(Buffer.from("\r\n" + msg("")));
    expect(items.map((i) => i.kind)).toEqual(["message"]);
  });

  it("fails the stream on a missing Content-Length and then ignores input", () => {
    const f = new StreamFramer();
    const bad = msg("").replace(/Content-Length: 0\r\n/, "");
    const items = f.push(Buffer.from(bad));
    expect(items).toHaveLength(1);
    expect(items[0]?.kind).toBe("error");
    // the bytes come with the error, so the request can still be answered
    expect(items[0]?.kind === "error" && items[0].data.toString()).toBe(bad);
    expect(f.push(Buffer.from(msg("")))).toEqual([]);
  });

  it("fails on an oversized message", () => {
    const f = new StreamFramer({ maxMessageBytes: 100 });
    expect(f.push(Buffer.from(msg("x".repeat(200))))[0]?.kind).toBe("error");
  });
});
