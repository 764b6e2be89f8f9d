import { describe, expect, it } from "vitest";
import { parseError } from "../message/index.js";
import { answerStreamError, processInbound } from "./inbound.js";

const SRC = { transport: "udp" as const, address: "127.1.8.1", port: 5062 };
const LOCAL = { address: "127.1.8.2", port: 5060 };
const lines = (...l: string[]) => Buffer.from(l.join("\r\n") + "\r\n\r\n");
const head = [
  "OPTIONS sip:b@127.1.8.2 SIP/2.0",
  "Via: SIP/2.0/UDP ua.example.com:5062;branch=z9hG4bKx;rport",
  "Max-Forwards: 70",
  "From: <sip:a@x>;tag=1",
  "To: <sip:b@x>",
  "Call-ID: inbound-1",
];

describe("processInbound", () => {
  it("delivers a valid request with received/rport stamped", () => {
    const o = processInbound(lines(...head, "CSeq: 1 OPTIONS", "Content-Length: 0"), SRC, LOCAL);
    expect(o.kind).toBe("request");
    if (o.kind !== "request") return;
    expect(o).toEqual({ kind: "request", message: o.message, source: SRC, local: LOCAL });
    expect(o.message.headers[0]!.value).toBe(
      "SIP/2.0/UDP ua.example.com:5062;branch=z9hG4bKx;rport=5062;received=127.1.8.1",
    );
  });
  it("answers a request failing validation with its status and reason (CSeq method ≠ method)", () => {
    const o = processInbound(lines(...head, "CSeq: 1 INVITE", "Content-Length: 0"), SRC, LOCAL);
    expect(o.kind).toBe("reply");
    if (o.kind !== "reply") return;
    expect(o.response.status).toBe(400);
    expect(o.response.reason).toMatch(/^Bad Request \(/);
  });
  it("never answers a broken ACK", () => {
    const ack = [...head];
    ack[0] = "ACK sip:b@127.1.8.2 SIP/2.0";
    expect(processInbound(lines(...ack, "CSeq: 1 INVITE", "Content-Length: 0"), SRC, LOCAL).kind).toBe("drop");
  });
  it("drops what cannot be answered: garbage, a broken response", () => {
    expect(processInbound(Buffer.from("\x00\x01garbage"), SRC, LOCAL).kind).toBe("drop");
    expect(processInbound(lines("SIP/2.0 200 OK", "Via: nonsense", "Content-Length: 0"), SRC, LOCAL).kind).toBe("drop");
  });
  it("delivers a valid response as is", () => {
    const o = processInbound(
      lines("SIP/2.0 200 OK", head[1]!, head[3]!, "To: <sip:b@x>;tag=2", head[5]!, "CSeq: 1 OPTIONS", "Content-Length: 0"),
      SRC,
      LOCAL,
    );
    expect(o.kind).toBe("response");
    if (o.kind !== "response") return;
    expect(o.message.status).toBe(200);
    expect(o.source).toBe(SRC);
  });
});

describe("answerStreamError", () => {
  // A TCP stream with a negative Content-Length was closed without a word; now it gets its 400 first.
  const framing = parseError(400, "malformed Content-Length");
  it("answers a request whose stream cannot be framed with the framing error's status and reason", () => {
    const r = answerStreamError(framing, lines(...head, "CSeq: 1 OPTIONS", "Content-Length: -20"));
    expect([r?.status, r?.reason]).toEqual([400, "Bad Request (malformed Content-Length)"]);
    expect(r?.headers.find((h) => h.name === "Call-ID")?.value).toBe("inbound-1");
    const missing = answerStreamError(parseError(400, "Content-Length is mandatory on a stream transport"), lines(...head, "CSeq: 1 OPTIONS"));
    expect(missing?.reason).toBe("Bad Request (Content-Length is mandatory on a stream transport)");
  });
  it("stays silent for an ACK, a response, or a request whose CSeq was not read before the fault", () => {
    expect(answerStreamError(framing, lines(...head.map((l) => l.replace("OPTIONS sip", "ACK sip")), "CSeq: 1 ACK", "Content-Length: x"))).toBeUndefined();
    expect(answerStreamError(framing, lines("SIP/2.0 200 OK", ...head.slice(1), "CSeq: 1 OPTIONS", "Content-Length: x"))).toBeUndefined();
    expect(answerStreamError(framing, lines(...head.slice(0, 3), "Content-Length: x", ...head.slice(3), "CSeq: 1 OPTIONS"))).toBeUndefined();
  });
});
