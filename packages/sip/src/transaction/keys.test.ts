import { describe, expect, it } from "vitest";
import { createRequest, createResponse } from "../message/index.js";
import { clientKey, serverKey } from "./keys.js";

function req(method: string, via: string, cseq = `1 ${method}`) {
  return createRequest({
    method,
    uri: "sip:b@x",
    headers: [
      ["Via", via],
      ["Max-Forwards", "70"],
      ["From", "<sip:a@x>;tag=fa"],
      ["To", "<sip:b@x>"],
      ["Call-ID", "k1"],
      ["CSeq", cseq],
    ],
  });
}

describe("transaction keys", () => {
  const via = "SIP/2.0/UDP 127.1.11.1:5060;branch=z9hG4bKk1";
  it("§17.2.3: ACK matches the INVITE; CANCEL has its own key but finds the INVITE via asMethod", () => {
    const inv = req("INVITE", via);
    expect(serverKey(req("ACK", via, "1 ACK"))).toBe(serverKey(inv));
    const cancel = req("CANCEL", via);
    expect(serverKey(cancel)).not.toBe(serverKey(inv));
    expect(serverKey(cancel, "INVITE")).toBe(serverKey(inv));
  });
  it("§17.2.3: same branch from another sent-by is another transaction", () => {
    expect(serverKey(req("OPTIONS", via))).not.toBe(serverKey(req("OPTIONS", via.replace("127.1.11.1", "127.1.11.2"))));
  });
  it("§17.2.3: the sent-by host compares without case", () => {
    const named = "SIP/2.0/UDP ue.example.com:5060;branch=z9hG4bKk2";
    expect(serverKey(req("OPTIONS", named.replace("ue.example.com", "UE.Example.COM")))).toBe(serverKey(req("OPTIONS", named)));
    expect(serverKey(req("OPTIONS", named))).toContain("|ue.example.com:5060|");
  });
  it("RFC 2543 peers (no magic cookie) match on Call-ID, CSeq number, From tag and Via", () => {
    const old = "SIP/2.0/UDP 127.1.11.1:5060";
    expect(serverKey(req("INVITE", old))).toMatch(/^2543\|/);
    expect(serverKey(req("ACK", old, "1 ACK"))).toBe(serverKey(req("INVITE", old)));
    expect(serverKey(req("INVITE", old, "2 INVITE"))).not.toBe(serverKey(req("INVITE", old)));
  });
  it("§17.1.3: a response matches by branch and CSeq method", () => {
    const inv = req("INVITE", via);
    expect(clientKey(createResponse(inv, 200))).toBe(clientKey(inv));
    expect(clientKey(createResponse(req("CANCEL", via), 200))).not.toBe(clientKey(inv));
  });
  it("no key without a Via or a CSeq", () => {
    const r = req("OPTIONS", via);
    r.headers = r.headers.filter((h) => h.name !== "CSeq");
    expect(serverKey(r)).toBeUndefined();
    expect(clientKey(r)).toBeUndefined();
  });
});
