// DNS responder throughput: SRV queries answered per second over UDP, client and responder in two
// processes, many queries in flight. @ims/dns's responder against dns2's own server (the one we
// replaced) answering the same SRV query with the same records, measured in the same run.
// Usage: npx tsc -b packages/dns && node bench/dns.mjs [seconds-per-sample] [in-flight]
import { spawn } from "node:child_process";
import { createSocket } from "node:dgram";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { startResponder, buildLabZone, LAB_DNS_DEFAULTS, encodeMessage, decodeMessage, RR_TYPE } from "@ims/dns";

const SERVER = "127.3.250.1";
const CLIENT = "127.3.250.2";
const PORTS = { ours: 15501, dns2: 15502 };
const QNAME = "_sip._udp.domain.imsprovider.org";

async function serve(impl, port) {
  if (impl === "ours") {
    await startResponder({ zones: buildLabZone(LAB_DNS_DEFAULTS), address: SERVER, port });
  } else {
    const dns2 = createRequire(import.meta.url)("dns2");
    const { Packet } = dns2;
    const server = dns2.createServer({
      udp: true,
      handle: (request, send) => {
        const response = Packet.createResponseFromRequest(request);
        response.header.aa = 1;
        const [q] = request.questions;
        if (q && q.type === Packet.TYPE.SRV && q.name.toLowerCase() === QNAME) {
          response.answers.push({ name: q.name, type: Packet.TYPE.SRV, class: Packet.CLASS.IN, ttl: 86400, priority: 0, weight: 0, port: 4060, target: "icscf.domain.imsprovider.org" });
          response.additionals.push({ name: "icscf.domain.imsprovider.org", type: Packet.TYPE.A, class: Packet.CLASS.IN, ttl: 86400, address: "127.0.0.55" });
        } else response.header.rcode = Packet.RCODE.REFUSED;
        send(response);
      },
    });
    await server.listen({ udp: { port, address: SERVER } });
  }
  process.stdout.write("ready\n");
}

function startChild(impl) {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), "--serve", impl, String(PORTS[impl])], { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    child.stdout.once("data", () => resolve(child));
    child.once("exit", (code) => reject(new Error(`${impl} server exited with ${code}`)));
  });
}

const query = encodeMessage({
  header: { id: 0, qr: false, opcode: 0, aa: false, tc: false, rd: false, ra: false, rcode: 0 },
  questions: [{ name: QNAME, type: RR_TYPE.SRV, qclass: 1 }],
  answers: [],
  authorities: [],
  additionals: [],
});

/** Keeps `inFlight` queries outstanding for `seconds`; a query unanswered after 200 ms is re-sent. */
async function measure(port, seconds, inFlight) {
  const socket = createSocket("udp4");
  await new Promise((r) => socket.bind(0, CLIENT, r));
  const sentAt = new Map();
  let nextId = 1;
  let answered = 0;
  let lost = 0;
  let checked = false;
  const send = () => {
    const id = nextId;
    nextId = (nextId + 1) & 0xffff || 1;
    const q = Buffer.from(query);
    q.writeUInt16BE(id, 0);
    sentAt.set(id, performance.now());
    socket.send(q, port, SERVER);
  };
  const start = performance.now();
  const end = start + seconds * 1000;
  socket.on("message", (msg) => {
    const id = msg.readUInt16BE(0);
    if (!sentAt.delete(id)) return;
    if (!checked) {
      const m = decodeMessage(msg);
      const srv = m.ok ? m.value.answers[0]?.data : undefined;
      if (!(srv && srv.type === "SRV" && srv.port === 4060)) throw new Error(`bad answer from port ${port}`);
      checked = true;
    }
    answered++;
    if (performance.now() < end) send();
  });
  const sweep = setInterval(() => {
    const now = performance.now();
    for (const [id, at] of sentAt) {
      if (now - at > 200) {
        sentAt.delete(id);
        lost++;
        if (now < end) send();
      }
    }
  }, 50);
  for (let i = 0; i < inFlight; i++) send();
  await new Promise((r) => setTimeout(r, seconds * 1000 + 100));
  clearInterval(sweep);
  socket.close();
  const elapsed = (Math.min(performance.now(), end) - start) / 1000;
  return { qps: answered / elapsed, lost };
}

async function main() {
  const seconds = Number(process.argv[2] ?? 2);
  const inFlight = Number(process.argv[3] ?? 64);
  const children = { ours: await startChild("ours"), dns2: await startChild("dns2") };
  const samples = { ours: [], dns2: [] };
  try {
    await measure(PORTS.ours, 0.3, inFlight); // warm-up
    await measure(PORTS.dns2, 0.3, inFlight);
    for (let round = 0; round < 3; round++) {
      for (const impl of ["ours", "dns2"]) {
        const r = await measure(PORTS[impl], seconds, inFlight);
        samples[impl].push(r.qps);
        console.log(`  ${impl.padEnd(5)} round ${round + 1}: ${Math.round(r.qps).toLocaleString("en")} SRV answers/s (${r.lost} re-sent)`);
      }
    }
  } finally {
    for (const c of Object.values(children)) c.kill();
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const ours = median(samples.ours);
  const ref = median(samples.dns2);
  console.log(`@ims/dns responder: ${Math.round(ours).toLocaleString("en")} SRV queries/s over UDP (client in another process, ${inFlight} in flight; goal ≥ 10,000)`);
  console.log(`dns2 server:        ${Math.round(ref).toLocaleString("en")} SRV queries/s`);
  console.log(`ratio @ims/dns / dns2: ${(ours / ref).toFixed(2)}x`);
}

if (process.argv[2] === "--serve") await serve(process.argv[3], Number(process.argv[4]));
else await main();
