import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { requireTool } from "@ims/runtime";
import { type DnsResponder, startResponder } from "./responder.js";
import { buildLabZone, LAB_DNS_DEFAULTS } from "../zone/lab-zone.js";

// The lab's own address and port, as the tutorial checks it with dig.
const { address, port } = LAB_DNS_DEFAULTS.nameserver;
const D = "domain.imsprovider.org";

// Asynchronous: the responder answers from this very process, so dig must not block its event loop.
const run = promisify(execFile);
async function dig(...args: string[]): Promise<string> {
  const { stdout } = await run("dig", [`@${address}`, "-p", String(port), "+time=2", "+tries=1", ...args], { encoding: "utf8" });
  return stdout;
}
const short = async (...args: string[]): Promise<string[]> => (await dig("+short", ...args)).trim().split("\n").filter(Boolean).sort();

describe.skipIf(!requireTool("dig"))("dig against the responder on 127.0.0.66:53", () => {
  let responder: DnsResponder;
  beforeAll(async () => {
    responder = await startResponder({ zones: buildLabZone(LAB_DNS_DEFAULTS), address, port });
  });
  afterAll(async () => {
    await responder?.stop();
  });

  it("SRV _sip._udp of the domain → icscf:4060", async () => {
    expect(await short(`_sip._udp.${D}`, "SRV")).toEqual([`0 0 4060 icscf.${D}.`]);
    expect(await short(`_sip._tcp.scscf1.${D}`, "SRV")).toEqual([`0 0 6060 scscf1.${D}.`]);
  });

  it("NAPTR of the domain", async () => {
    expect(await short(D, "NAPTR")).toEqual([`10 10 "s" "SIP+D2U" "" _sip._udp.${D}.`, `10 20 "s" "SIP+D2T" "" _sip._tcp.${D}.`]);
  });

  it("A of pcscf1 (also over TCP)", async () => {
    expect(await short(`pcscf1.${D}`, "A")).toEqual(["127.0.0.33"]);
    expect(await short("+tcp", `pcscf1.${D}`, "A")).toEqual(["127.0.0.33"]);
  });

  it("full answer: aa flag, no ra, additional A for the SRV target", async () => {
    const out = await dig(`_sip._udp.${D}`, "SRV");
    expect(out).toMatch(/status: NOERROR/);
    expect(out).toMatch(/flags: qr aa rd;/);
    expect(out).toMatch(new RegExp(`_sip\\._udp\\.${D.replace(/\./g, "\\.")}\\.\\s+86400\\s+IN\\s+SRV\\s+0 0 4060 icscf\\.`));
    expect(out).toMatch(/ADDITIONAL SECTION:[\s\S]*icscf\.domain\.imsprovider\.org\.\s+86400\s+IN\s+A\s+127\.0\.0\.55/);
  });

  it("NXDOMAIN and NODATA carry the SOA; other names are REFUSED", async () => {
    const nx = await dig(`nobody.${D}`, "A");
    expect(nx).toMatch(/status: NXDOMAIN/);
    expect(nx).toMatch(/AUTHORITY SECTION:\n.*SOA\s+localhost\. root\.localhost\. 1 10800 900 604800 86400/);
    const nodata = await dig(`hss.${D}`, "SRV");
    expect(nodata).toMatch(/status: NOERROR/);
    expect(nodata).toMatch(/ANSWER: 0, AUTHORITY: 1/);
    expect(await dig("www.example.com", "A")).toMatch(/status: REFUSED/);
  });
});
