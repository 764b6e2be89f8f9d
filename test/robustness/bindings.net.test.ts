/**
 * An authenticated user who binds absurd numbers of contacts, or absurdly long ones, through the
 * P-CSCF: the S-CSCF refuses with 403 before the 200 OK listing them would grow past what the
 * I-CSCF and P-CSCF parse (it used to: the 200 was dropped at the I-CSCF and every later REGISTER
 * of that user, de-registration included, timed out with 408 until the bindings expired).
 */
import { silentLogger, systemClock } from "@ims/runtime";
import {
  NetTransport,
  SipStack,
  type SipResponse,
  answerDigestChallenge,
  authHeader,
  buildRequest,
  digestParams,
  getAuthHeaders,
  getHeaders,
  newCallId,
  serializeAuth,
} from "@ims/sip";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type InProcessLab, startInProcessLab, testLabConfig } from "../support/in-process-lab.js";
import { ScriptedUe } from "../support/scripted-ue.js";

const NET = 67;
let lab: InProcessLab;
let transport: NetTransport;
let stack: SipStack;
const callId = newCallId();
let cseq = 0;

beforeAll(async () => {
  lab = await startInProcessLab(testLabConfig(NET), undefined, { recordWire: false });
  transport = await NetTransport.open({ address: `127.5.${NET}.120`, port: 5566, logger: silentLogger(), clock: systemClock });
  stack = new SipStack({ transport, logger: silentLogger(), clock: systemClock });
});
afterAll(async () => {
  await transport?.close();
  await lab?.stop();
});

/** REGISTER for a@ with these Contact values over TCP, answering the digest challenge. */
async function register(contacts: string[], expires = 3600): Promise<SipResponse> {
  const D = lab.config.domain;
  const p = lab.config.pcscf[0]!;
  const send = (authorization?: string): Promise<SipResponse> => {
    const req = buildRequest({
      method: "REGISTER",
      uri: `sip:${D}`,
      from: `<sip:a@${D}>`,
      fromTag: "bind",
      to: `<sip:a@${D}>`,
      callId,
      cseq: ++cseq,
      contact: contacts.join(", "),
      headers: [["Expires", String(expires)], ["Supported", "path"], ...(authorization === undefined ? [] : ([["Authorization", authorization]] as [string, string][]))],
    });
    return stack.request(req, { destination: { transport: "tcp", address: p.address, port: p.port } }).final;
  };
  const first = await send();
  const challenge = getAuthHeaders(first, "www-authenticate")?.find((h) => h.scheme.toLowerCase() === "digest");
  if (first.status !== 401 || challenge === undefined) return first;
  const answer = answerDigestChallenge(digestParams(challenge), `a@${D}`, { kind: "password", password: "apass" }, { method: "REGISTER", uri: `sip:${D}` });
  if (!answer.ok) throw new Error(answer.error.reason);
  return send(serializeAuth(authHeader("Digest", answer.value), "credentials"));
}

const contacts = (from: number, n: number, extra = ""): string[] => Array.from({ length: n }, (_, i) => `<sip:a${from + i}@127.5.${NET}.120:5566;transport=tcp${extra}>`);

describe("a user binding too many contacts", () => {
  it("100 contacts in one REGISTER: 403 naming the limit", async () => {
    const r = await register(contacts(0, 100));
    expect([r.status, r.reason]).toEqual([403, "Forbidden - more than 20 contacts"]);
  });

  it("20 bind; 5 more are refused; the user can still refresh and de-register", async () => {
    const ok = await register(contacts(0, 20));
    expect(ok.status).toBe(200);
    expect(getHeaders(ok, "contact")).toHaveLength(20);
    expect((await register(contacts(20, 5))).status).toBe(403);
    expect((await register(contacts(0, 1))).status).toBe(200);
    expect((await register(["*"], 0)).status).toBe(200);
  });

  it("12 KB contacts one at a time: the third is refused naming the size limit; the rest can still go", async () => {
    const long = (i: number) => contacts(100 + i, 1, `;x=${"y".repeat(12_000)}`);
    expect((await register(long(0))).status).toBe(200);
    expect((await register(long(1))).status).toBe(200);
    const r = await register(long(2));
    expect([r.status, r.reason]).toEqual([403, "Forbidden - contacts longer than 32768 octets together"]);
    expect((await register(["*"], 0)).status).toBe(200);
  });

  it("afterwards a UE registers as usual", async () => {
    const p = lab.config.pcscf[0]!;
    const ue = await ScriptedUe.start({ address: `127.5.${NET}.121`, port: 5566, domain: lab.config.domain, user: "a", password: "apass", proxy: p });
    try {
      expect((await ue.register()).final.status).toBe(200);
    } finally {
      await ue.stop();
    }
  });
});
