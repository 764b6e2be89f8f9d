import { describe, expect, it } from "vitest";
import { parseSdp, rewriteSdp } from "./sdp.js";

const OFFER = [
  "v=0",
  "o=alice 2890844526 2890844526 IN IP4 127.0.0.111",
  "s=Café",
  "c=IN IP4 127.0.0.111",
  "t=0 0",
  "m=audio 49170 RTP/AVP 8 0 101",
  "a=rtpmap:8 PCMA/8000",
  "a=rtpmap:101 telephone-event/8000",
  "a=rtcp:49171 IN IP4 127.0.0.111",
  "a=sendrecv",
  "m=video 0 RTP/AVP 31",
  "m=video 51372 RTP/AVP 96",
  "c=IN IP4 127.0.0.112",
  "a=rtpmap:96 H264/90000",
  "",
].join("\r\n");

describe("parseSdp", () => {
  it("finds each stream's RTP and RTCP endpoints and clock rates", () => {
    const r = parseSdp(OFFER);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const [audio, rejected, video] = r.value;
    expect(audio!.rtp).toEqual({ address: "127.0.0.111", port: 49170 });
    expect(audio!.rtcp).toEqual({ address: "127.0.0.111", port: 49171 });
    expect(audio!.formats).toEqual(["8", "0", "101"]);
    expect(audio!.clockRates.get(8)).toBe(8000);
    expect(audio!.clockRates.get(101)).toBe(8000);
    expect(rejected!.rtp).toBeUndefined();
    expect(video!.rtp).toEqual({ address: "127.0.0.112", port: 51372 });
    expect(video!.rtcp).toEqual({ address: "127.0.0.112", port: 51373 });
    expect(video!.clockRates.get(96)).toBe(90000);
  });

  it("accepts bare LF line endings and an a=rtcp without address", () => {
    const r = parseSdp("v=0\nc=IN IP4 10.0.0.1\nm=audio 4000 RTP/AVP 0\na=rtcp:4005\n");
    expect(r.ok && r.value[0]!.rtcp).toEqual({ address: "10.0.0.1", port: 4005 });
  });

  it.each([
    ["", "v="],
    ["hello", "v="],
    ["v=0\r\nm=audio 4000 RTP/AVP 0\r\n", "no connection address"],
    ["v=0\r\nc=IN IP4\r\nm=audio 4000 RTP/AVP 0\r\n", "bad connection"],
    ["v=0\r\nc=IN IP4 1.2.3.4\r\nm=audio 70000 RTP/AVP 0\r\n", "bad media"],
    ["v=0\r\nc=IN IP4 1.2.3.4\r\nm=audio x RTP/AVP 0\r\n", "bad media"],
    ["v=0\r\nc=IN IP4 1.2.3.4\r\nm=audio 4000\r\n", "bad media"],
    ["v=0\r\nc=IN IP4 1.2.3.4\r\nm=audio 4000 RTP/AVP 0\r\na=rtcp:abc\r\n", "bad rtcp"],
  ])("rejects %j", (sdp, reason) => {
    const r = parseSdp(sdp);
    expect(!r.ok && r.error.reason).toContain(reason);
  });
});

describe("rewriteSdp", () => {
  it("rewrites c=, m= ports and a=rtcp and keeps every other byte", () => {
    const out = rewriteSdp(OFFER, { address: "127.0.0.88", ports: [{ rtp: 30000, rtcp: 30001 }, undefined, { rtp: 30002, rtcp: 30003 }] });
    expect(out).toBe(
      [
        "v=0",
        "o=alice 2890844526 2890844526 IN IP4 127.0.0.111",
        "s=Café",
        "c=IN IP4 127.0.0.88",
        "t=0 0",
        "m=audio 30000 RTP/AVP 8 0 101",
        "a=rtpmap:8 PCMA/8000",
        "a=rtpmap:101 telephone-event/8000",
        "a=rtcp:30001 IN IP4 127.0.0.88",
        "a=sendrecv",
        "m=video 0 RTP/AVP 31",
        "m=video 30002 RTP/AVP 96",
        "c=IN IP4 127.0.0.88",
        "a=rtpmap:96 H264/90000",
        "",
      ].join("\r\n"),
    );
  });

  it("keeps LF endings, a missing final newline, a=rtcp without address and m= port counts", () => {
    const sdp = "v=0\nc=IN IP6 ::1\nm=audio 4000/2 RTP/AVP 0\na=rtcp:4001\na=ptime:20";
    expect(rewriteSdp(sdp, { address: "127.0.0.88", ports: [{ rtp: 31000, rtcp: 31001 }] })).toBe(
      "v=0\nc=IN IP4 127.0.0.88\nm=audio 31000/2 RTP/AVP 0\na=rtcp:31001\na=ptime:20",
    );
  });

  it("leaves the media-level c= of an untouched stream alone", () => {
    const sdp = "v=0\r\nm=audio 0 RTP/AVP 0\r\nc=IN IP4 1.1.1.1\r\nm=audio 5000 RTP/AVP 0\r\nc=IN IP4 2.2.2.2\r\n";
    expect(rewriteSdp(sdp, { address: "9.9.9.9", ports: [undefined, { rtp: 6000, rtcp: 6001 }] })).toBe(
      "v=0\r\nm=audio 0 RTP/AVP 0\r\nc=IN IP4 1.1.1.1\r\nm=audio 6000 RTP/AVP 0\r\nc=IN IP4 9.9.9.9\r\n",
    );
  });
});
