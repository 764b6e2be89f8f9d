import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PcapWriter, requireTool } from "@ims/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Avp,
  type DiameterMessage,
  IdGenerator,
  answerTo,
  avp,
  createRequest,
  decodeMessage,
  encodeMessage,
  errorAnswer,
  validateMessage,
} from "../index.js";

// Every Cx exchange built with our codec, written to a pcap and read back by Wireshark's dissector.
// The pcap writer is the runtime's (LINKTYPE_RAW IPv4 with real TCP sequence numbers).
const S_CSCF = { address: "127.2.1.11", port: 40_211 };
const HSS = { address: "127.2.1.77", port: 3868 };
const gen = new IdGenerator(1_764_000_000_000, () => 0.5);

const vsai = (): Avp => avp("Vendor-Specific-Application-Id", [avp("Vendor-Id", 10415), avp("Auth-Application-Id", 16777216)]);
const hssOrigin = (): Avp[] => [avp("Origin-Host", "hss.domain.imsprovider.org"), avp("Origin-Realm", "domain.imsprovider.org")];
const sOrigin = (): Avp[] => [avp("Origin-Host", "scscf1.domain.imsprovider.org"), avp("Origin-Realm", "domain.imsprovider.org")];
let session = 0;
function cxHead(fromHss = false): Avp[] {
  session++;
  return [
    avp("Session-Id", `scscf1.domain.imsprovider.org;1764000000;${session}`),
    vsai(),
    avp("Auth-Session-State", 1),
    ...(fromHss ? hssOrigin() : sOrigin()),
    ...(fromHss ? [avp("Destination-Host", "scscf1.domain.imsprovider.org")] : []),
    avp("Destination-Realm", "domain.imsprovider.org"),
  ];
}
const success = (): Avp => avp("Result-Code", 2001);
const experimental = (code: number): Avp => avp("Experimental-Result", [avp("Vendor-Id", 10415), avp("Experimental-Result-Code", code)]);
const cxAnswer = (req: DiameterMessage, result: Avp, more: Avp[] = [], fromHss = true): DiameterMessage =>
  answerTo(req, [vsai(), result, avp("Auth-Session-State", 1), ...(fromHss ? hssOrigin() : sOrigin()), ...more]);

const USER_DATA = '<?xml version="1.0" encoding="UTF-8"?><IMSSubscription><PrivateID>a@domain.imsprovider.org</PrivateID></IMSSubscription>';

/** [message, sent by the S-CSCF?] in the order they go over the wire. */
function exchange(): [DiameterMessage, boolean][] {
  const out: [DiameterMessage, boolean][] = [];
  const pair = (req: DiameterMessage, ans: (r: DiameterMessage) => DiameterMessage, fromS = true) => {
    out.push([req, fromS], [ans(req), !fromS]);
  };
  pair(
    createRequest("CER", [...sOrigin(), avp("Host-IP-Address", "127.2.1.11"), avp("Vendor-Id", 0), avp("Product-Name", "ims-core"), avp("Supported-Vendor-Id", 10415), vsai()], gen.next()),
    (r) => answerTo(r, [success(), ...hssOrigin(), avp("Host-IP-Address", "127.2.1.77"), avp("Vendor-Id", 0), avp("Product-Name", "ims-hss"), vsai()]),
  );
  pair(
    createRequest("UAR", [...cxHead(), avp("User-Name", "a@domain.imsprovider.org"), avp("Public-Identity", "sip:a@domain.imsprovider.org"), avp("Visited-Network-Identifier", Buffer.from("domain.imsprovider.org")), avp("User-Authorization-Type", 0)], gen.next()),
    (r) => cxAnswer(r, experimental(2001), [avp("Server-Name", "sip:scscf1.domain.imsprovider.org:6060")]),
  );
  const marHead = cxHead();
  pair(
    createRequest("MAR", [...marHead, avp("User-Name", "a@domain.imsprovider.org"), avp("Public-Identity", "sip:a@domain.imsprovider.org"), avp("SIP-Auth-Data-Item", [avp("SIP-Authentication-Scheme", "Digest-AKAv1-MD5")]), avp("SIP-Number-Auth-Items", 1), avp("Server-Name", "sip:scscf1.domain.imsprovider.org:6060")], gen.next()),
    (r) =>
      cxAnswer(r, success(), [
        avp("User-Name", "a@domain.imsprovider.org"),
        avp("Public-Identity", "sip:a@domain.imsprovider.org"),
        avp("SIP-Number-Auth-Items", 2),
        avp("SIP-Auth-Data-Item", [avp("SIP-Item-Number", 1), avp("SIP-Authentication-Scheme", "Digest-AKAv1-MD5"), avp("SIP-Authenticate", Buffer.alloc(32, 0x11)), avp("SIP-Authorization", Buffer.alloc(8, 0x22)), avp("Confidentiality-Key", Buffer.alloc(16, 0x33)), avp("Integrity-Key", Buffer.alloc(16, 0x44))]),
        avp("SIP-Auth-Data-Item", [avp("SIP-Item-Number", 2), avp("SIP-Authentication-Scheme", "SIP Digest"), avp("SIP-Digest-Authenticate", [avp("Digest-Realm", "domain.imsprovider.org"), avp("Digest-Algorithm", "MD5"), avp("Digest-QoP", "auth"), avp("Digest-HA1", "a1b2c3d4e5f60718293a4b5c6d7e8f90")])]),
      ]),
  );
  pair(
    createRequest("SAR", [...cxHead(), avp("User-Name", "a@domain.imsprovider.org"), avp("Public-Identity", "sip:a@domain.imsprovider.org"), avp("Server-Name", "sip:scscf1.domain.imsprovider.org:6060"), avp("Server-Assignment-Type", 1), avp("User-Data-Already-Available", 0)], gen.next()),
    (r) => cxAnswer(r, success(), [avp("User-Name", "a@domain.imsprovider.org"), avp("User-Data", Buffer.from(USER_DATA)), avp("Charging-Information", [avp("Primary-Event-Charging-Function-Name", "aaa://ecf.domain.imsprovider.org")])]),
  );
  pair(
    createRequest("LIR", [...cxHead(), avp("Public-Identity", "sip:b@domain.imsprovider.org")], gen.next()),
    (r) => cxAnswer(r, experimental(5003)),
  );
  pair(
    createRequest("RTR", [...cxHead(true), avp("User-Name", "a@domain.imsprovider.org"), avp("Public-Identity", "sip:a@domain.imsprovider.org"), avp("Deregistration-Reason", [avp("Reason-Code", 0), avp("Reason-Info", "removed")])], gen.next()),
    (r) => cxAnswer(r, success(), [], false),
    false,
  );
  pair(
    createRequest("PPR", [...cxHead(true), avp("User-Name", "a@domain.imsprovider.org"), avp("User-Data", Buffer.from(USER_DATA))], gen.next()),
    (r) => cxAnswer(r, success(), [], false),
    false,
  );
  // A UAR without Visited-Network-Identifier: answered 5005 with the missing AVP in Failed-AVP.
  pair(createRequest("UAR", [...cxHead(), avp("User-Name", "b@domain.imsprovider.org"), avp("Public-Identity", "sip:b@domain.imsprovider.org")], gen.next()), (r) => {
    const v = validateMessage(r);
    if (v.ok) throw new Error("expected a CCF error");
    return errorAnswer(v.error, { originHost: "hss.domain.imsprovider.org", originRealm: "domain.imsprovider.org" }, [vsai(), avp("Auth-Session-State", 1)]) ?? r;
  });
  // A DWR with a reserved command flag bit: answered 3008 with the E bit.
  pair(createRequest("DWR", [...sOrigin()], gen.next()), (r) => {
    const bytes = encodeMessage(r);
    bytes[4] = (bytes[4] ?? 0) | 0x01;
    const d = decodeMessage(bytes);
    return (d.ok ? undefined : errorAnswer(d.error, { originHost: "hss.domain.imsprovider.org", originRealm: "domain.imsprovider.org" })) ?? r;
  });
  pair(createRequest("DWR", [...sOrigin(), avp("Origin-State-Id", 7)], gen.next()), (r) => answerTo(r, [success(), ...hssOrigin()]));
  pair(createRequest("DPR", [...sOrigin(), avp("Disconnect-Cause", 0)], gen.next()), (r) => answerTo(r, [success(), ...hssOrigin()]));
  return out;
}

function tshark(file: string, ...args: string[]): string[] {
  const r = spawnSync("tshark", ["-r", file, ...args], { encoding: "utf8" });
  return r.stdout.split("\n").filter((l) => l !== "");
}

describe.skipIf(!requireTool("tshark"))("Wireshark decodes our Cx exchange", () => {
  let dir = "";
  let file = "";
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "diameter-tshark-"));
    file = join(dir, "cx.pcap");
    const w = new PcapWriter();
    const parts = [w.header()];
    let t = 1_764_000_000_000;
    for (const [msg, fromS] of exchange()) {
      const [src, dst] = fromS ? [S_CSCF, HSS] : [HSS, S_CSCF];
      parts.push(...w.records({ transport: "tcp", direction: "out", src, dst, data: encodeMessage(msg), time: (t += 10) }));
    }
    writeFileSync(file, Buffer.concat(parts));
  });
  afterAll(() => (process.env["KEEP_PCAP"] ? console.log(file) : rmSync(dir, { recursive: true, force: true })));

  it("sees all 22 messages as Diameter, none malformed or in error", () => {
    expect(tshark(file, "-Y", "diameter", "-T", "fields", "-e", "diameter.cmd.code")).toEqual(
      ["257", "257", "300", "300", "303", "303", "301", "301", "302", "302", "304", "304", "305", "305", "300", "300", "280", "280", "280", "280", "282", "282"],
    );
    expect(tshark(file, "-Y", "_ws.malformed || _ws.expert.severity == error")).toEqual([]);
    // Stricter than asked: Wireshark files a reserved flag bit or an unknown AVP as a warning. The one
    // expected warning is "Data is empty" for the zero-length example of a missing OctetString in
    // Failed-AVP (RFC 6733 §7.5: minimum length, zero-filled; the minimum is 0).
    expect(tshark(file, "-Y", "_ws.expert.severity == warning && !diameter.Failed-AVP")).toEqual([]);
  });

  it("reads the values we sent", () => {
    // One tshark run for every field; rows are frames carrying Diameter, values comma-joined.
    const names = [
      "diameter.cmd.code", "diameter.flags.request", "diameter.flags.error", "diameter.Public-Identity", "diameter.Server-Name",
      "diameter.3GPP-SIP-Authentication-Scheme", "diameter.Digest-HA1", "diameter.Confidentiality-Key", "diameter.Experimental-Result-Code",
      "diameter.Server-Assignment-Type", "diameter.Reason-Code", "diameter.Cx-User-Data", "diameter.Disconnect-Cause", "diameter.Result-Code",
      "diameter.avp.code", "diameter.Failed-AVP",
    ];
    const rows = tshark(file, "-Y", "diameter", "-T", "fields", "-E", "separator=|", ...names.flatMap((n) => ["-e", n])).map((line) =>
      Object.fromEntries(line.split("|").map((v, k) => [names[k]?.replace("diameter.", "") ?? "", v])),
    );
    const pick = (cmd: string, request: boolean, field: string) =>
      rows.filter((r) => r["cmd.code"] === cmd && (r["flags.request"] === "1") === request).map((r) => r[field] ?? "");
    expect(pick("300", true, "Public-Identity")).toEqual(["sip:a@domain.imsprovider.org", "sip:b@domain.imsprovider.org"]);
    expect(pick("300", false, "Server-Name")[0]).toBe("sip:scscf1.domain.imsprovider.org:6060");
    expect(pick("300", false, "Experimental-Result-Code")[0]).toBe("2001");
    expect(pick("303", false, "3GPP-SIP-Authentication-Scheme")).toEqual(["Digest-AKAv1-MD5,SIP Digest"]);
    expect(pick("303", false, "Digest-HA1")).toEqual(["a1b2c3d4e5f60718293a4b5c6d7e8f90"]);
    expect(pick("303", false, "Confidentiality-Key")).toEqual(["33".repeat(16)]);
    expect(pick("302", false, "Experimental-Result-Code")).toEqual(["5003"]);
    expect(pick("301", true, "Server-Assignment-Type")).toEqual(["1"]);
    expect(pick("301", false, "Cx-User-Data")).toEqual([Buffer.from(USER_DATA).toString("hex")]);
    expect(pick("304", true, "Reason-Code")).toEqual(["0"]);
    expect(pick("282", true, "Disconnect-Cause")).toEqual(["0"]);
    // The error answers: 5005 with the missing AVP inside Failed-AVP, 3008 with the E bit.
    const failed = rows.filter((r) => r["Failed-AVP"] !== "");
    expect(failed.map((r) => r["Result-Code"])).toEqual(["5005"]);
    expect(failed[0]?.["avp.code"]?.split(",")).toContain("600");
    expect(rows.filter((r) => r["flags.error"] === "1").map((r) => r["Result-Code"])).toEqual(["3008"]);
  });

});
