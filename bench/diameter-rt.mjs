// Diameter request/answer round trips per second over loopback TCP, 64 requests in flight, between two
// @ims/diameter nodes (client → server → handler → answer → client), against the npm `diameter`
// package doing the same exchange between its own client and server, in the same run.
// Usage: npx tsc -b packages/diameter && node bench/diameter-rt.mjs [seconds-per-sample, default 2]
//
// Two exchanges:
//  - "MAR": a Cx Multimedia-Auth request (12 AVPs, grouped ones included) answered by an MAA: ours only,
//    the npm package's dictionary has no Cx;
//  - "CCR": a Credit-Control-like request (application 4, command 272, 7 AVPs) answered with 7 AVPs,
//    which both implementations can build: the ratio is measured on it.
// The npm package decodes only the first message of each TCP read (diameter-connection.js has no loop),
// so with several requests in flight its pipelined messages stall until a 3 s timeout: it is measured
// with 1 in flight, and the ratio is taken at 1 in flight for both; the goal is ours at 64 in flight.
// The servers run in a worker thread and the clients in the main thread, as two nodes would run in two
// processes. Samples alternate between implementations; the median of 3 per case is kept. CPU time is
// that of the whole process (both ends). The machine is shared: compare the ratio, not the absolute figure.
import { createRequire } from "node:module";
import { Worker, isMainThread, parentPort } from "node:worker_threads";
import { DiameterNode, answerTo, avp, createRequest, getValue, rawAvp } from "@ims/diameter";

const require = createRequire(import.meta.url);
const npmDiameter = require("diameter");

const SECONDS = Number(process.argv[2] ?? 2);
const IN_FLIGHT = 64;
const REALM = "domain.imsprovider.org";
const SERVER = `hss.${REALM}`;
const CLIENT = `scscf1.${REALM}`;
const CX = 16777216;
const SERVER_IP = "127.2.250.77";
const CLIENT_IP = "127.2.250.11";
const OUR_PORT = 3868;
const REF_PORT = 3869;

const u32 = (n) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};

// AVPs are immutable values: what is the same in every message of a node (its identity, the Cx
// application, its Server-Name) is built once, as an application would; what depends on the user or
// the request (Session-Id, User-Name, Public-Identity, the authentication vectors) is built per message.
const VSAI = avp("Vendor-Specific-Application-Id", [avp("Vendor-Id", 10415), avp("Auth-Application-Id", CX)]);
const NO_STATE = avp("Auth-Session-State", 1);
const CLIENT_ID = [avp("Origin-Host", CLIENT), avp("Origin-Realm", REALM)];
const SERVER_ID = [avp("Origin-Host", SERVER), avp("Origin-Realm", REALM)];
const DEST_REALM = avp("Destination-Realm", REALM);
const SERVER_NAME = avp("Server-Name", "sip:scscf1.domain.imsprovider.org:6060");
const ONE_ITEM = avp("SIP-Number-Auth-Items", 1);
const SUCCESS = avp("Result-Code", 2001);

let user = 0;
function mar(ids) {
  const u = `u${user++ % 1000}@domain.imsprovider.org`;
  return createRequest("MAR", [
    avp("Session-Id", `${CLIENT};1764000000;${ids.endToEnd}`),
    VSAI,
    NO_STATE,
    ...CLIENT_ID,
    DEST_REALM,
    avp("User-Name", u),
    avp("Public-Identity", `sip:${u}`),
    avp("SIP-Auth-Data-Item", [avp("SIP-Authentication-Scheme", "Digest-AKAv1-MD5")]),
    ONE_ITEM,
    SERVER_NAME,
  ], ids);
}

const RAND_AUTN = Buffer.alloc(32, 0x5a);
const XRES = Buffer.alloc(8, 0x3c);
const CK = Buffer.alloc(16, 0x11);
const IK = Buffer.alloc(16, 0x22);
function maa(req) {
  const u = getValue(req, "User-Name");
  return answerTo(req, [
    VSAI,
    SUCCESS,
    NO_STATE,
    ...SERVER_ID,
    avp("User-Name", u),
    avp("Public-Identity", `sip:${u}`),
    ONE_ITEM,
    avp("SIP-Auth-Data-Item", [
      avp("SIP-Item-Number", 1),
      avp("SIP-Authentication-Scheme", "Digest-AKAv1-MD5"),
      avp("SIP-Authenticate", RAND_AUTN),
      avp("SIP-Authorization", XRES),
      avp("Confidentiality-Key", CK),
      avp("Integrity-Key", IK),
    ]),
  ]);
}

// CC-Request-Type (416) and CC-Request-Number (415) are not in our dictionary: raw AVPs without the M bit.
const CC_AVPS = [avp("Auth-Application-Id", 4), rawAvp(416, u32(1)), rawAvp(415, u32(0))];
function ccr(ids) {
  return { flags: 0xc0, commandCode: 272, applicationId: 4, hopByHop: ids.hopByHop, endToEnd: ids.endToEnd, avps: [
    avp("Session-Id", `${CLIENT};1764000000;${ids.endToEnd}`),
    ...CLIENT_ID,
    DEST_REALM,
    ...CC_AVPS,
  ] };
}
function cca(req) {
  return answerTo(req, [SUCCESS, ...SERVER_ID, ...CC_AVPS]);
}

/**
 * Keeps `inFlight` requests outstanding for `seconds`; returns completed round trips per second and
 * records the process CPU time per round trip (both ends run in this process).
 */
const cpu = { mar: [], ccr: [], ccr1: [], ref: [] };
let lastCpuPerRt = 0;
function drive(send, seconds, inFlight = IN_FLIGHT) {
  return new Promise((resolve, reject) => {
    let done = 0;
    let active = 0;
    const cpu0 = process.cpuUsage();
    const start = performance.now();
    const end = start + seconds * 1000;
    const fire = () => {
      active++;
      send().then((ok) => {
        if (!ok) return reject(new Error("a request failed"));
        done++;
        active--;
        if (performance.now() < end) fire();
        else if (active === 0) {
          const used = process.cpuUsage(cpu0);
          lastCpuPerRt = (used.user + used.system) / done;
          resolve(done / ((performance.now() - start) / 1000));
        }
      }, reject);
    };
    for (let i = 0; i < inFlight; i++) fire();
  });
}

const applications = [{ vendorId: 10415, authApplicationId: CX }, { authApplicationId: 4 }];

async function ourServer() {
  const server = await DiameterNode.start({ originHost: SERVER, originRealm: REALM, bindAddress: SERVER_IP, listenPort: OUR_PORT, applications,
    peers: [{ host: CLIENT, address: CLIENT_IP, connect: false }], requestTimeoutMs: 30_000 });
  server.handle(CX, 303, (req) => maa(req));
  server.handle(4, 272, (req) => cca(req));
  return server;
}

async function ours() {
  const client = await DiameterNode.start({ originHost: CLIENT, originRealm: REALM, bindAddress: CLIENT_IP, applications,
    peers: [{ host: SERVER, address: SERVER_IP, port: OUR_PORT, connect: true }], requestTimeoutMs: 30_000 });
  if (!(await client.waitForPeerOpen(SERVER, 5_000))) throw new Error("our nodes did not open");
  const run = (build) => (seconds, inFlight) => drive(async () => (await client.request(build(client.nextIds()))).ok, seconds, inFlight);
  return { mar: run(mar), ccr: run(ccr), stop: () => client.stop() };
}

async function referenceServer() {
  const server = npmDiameter.createServer({}, (socket) => {
    socket.on("diameterMessage", (event) => {
      event.response.body = event.response.body.concat([
        ["Result-Code", 2001], ["Origin-Host", SERVER], ["Origin-Realm", REALM],
        ["Auth-Application-Id", 4], ["CC-Request-Type", "INITIAL_REQUEST"], ["CC-Request-Number", 0],
      ]);
      event.callback(event.response);
    });
    socket.on("error", () => undefined);
  });
  await new Promise((r) => server.listen(REF_PORT, SERVER_IP, r));
  return server;
}

async function reference() {
  const socket = await new Promise((resolve) => {
    const s = npmDiameter.createConnection({ host: SERVER_IP, port: REF_PORT, localAddress: CLIENT_IP }, () => resolve(s));
  });
  const conn = socket.diameterConnection;
  let n = 0;
  const send = async () => {
    const req = conn.createRequest("Diameter Credit Control Application", "Credit-Control");
    req.body = req.body.concat([
      ["Session-Id", `${CLIENT};1764000000;${n++}`], ["Origin-Host", CLIENT], ["Origin-Realm", REALM], ["Destination-Realm", REALM],
      ["Auth-Application-Id", 4], ["CC-Request-Type", "INITIAL_REQUEST"], ["CC-Request-Number", 0],
    ]);
    const answer = await conn.sendRequest(req);
    return answer.header.commandCode === 272;
  };
  return { ccr: (seconds, inFlight) => drive(send, seconds, inFlight), stop: async () => conn.end() };
}

if (!isMainThread) {
  const [a, b] = await Promise.all([ourServer(), referenceServer()]);
  parentPort.postMessage("ready");
  parentPort.once("message", async () => {
    await a.stop();
    await new Promise((r) => b.close(r));
    parentPort.postMessage("stopped");
  });
} else {

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (x) => Math.round(x).toLocaleString("en-US");

const worker = new Worker(new URL(import.meta.url));
await new Promise((r) => worker.once("message", r));
const o = await ours();
const r = await reference();
await o.mar(0.5); // warm-up
await o.ccr(0.5);
await r.ccr(0.5, 1);
const samples = { mar: [], ccr: [], ccr1: [], ref: [] };
for (let i = 0; i < 3; i++) {
  samples.mar.push(await o.mar(SECONDS));
  cpu.mar.push(lastCpuPerRt);
  samples.ccr.push(await o.ccr(SECONDS));
  cpu.ccr.push(lastCpuPerRt);
  samples.ccr1.push(await o.ccr(SECONDS, 1));
  cpu.ccr1.push(lastCpuPerRt);
  samples.ref.push(await r.ccr(SECONDS, 1));
  cpu.ref.push(lastCpuPerRt);
}
await o.stop();
await r.stop();
worker.postMessage("stop");
await new Promise((r) => worker.once("message", r));
await worker.terminate();
const m = { mar: median(samples.mar), ccr: median(samples.ccr), ccr1: median(samples.ccr1), ref: median(samples.ref) };
const c = { mar: median(cpu.mar), ccr: median(cpu.ccr), ccr1: median(cpu.ccr1), ref: median(cpu.ref) };
const line = (label, rt, us) => console.log(`  ${label.padEnd(42)} ${fmt(rt).padStart(8)} rt/s   ${us.toFixed(1).padStart(6)} µs CPU/rt (${fmt(1e6 / us)} rt per CPU-second)`);
console.log(`diameter round trips over loopback TCP, server in a worker thread, median of 3 × ${SECONDS}s:`);
line(`@ims/diameter MAR/MAA (Cx), ${IN_FLIGHT} in flight`, m.mar, c.mar);
line(`@ims/diameter CCR/CCA-like, ${IN_FLIGHT} in flight`, m.ccr, c.ccr);
line("@ims/diameter CCR/CCA-like, 1 in flight", m.ccr1, c.ccr1);
line("npm diameter 0.7 CCR/CCA, 1 in flight", m.ref, c.ref);
console.log(`  ratio ours / npm (CCR, 1 in flight)         ${(m.ccr1 / m.ref).toFixed(2)}×`);
console.log(`  goal ≥ 20,000 rt/s (MAR):         ${m.mar >= 20_000 ? "met" : "NOT met"}`);
}
