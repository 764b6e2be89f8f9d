/**
 * Issue "Calls and messages through the core", point 6: third-party clients call each other through
 * the lab running as processes (LabSupervisor, calls-lab.json on 127.5.12.x).
 * - SIPp: user a (registered with SIP Digest) calls user b (SIPp UAS, registered):
 *   INVITE/100/180/200/ACK/pause/BYE/200.
 * - baresip (Debian package baresip-core): a dials b, b answers automatically, a hangs up. baresip
 *   resolves the Record-Route (pcscf1.<domain>) through the lab's DNS (dns_server). Media is
 *   anchored as in the shipped lab: both clients' audio crosses the relay, read from its counters.
 */
import { type BDict, NgClient } from "@ims/rtp-relay";
import { requireTool } from "@ims/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type CallsLab,
  baresip,
  baresipCommand,
  baresipDir,
  explain,
  labBuilt,
  sipp,
  sippReceived,
  startCallsLab,
} from "./calls-fixture.js";

const NET = 12;
const DOMAIN = "domain.imsprovider.org";
const hasSipp = requireTool("sipp");
const hasBaresip = requireTool("baresip");
let lab: CallsLab;

beforeAll(async () => {
  if (hasSipp || hasBaresip) lab = await startCallsLab(NET);
}, 30_000);
afterAll(async () => lab?.stop());

/** The HSS's view of an IMPU's registration (provisioning REST API). */
async function registrationState(impu: string): Promise<string> {
  const h = lab.config.hss;
  const res = await fetch(`http://${h.address}:${h.httpPort}/impus/${encodeURIComponent(impu)}/registration`, {
    headers: { authorization: `Bearer ${h.token}` },
  });
  const body = (await res.json()) as { state?: string };
  return body.state ?? "";
}

describe.skipIf(!hasSipp || !labBuilt())("SIPp calls SIPp through the lab", () => {
  it("a (UAC) calls b (UAS): INVITE, 100, 180, 200, ACK, pause, BYE, 200 — both scenarios pass", async () => {
    const b = { address: lab.host(222), port: 5577 };
    const a = { address: lab.host(111), port: 5566 };
    const regB = await sipp({ remote: lab.pcscf, scenario: "calls-register.xml", users: "calls-users-b.csv", ...b }).done;
    expect(regB.code, explain(regB)).toBe(0);
    const uas = sipp({ remote: lab.pcscf, scenario: "calls-uas.xml", users: "calls-users-b.csv", ...b, args: ["-s", "b"] });
    const regA = await sipp({ remote: lab.pcscf, scenario: "calls-register.xml", users: "calls-users-a.csv", ...a }).done;
    expect(regA.code, explain(regA)).toBe(0);
    const uac = await sipp({ remote: lab.pcscf, scenario: "calls-uac.xml", users: "calls-users-a.csv", ...a, args: ["-d", "500"] }).done;
    const callee = await uas.done;
    expect(uac.code, explain(uac)).toBe(0);
    expect(callee.code, explain(callee)).toBe(0);

    const atA = sippReceived(uac);
    const ok = atA.find((m) => /^SIP\/2.0 200 /.test(m) && /^CSeq: 1 INVITE/m.test(m))!;
    // the route set a learns: its P-CSCF first and last-but-nothing: P-CSCF, S-CSCF (orig, term), P-CSCF
    const rr = ok.split(/\r?\n/).filter((l) => /^Record-Route:/i.test(l)).join(",");
    expect(rr).toMatch(/pcscf1\.domain\.imsprovider\.org:5060;lr/);
    expect(rr).toMatch(/scscf1\.domain\.imsprovider\.org:6060/);

    const [invite] = sippReceived(callee);
    expect(invite).toMatch(new RegExp(`^INVITE sip:b@${b.address.replace(/\./g, "\\.")}:${b.port} SIP/2.0`));
    expect(invite).toMatch(/^P-Asserted-Identity: <sip:a@domain\.imsprovider\.org>\r?$/m);
  });
});

/** RTP packets the relay received from each side of each anchored session, while the call lasts. */
async function relayedPackets(ng: NgClient): Promise<Record<string, number[]>> {
  const list = await ng.request({ command: "list" });
  const out: Record<string, number[]> = {};
  if (!list.ok || !Array.isArray(list.value["calls"])) return out;
  for (const id of list.value["calls"]) {
    const callId = Buffer.isBuffer(id) ? id.toString() : String(id);
    const q = await ng.query({ callId });
    if (!q.ok) continue;
    const tags = Object.values((q.value["tags"] ?? {}) as Record<string, BDict>);
    out[callId] = tags.map((t) => {
      const medias = (t["medias"] ?? []) as BDict[];
      const streams = (medias[0]?.["streams"] ?? []) as BDict[];
      return Number((streams[0]?.["stats"] as BDict | undefined)?.["packets"] ?? 0);
    });
  }
  return out;
}

describe.skipIf(!hasBaresip || !labBuilt())("baresip calls baresip through the lab", () => {
  it("a dials b, b answers (answermode=auto), the call is established and a hangs up", async () => {
    const outbound = lab.pcscf;
    const b = { address: lab.host(223), port: 5080 };
    const a = { address: lab.host(224), port: 5082 };
    const bDir = baresipDir({ user: "b", password: "bpass", domain: DOMAIN, outbound, dnsServer: lab.dns, autoAnswer: true, ...b });
    const aDir = baresipDir({ user: "a", password: "apass", domain: DOMAIN, outbound, dnsServer: lab.dns, ...a });
    const callee = baresip(bDir, b.address, 8);
    const caller = baresip(aDir, a.address, 5);
    const registered = /\{0\/UDP\/v4\} 200 OK/;
    await expect.poll(() => caller.output(), { timeout: 5_000 }).toMatch(registered);
    await expect.poll(() => callee.output(), { timeout: 5_000 }).toMatch(registered);
    expect(await registrationState(`sip:b@${DOMAIN}`)).toBe("REGISTERED");
    const ng = await NgClient.open({ address: lab.config.rtp.address, port: lab.config.rtp.controlPort, localAddress: lab.host(225) });
    let media: Record<string, number[]> = {};
    try {
      await baresipCommand(a.address, a.port + 10, `/dial sip:b@${DOMAIN}`);
      // Both UEs sit on pcscf1: it anchors the call twice (<call-id> and <call-id>-term), and audio
      // from each client (baresip's ausine source) reaches the relay on both sessions.
      await expect
        .poll(
          async () => {
            media = await relayedPackets(ng);
            const sessions = Object.values(media);
            return sessions.length === 2 && sessions.every((p) => p.length === 2 && p.every((n) => n >= 20));
          },
          { timeout: 4_000, interval: 200 },
        )
        .toBe(true);
    } finally {
      ng.close();
    }
    const ids = Object.keys(media);
    expect(ids.filter((k) => k.endsWith("-term")).map((k) => k.slice(0, -"-term".length))).toEqual(ids.filter((k) => !k.endsWith("-term")));
    const [ob, oa] = await Promise.all([callee.done, caller.done]);
    const both = `--- a ---\n${oa.stdout}${oa.stderr}\n--- b ---\n${ob.stdout}${ob.stderr}`;
    expect(oa.stdout, both).toMatch(/a@domain\.imsprovider\.org: \{0\/UDP\/v4\} 200 OK/);
    expect(oa.stdout, both).toMatch(/Call established/i);
    expect(ob.stdout, both).toMatch(/Call established/i);
    expect(oa.stdout, both).not.toMatch(/session closed: [3-6]\d\d/);
    // a's BYE (sent when it quits) reached b along the route set
    expect(ob.stdout, both).toMatch(/Call with sip:a@domain\.imsprovider\.org terminated/);
  }, 30_000);
});
