import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PcapWriter } from "./pcap-writer.js";
import { requireTool } from "./tools.js";

const a = { address: "127.0.0.111", port: 5566 };
const p = { address: "127.0.0.33", port: 5060 };
const options = Buffer.from(
  "OPTIONS sip:pcscf1.domain.imsprovider.org SIP/2.0\r\n" +
    "Via: SIP/2.0/UDP 127.0.0.111:5566;branch=z9hG4bK-1\r\nMax-Forwards: 70\r\n" +
    "From: <sip:a@domain.imsprovider.org>;tag=1\r\nTo: <sip:pcscf1.domain.imsprovider.org>\r\n" +
    "Call-ID: pcap-1\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n",
);

function ipv4Sum(packet: Buffer): number {
  let sum = 0;
  for (let i = 0; i < 20; i += 2) sum += packet.readUInt16BE(i);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum;
}

describe("PcapWriter", () => {
  it("writes a libpcap header with the raw-IP link type", () => {
    const h = new PcapWriter().header();
    expect(h.readUInt32LE(0)).toBe(0xa1b2c3d4);
    expect(h.readUInt32LE(20)).toBe(101);
  });

  it("frames a UDP datagram with the real addresses and a valid IPv4 checksum", () => {
    const [rec] = new PcapWriter().records({ transport: "udp", direction: "out", src: a, dst: p, data: options, time: 1_500 });
    expect(rec).toBeDefined();
    const r = rec as Buffer;
    expect(r.readUInt32LE(0)).toBe(1);
    expect(r.readUInt32LE(4)).toBe(500_000);
    const ip = r.subarray(16);
    expect(r.readUInt32LE(8)).toBe(ip.length);
    expect(ipv4Sum(ip)).toBe(0xffff);
    expect([...ip.subarray(12, 16)]).toEqual([127, 0, 0, 111]);
    expect([...ip.subarray(16, 20)]).toEqual([127, 0, 0, 33]);
    expect(ip.readUInt16BE(22)).toBe(5060);
    expect(ip.subarray(28).equals(options)).toBe(true);
  });

  it("opens a TCP flow with a handshake and advances sequence numbers per side", () => {
    const w = new PcapWriter();
    const first = w.records({ transport: "tcp", direction: "out", src: a, dst: p, data: Buffer.from("abc") });
    expect(first).toHaveLength(4);
    const flags = first.map((r) => r[16 + 20 + 13]);
    expect(flags).toEqual([0x02, 0x12, 0x10, 0x18]);
    const [second] = w.records({ transport: "tcp", direction: "out", src: a, dst: p, data: Buffer.from("defg") });
    const seq1 = (first[3] as Buffer).readUInt32BE(16 + 20 + 4);
    const seq2 = (second as Buffer).readUInt32BE(16 + 20 + 4);
    expect(seq2 - seq1).toBe(3);
    const [reply] = w.records({ transport: "tcp", direction: "out", src: p, dst: a, data: Buffer.from("x") });
    expect((reply as Buffer).readUInt32BE(16 + 20 + 8)).toBe(seq2 + 4);
  });

  describe.skipIf(!requireTool("tshark"))("read by tshark", () => {
    it("decodes SIP over UDP and TCP with no malformed packet", () => {
      const w = new PcapWriter();
      const chunks = [w.header()];
      chunks.push(...w.records({ transport: "udp", direction: "out", src: a, dst: p, data: options }));
      chunks.push(...w.records({ transport: "tcp", direction: "out", src: a, dst: p, data: options }));
      const dir = mkdtempSync(join(tmpdir(), "pcap-"));
      const file = join(dir, "t.pcap");
      writeFileSync(file, Buffer.concat(chunks));
      const methods = spawnSync("tshark", ["-r", file, "-Y", "sip", "-T", "fields", "-e", "sip.Method", "-e", "ip.src"], {
        encoding: "utf8",
      });
      expect(methods.stdout.trim().split("\n")).toEqual(["OPTIONS\t127.0.0.111", "OPTIONS\t127.0.0.111"]);
      const bad = spawnSync("tshark", ["-r", file, "-Y", "_ws.malformed || _ws.expert.severity == error"], { encoding: "utf8" });
      expect(bad.stdout.trim()).toBe("");
    });
  });
});
