/**
 * Malformed SIP to the running P-CSCF, I-CSCF and S-CSCF over UDP and TCP (DESIGN.md quality bar:
 * bad input gets a clear protocol answer, no node dies): each request that can be answered gets its
 * status with a reason phrase, the rest get silence (or, on TCP, a wait or a closed stream), broken
 * credentials get a 4xx from the registrar, and a UE still registers through the P-CSCF after.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type InProcessLab, startInProcessLab, testLabConfig } from "../support/in-process-lab.js";
import { ScriptedUe } from "../support/scripted-ue.js";
import { type Target, TcpProbe, UdpProbe, sleep, statusLine } from "./raw.js";
import { type Expect, MALFORMED, type ViaInfo, badRegisters } from "./sip-messages.js";

const NET = 60;
let lab: InProcessLab;
let udp: UdpProbe;
let branch = 0;
let ueAddress = 111;

beforeAll(async () => {
  lab = await startInProcessLab(testLabConfig(NET), undefined, { recordWire: false });
  udp = await UdpProbe.open(`127.5.${NET}.200`);
});
afterAll(async () => {
  await udp?.close();
  await lab?.stop();
});

function nodes(): { name: string; target: Target }[] {
  const c = lab.config;
  return [
    { name: "P-CSCF", target: { address: c.pcscf[0]!.address, port: c.pcscf[0]!.port } },
    { name: "I-CSCF", target: { address: c.icscf.address, port: c.icscf.port } },
    { name: "S-CSCF", target: { address: c.scscf[0]!.address, port: c.scscf[0]!.port } },
  ];
}

const via = (transport: "UDP" | "TCP", local: Target): ViaInfo => ({ transport, local, domain: lab.config.domain, branch: `rb${++branch}` });

type Seen = "silence" | "wait" | "close" | number;

/** What came back for one case: the status (it must carry a reason phrase), silence, or a closed stream. */
function outcome(text: string | undefined, closed: boolean, transport: "udp" | "tcp"): Seen {
  const line = statusLine(text);
  if (line === undefined) return closed ? "close" : transport === "tcp" ? "wait" : "silence";
  expect(line, "a status line with a reason phrase").toMatch(/^SIP\/2\.0 \d{3} \S/);
  return Number(line.split(" ")[1]);
}

function allowed(e: Expect, transport: "udp" | "tcp"): readonly Seen[] {
  if (typeof e !== "string") return e;
  return transport === "tcp" && e === "silence" ? ["wait"] : [e];
}

/** The cases whose outcome is not one the table allows, as "name: got x, want y". */
function misses(results: { name: string; seen: Seen; want: readonly Seen[] }[]): string[] {
  return results.filter((r) => !r.want.includes(r.seen)).map((r) => `${r.name}: got ${r.seen}, want ${r.want.join("|")}`);
}

async function registers(transport: "udp" | "tcp" = "udp"): Promise<number> {
  const p = lab.config.pcscf[0]!;
  const ue = await ScriptedUe.start({ address: `127.5.${NET}.${ueAddress++}`, port: 5566, transport, domain: lab.config.domain, user: "a", password: "apass", proxy: p });
  try {
    return (await ue.register()).final.status;
  } finally {
    await ue.stop();
  }
}

describe("malformed SIP to the running CSCFs", () => {
  it("UDP: each answerable request gets its status with a reason; the rest get silence", async () => {
    for (const node of nodes()) {
      const fromNode = (): { data: Buffer }[] => udp.received.filter((r) => r.from.address === node.target.address && r.from.port === node.target.port);
      const before = fromNode().length;
      const sent = MALFORMED.map((c) => ({ c, v: via("UDP", udp.local) }));
      for (const { c, v } of sent) await udp.send(node.target, c.bytes(v));
      await sleep(700);
      const answers = fromNode().slice(before).map((r) => r.data.toString("latin1"));
      const results = sent.map(({ c, v }) => ({
        name: c.name,
        seen: outcome(answers.find((t) => t.includes(`branch=z9hG4bK${v.branch};`)), false, "udp"),
        want: allowed(c.udp, "udp"),
      }));
      expect(misses(results), node.name).toEqual([]);
      // Nothing else came back (an answer to a case that must stay silent would carry no branch we match).
      expect(answers.length, node.name).toBe(results.filter((r) => typeof r.seen === "number").length);
    }
    expect(await registers()).toBe(200);
  });

  it("TCP: the same, one connection per case; a stream that cannot be framed is closed", async () => {
    for (const node of nodes()) {
      const results = await Promise.all(
        MALFORMED.map(async (c, i) => {
          const local = `127.5.${NET}.${10 + i}`;
          const probe = await TcpProbe.open(node.target, local);
          await probe.write(c.bytes(via("TCP", { address: local, port: 5060 })));
          await probe.until((p) => p.text.includes("\r\n\r\n") || p.closed, 700);
          const seen = outcome(probe.text, probe.closed, "tcp");
          probe.close();
          return { name: c.name, seen, want: allowed(c.tcp ?? c.udp, "tcp") };
        }),
      );
      expect(misses(results), node.name).toEqual([]);
    }
    expect(await registers("tcp")).toBe(200);
  });

  it("REGISTERs with broken credentials or bindings get a 4xx from each CSCF, never a 5xx", async () => {
    for (const node of nodes()) {
      const sent = badRegisters(via("UDP", udp.local), `a@${lab.config.domain}`).map((c) => ({ ...c, v: via("UDP", udp.local) }));
      const results = await Promise.all(
        sent.map(async (c) => {
          // Each case in its own dialog (fresh branch and Call-ID).
          const bytes = Buffer.from(c.bytes.toString("latin1").replaceAll(/rb\d+/g, c.v.branch), "latin1");
          return { name: c.name, line: statusLine(await udp.exchangeMatching(node.target, bytes, `branch=z9hG4bK${c.v.branch};`, 3000)) };
        }),
      );
      const bad = results.filter((r) => r.line === undefined || !/^SIP\/2\.0 4\d\d \S/.test(r.line)).map((r) => `${r.name}: ${r.line ?? "silence"}`);
      expect(bad, node.name).toEqual([]);
      const byName = new Map(results.map((r) => [r.name, r.line ?? ""]));
      expect(byName.get("Authorization that is not a digest at all")).toMatch(/^SIP\/2\.0 400 /);
      expect(byName.get("AKA Authorization with a wrong-length auts")).toMatch(/^SIP\/2\.0 400 .*AUTS/i);
      expect(byName.get("AKA Authorization with a non-base64 auts")).toMatch(/^SIP\/2\.0 400 .*AUTS/i);
      expect(byName.get("Contact with negative expires")).toMatch(/^SIP\/2\.0 400 .*expires/i);
    }
    expect(await registers()).toBe(200);
  });

  it("an authenticated REGISTER with an absurd expires is registered for a bounded time", async () => {
    const p = lab.config.pcscf[0]!;
    const ue = await ScriptedUe.start({ address: `127.5.${NET}.${ueAddress++}`, port: 5566, domain: lab.config.domain, user: "b", password: "bpass", proxy: p });
    try {
      for (const expires of [2 ** 32, Number.MAX_SAFE_INTEGER]) {
        const out = await ue.register({ expires });
        expect(out.final.status, `expires ${expires}`).toBe(200);
        const granted = /expires=(\d+)/.exec(out.final.headers.find((h) => h.name.toLowerCase() === "contact")?.value ?? "")?.[1];
        expect(Number(granted), `expires ${expires}`).toBeLessThanOrEqual(2 ** 31 / 1000);
      }
      expect((await ue.register({ expires: 0 })).final.status).toBe(200);
    } finally {
      await ue.stop();
    }
  });
});
