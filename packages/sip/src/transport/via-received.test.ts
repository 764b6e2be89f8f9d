import { describe, expect, it } from "vitest";
import { createRequest, createResponse, getHeaders } from "../message/index.js";
import { countVias, getTopVia, popTopVia } from "./top-via.js";
import { responseDestination, stampReceived } from "./via-received.js";

function req(via: string) {
  return createRequest({
    method: "OPTIONS",
    uri: "sip:b@example.com",
    headers: [
      ["Via", via],
      ["Via", "SIP/2.0/UDP 127.1.0.9:5060;branch=z9hG4bKold"],
      ["Max-Forwards", "70"],
      ["From", "<sip:a@example.com>;tag=1"],
      ["To", "<sip:b@example.com>"],
      ["Call-ID", "c"],
      ["CSeq", "1 OPTIONS"],
    ],
  });
}

describe("top Via", () => {
  it("parses transport, sent-by and params; pops and counts elements of a comma list", () => {
    const m = req("SIP/2.0/udp host.example.com:5070;branch=z9hG4bKabc;rport, SIP/2.0/TCP x;branch=z9hG4bKx");
    const v = getTopVia(m);
    expect(v?.transport).toBe("UDP");
    expect(v?.branch).toBe("z9hG4bKabc");
    expect(v?.rport).toBeNull();
    expect(v?.host).toBe("host.example.com");
    expect(v?.port).toBe(5070);
    expect(countVias(m)).toBe(3);
    popTopVia(m);
    expect(getTopVia(m)?.host).toBe("x");
    popTopVia(m);
    expect(getTopVia(m)?.host).toBe("127.1.0.9");
    expect(countVias(m)).toBe(1);
  });
  it("rejects a malformed Via", () => {
    expect(getTopVia(req("garbage"))).toBeUndefined();
    expect(getTopVia(req("SIP/2.0/UDP host:99999"))).toBeUndefined();
  });
});

describe("§18.2.1 received / RFC 3581 rport", () => {
  it("adds received when the sent-by host differs from the source", () => {
    const m = req("SIP/2.0/UDP ua.example.com:5060;branch=z9hG4bK1");
    stampReceived(m, { address: "127.1.0.5", port: 5099 });
    expect(getHeaders(m, "via")[0]).toBe("SIP/2.0/UDP ua.example.com:5060;branch=z9hG4bK1;received=127.1.0.5");
  });
  it("leaves the Via alone when sent-by is the source and there is no rport", () => {
    const m = req("SIP/2.0/UDP 127.1.0.5:5060;branch=z9hG4bK1");
    stampReceived(m, { address: "127.1.0.5", port: 5099 });
    expect(getHeaders(m, "via")[0]).toBe("SIP/2.0/UDP 127.1.0.5:5060;branch=z9hG4bK1");
  });
  it("fills an empty rport and adds received even when the host matches", () => {
    const m = req("SIP/2.0/UDP 127.1.0.5:5060;rport;branch=z9hG4bK1");
    stampReceived(m, { address: "127.1.0.5", port: 5099 });
    expect(getHeaders(m, "via")[0]).toBe("SIP/2.0/UDP 127.1.0.5:5060;rport=5099;branch=z9hG4bK1;received=127.1.0.5");
  });
});

describe("stampReceived on the Via text as received", () => {
  const stamp = (via: string, source = { address: "127.1.0.5", port: 5099 }) => {
    const m = req(via);
    stampReceived(m, source);
    return { text: getHeaders(m, "via")[0], top: getTopVia(m), second: getHeaders(m, "via")[1] };
  };
  it("keeps the text as it came (spacing, case) and gives the same Via as the re-serialized one", () => {
    const { text, top, second } = stamp("SIP/2.0/udp  ua.example.com:5060 ; RPort ;branch=z9hG4bK1");
    expect(text).toBe("SIP/2.0/udp  ua.example.com:5060 ; RPort=5099 ;branch=z9hG4bK1;received=127.1.0.5");
    expect(top?.rport).toBe(5099);
    expect(top?.received).toBe("127.1.0.5");
    expect(top?.branch).toBe("z9hG4bK1");
    expect(top?.host).toBe("ua.example.com");
    expect(second).toBe("SIP/2.0/UDP 127.1.0.9:5060;branch=z9hG4bKold");
  });
  it("finds rport as a whole parameter name only, last in the list too", () => {
    expect(stamp("SIP/2.0/UDP h:5060;xrport=1;rportx;branch=z9hG4bK1;rport").text).toBe(
      "SIP/2.0/UDP h:5060;xrport=1;rportx;branch=z9hG4bK1;rport=5099;received=127.1.0.5",
    );
  });
  it("replaces an existing received and leaves a filled rport (the Map path), same result as before", () => {
    expect(stamp("SIP/2.0/UDP h:5060;received=1.2.3.4;rport=7;branch=z9hG4bK1").text).toBe(
      "SIP/2.0/UDP h:5060;received=127.1.0.5;rport=7;branch=z9hG4bK1",
    );
  });
  it("a line of several Vias or with a quoted string takes the Map path", () => {
    const m = req("SIP/2.0/UDP h:5060;rport;branch=z9hG4bK1, SIP/2.0/UDP k;branch=z9hG4bK2");
    stampReceived(m, { address: "127.1.0.5", port: 5099 });
    expect(getHeaders(m, "via")[0]).toBe("SIP/2.0/UDP h:5060;rport=5099;branch=z9hG4bK1;received=127.1.0.5, SIP/2.0/UDP k;branch=z9hG4bK2");
    expect(stamp('SIP/2.0/UDP h:5060;rport;branch=z9hG4bK1;x="a;rport"').top?.rport).toBe(5099);
  });
});

describe("§18.2.2 response destination", () => {
  const res = (via: string) => createResponse(req(via), 200);
  it("UDP: received + rport", () => {
    expect(responseDestination(res("SIP/2.0/UDP h:5060;rport=5099;received=127.1.0.5"))).toEqual({
      transport: "udp",
      address: "127.1.0.5",
      port: 5099,
    });
  });
  it("UDP: received + sent-by port, or 5060", () => {
    expect(responseDestination(res("SIP/2.0/UDP h:5070;received=127.1.0.5"))?.port).toBe(5070);
    expect(responseDestination(res("SIP/2.0/UDP 127.1.0.6"))).toEqual({
      transport: "udp",
      address: "127.1.0.6",
      port: 5060,
    });
  });
  it("the transport token is read without case", () => {
    expect(responseDestination(res("SIP/2.0/udp h;received=127.1.0.5"))?.transport).toBe("udp");
    expect(responseDestination(res("SIP/2.0/Tcp h;received=127.1.0.5"))?.transport).toBe("tcp");
    expect(responseDestination(res("SIP/2.0/tls h"))).toBeUndefined();
  });
  it("TCP keeps the transport; unknown transports give undefined", () => {
    expect(responseDestination(res("SIP/2.0/TCP h;received=127.1.0.5;rport=4000"))?.transport).toBe("tcp");
    expect(responseDestination(res("SIP/2.0/SCTP h"))).toBeUndefined();
  });
});
