/**
 * Garbage on the HSS's Diameter port (RFC 6733 §3, §7): random bytes, a truncated message after a
 * valid CER, a 16 MB length field, an unknown command, an AVP whose length is wrong. Each gets an
 * error answer (with its Result-Code) or a closed connection; afterwards the CSCFs' Cx still works.
 */
import { DiameterFramer, type DiameterMessage, avp, createRequest, decodeMessage, encodeMessage, getValue } from "@ims/diameter";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type InProcessLab, startInProcessLab, testLabConfig } from "../support/in-process-lab.js";
import { ScriptedUe } from "../support/scripted-ue.js";
import { TcpProbe, prng, randomBytes, sleep } from "./raw.js";

const NET = 62;
let lab: InProcessLab;
let ueAddress = 111;
let peerAddress = 210;
let hbh = 1000;

beforeAll(async () => {
  lab = await startInProcessLab(testLabConfig(NET), undefined, { recordWire: false });
});
afterAll(async () => lab?.stop());

const hss = () => ({ address: lab.config.hss.address, port: lab.config.hss.diameterPort });
const ids = () => ({ hopByHop: ++hbh, endToEnd: hbh });

/** Every whole message the HSS sent on this connection. */
function answers(probe: TcpProbe): DiameterMessage[] {
  const frames = new DiameterFramer(1 << 20).push(probe.data);
  if (!frames.ok) return [];
  return frames.value.flatMap((b) => {
    const m = decodeMessage(b);
    return m.ok ? [m.value] : [];
  });
}

async function connectPeer(withCer: boolean): Promise<{ probe: TcpProbe; host: string }> {
  const local = `127.5.${NET}.${peerAddress++}`;
  const host = `robot${peerAddress}.${lab.config.domain}`;
  const probe = await TcpProbe.open(hss(), local);
  if (withCer) {
    const cer = createRequest(
      "CER",
      [
        avp("Origin-Host", host),
        avp("Origin-Realm", lab.config.domain),
        avp("Host-IP-Address", local),
        avp("Vendor-Id", 0),
        avp("Product-Name", "robot"),
        avp("Vendor-Specific-Application-Id", [avp("Vendor-Id", 10415), avp("Auth-Application-Id", 16777216)]),
      ],
      ids(),
    );
    await probe.write(encodeMessage(cer));
    expect(await probe.until((p) => answers(p).length > 0 || p.closed), "CEA").toBe(true);
    expect(getValue(answers(probe)[0]!, "Result-Code")).toBe(2001);
  }
  return { probe, host };
}

/** A Diameter header (RFC 6733 §3) with any length and command, and `body` after it. */
function header(length: number, command: number, flags = 0x80, appId = 16777216, body: Buffer = Buffer.alloc(0)): Buffer {
  const h = Buffer.alloc(20);
  h.writeUInt32BE(length & 0xffffff, 0);
  h[0] = 1;
  h.writeUInt32BE(command & 0xffffff, 4);
  h[4] = flags;
  h.writeUInt32BE(appId, 8);
  h.writeUInt32BE(++hbh, 12);
  h.writeUInt32BE(hbh, 16);
  return Buffer.concat([h, body]);
}

/** A raw AVP: code, flags, a stated length that may lie, and data. */
function rawAvpBytes(code: number, statedLength: number, data: Buffer, flags = 0x40): Buffer {
  const h = Buffer.alloc(8);
  h.writeUInt32BE(code, 0);
  h.writeUInt32BE(statedLength & 0xffffff, 4);
  h[4] = flags;
  const pad = (4 - (data.length % 4)) % 4;
  return Buffer.concat([h, data, Buffer.alloc(pad)]);
}

const sessionId = (s: string): Buffer => rawAvpBytes(263, 8 + s.length, Buffer.from(s));
const origin = (host: string): Buffer => Buffer.concat([rawAvpBytes(264, 8 + host.length, Buffer.from(host)), rawAvpBytes(296, 8 + lab.config.domain.length, Buffer.from(lab.config.domain))]);

async function registers(): Promise<number> {
  const p = lab.config.pcscf[0]!;
  const ue = await ScriptedUe.start({ address: `127.5.${NET}.${ueAddress++}`, port: 5566, domain: lab.config.domain, user: "a", password: "apass", proxy: p });
  try {
    return (await ue.register()).final.status;
  } finally {
    await ue.stop();
  }
}

describe("Diameter garbage to the running HSS", () => {
  it("random bytes before any CER: the connection is closed", async () => {
    const next = prng(62);
    for (let i = 0; i < 5; i++) {
      const { probe } = await connectPeer(false);
      await probe.write(randomBytes(next, 64 + Math.floor(next() * 2000)));
      expect(await probe.until((p) => p.closed, 3000), `random run ${i}`).toBe(true);
    }
    expect(await registers()).toBe(200);
  });

  it("a 16 MB length field: refused from its first bytes, the connection closed", async () => {
    const { probe } = await connectPeer(true);
    await probe.write(header(16 * 1024 * 1024 - 4, 303));
    expect(await probe.until((p) => p.closed, 3000)).toBe(true);
    const got = answers(probe).slice(1);
    // An answer, if any, says why (5015 DIAMETER_INVALID_MESSAGE_LENGTH).
    for (const a of got) expect(getValue(a, "Result-Code")).toBe(5015);
  });

  it("a valid CER, then a message cut short and the stream ended: the HSS closes, nothing half-read is kept", async () => {
    const { probe } = await connectPeer(true);
    const whole = header(20 + 40, 303, 0xc0, 16777216, Buffer.concat([sessionId("robot;1;1"), origin("x")]));
    await probe.write(whole.subarray(0, 30));
    probe.socket.end();
    expect(await probe.until((p) => p.closed, 3000)).toBe(true);
  });

  it("an unknown command after CER: answered 3001 COMMAND_UNSUPPORTED with the E bit", async () => {
    const { probe, host } = await connectPeer(true);
    const body = Buffer.concat([sessionId(`${host};1;1`), origin(host)]);
    await probe.write(header(20 + body.length, 999_999, 0xc0, 16777216, body));
    expect(await probe.until((p) => answers(p).length > 1 || p.closed)).toBe(true);
    const a = answers(probe)[1];
    expect(a, "an answer, not a dropped connection").toBeDefined();
    expect(a!.commandCode).toBe(999_999);
    expect(a!.flags & 0x20).toBe(0x20);
    expect(getValue(a!, "Result-Code")).toBe(3001);
    probe.close();
  });

  it("an AVP with a bad length (below its header, odd, past the message): answered 5014 DIAMETER_INVALID_AVP_LENGTH", async () => {
    for (const stated of [4, 7, 4000]) {
      const { probe, host } = await connectPeer(true);
      const body = Buffer.concat([sessionId(`${host};1;${stated}`), origin(host), rawAvpBytes(1, stated, Buffer.from("user@x"))]);
      await probe.write(header(20 + body.length, 303, 0xc0, 16777216, body));
      expect(await probe.until((p) => answers(p).length > 1 || p.closed), `length ${stated}`).toBe(true);
      const a = answers(probe)[1];
      expect(a && getValue(a, "Result-Code"), `length ${stated}`).toBe(5014);
      probe.close();
    }
  });

  it("an unknown AVP with the M bit: 5001 DIAMETER_AVP_UNSUPPORTED; grouped AVPs nested 2,000 deep: 5004, no stack overflow", async () => {
    const { probe, host } = await connectPeer(true);
    const body = Buffer.concat([sessionId(`${host};1;m`), origin(host), rawAvpBytes(987_654, 12, Buffer.from([1, 2, 3, 4]), 0x40)]);
    await probe.write(header(20 + body.length, 303, 0xc0, 16777216, body));
    expect(await probe.until((p) => answers(p).length > 1 || p.closed)).toBe(true);
    const a = answers(probe)[1];
    expect(a && getValue(a, "Result-Code")).toBe(5001);
    probe.close();

    // Vendor-Specific-Application-Id (260) is Grouped: nest it in itself.
    let nested = rawAvpBytes(266, 12, Buffer.from([0, 0, 0x28, 0xaf]));
    for (let i = 0; i < 2000; i++) nested = rawAvpBytes(260, 8 + nested.length, nested);
    const deep = await connectPeer(true);
    const deepBody = Buffer.concat([sessionId(`${deep.host};1;d`), origin(deep.host), nested]);
    await deep.probe.write(header(20 + deepBody.length, 303, 0xc0, 16777216, deepBody));
    expect(await deep.probe.until((p) => answers(p).length > 1 || p.closed)).toBe(true);
    const d = answers(deep.probe)[1];
    // 5004 DIAMETER_INVALID_AVP_VALUE: nesting past the decoder's depth limit
    expect(d && getValue(d, "Result-Code")).toBe(5004);
    deep.probe.close();
  });

  it("afterwards the CSCFs' Cx still works: a UE registers", async () => {
    await sleep(50);
    expect(await registers()).toBe(200);
  });
});
