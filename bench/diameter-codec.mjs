// Diameter codec throughput: MAR and MAA encode + decode with @ims/diameter (+ @ims/ims Cx builders)
// against the npm `diameter` package's codec, on the same messages, in the same run.
// Usage: npx tsc -b packages/ims && node bench/diameter-codec.mjs [seconds-per-sample]
//
// The npm codec's dictionary (dictionary.json) has no Cx application (16777216), no commands 300-305 and
// none of the 3GPP Cx AVPs, so its dictionary module is replaced (through the require cache) by the same
// seven lodash `_.find` lookups over its own dictionary.json with our Cx AVPs put FIRST (which favours the
// reference: its linear searches find them at once). Its codec file is used unchanged.
import Module, { createRequire } from "node:module";
import { ALL_AVPS, ALL_COMMANDS, decodeMessage, encodeMessage } from "@ims/diameter";
import { buildMaa, buildMar, readMaa, readMar } from "@ims/ims";

const require = createRequire(import.meta.url);
const dictPath = require.resolve("diameter/lib/diameter-dictionary.js");
const _ = createRequire(dictPath)("lodash");
const json = require("diameter/dictionary.json");
const refType = (t) =>
  ({ Grouped: "Grouped", Unsigned32: "Unsigned32", Integer32: "Integer32", Enumerated: "Integer32", Unsigned64: "Unsigned64",
     Integer64: "Integer64", Time: "Time", Address: "IPAddress" })[t] ?? "OctetString";
const ourNames = new Set(ALL_AVPS.map((a) => a.name));
const dictionary = {
  applications: [...json.applications, { code: 16777216, name: "3GPP Cx" }],
  commands: [...json.commands, ...ALL_COMMANDS.filter((c) => c.code >= 300 && c.code <= 305).map((c) => ({ code: c.code, name: c.name }))],
  avps: [
    ...ALL_AVPS.map((a) => ({
      code: a.code, name: a.name, vendorId: a.vendorId, type: refType(a.type),
      flags: { mandatory: a.m === "MUST", protected: false, mayEncrypt: false, vendorBit: a.vendorId !== 0 },
    })),
    ...json.avps.filter((a) => !ourNames.has(a.name)),
  ],
};
const dictModule = new Module(dictPath);
dictModule.filename = dictPath;
dictModule.loaded = true;
dictModule.exports = {
  getApplicationById: (id) => _.find(dictionary.applications, { code: id }),
  getApplicationByName: (name) => _.find(dictionary.applications, { name }),
  getCommandByCode: (code) => _.find(dictionary.commands, { code }),
  getCommandByName: (name) => _.find(dictionary.commands, { name }),
  getAvpByCode: (code) => _.find(dictionary.avps, { code }),
  getAvpByCodeAndVendorId: (code, vendorId) => _.find(dictionary.avps, { code, vendorId }),
  getAvpByName: (name) => _.find(dictionary.avps, { name }),
};
require.cache[dictPath] = dictModule;
const ref = require("diameter/lib/diameter-codec.js");

// --- the messages -------------------------------------------------------------------------------
const ids = { hopByHop: 0x1234, endToEnd: 0x5678 };
const RAND_AUTN = Buffer.alloc(32, 0x5a);
const XRES = Buffer.alloc(8, 0x3c);
const CK = Buffer.alloc(16, 0x11);
const IK = Buffer.alloc(16, 0x22);
const mar = {
  sessionId: "scscf1.domain.imsprovider.org;1764000000;42",
  originHost: "scscf1.domain.imsprovider.org",
  originRealm: "domain.imsprovider.org",
  destinationRealm: "domain.imsprovider.org",
  userName: "a@domain.imsprovider.org",
  publicIdentity: "sip:a@domain.imsprovider.org",
  serverName: "sip:scscf1.domain.imsprovider.org:6060",
  numberAuthItems: 1,
  authData: { scheme: "Digest-AKAv1-MD5" },
};
const marRequest = buildMar(mar, ids);
const maa = {
  originHost: "hss.domain.imsprovider.org",
  originRealm: "domain.imsprovider.org",
  result: { kind: "result", code: 2001 },
  userName: mar.userName,
  publicIdentity: mar.publicIdentity,
  numberAuthItems: 1,
  items: [{ itemNumber: 1, scheme: "Digest-AKAv1-MD5", authenticate: RAND_AUTN, authorization: XRES, confidentialityKey: CK, integrityKey: IK }],
};

const vsai = ["Vendor-Specific-Application-Id", [["Vendor-Id", 10415], ["Auth-Application-Id", 16777216]]];
const refHeader = (request) => ({
  version: 1, commandCode: 303, applicationId: 16777216, hopByHopId: ids.hopByHop, endToEndId: ids.endToEnd,
  flags: { request, proxiable: true, error: false, potentiallyRetransmitted: false },
});
// Same AVPs, same order as buildMar / buildMaa produce.
const refMar = () => ({
  header: refHeader(true),
  body: [
    ["Session-Id", mar.sessionId], vsai, ["Auth-Session-State", 1], ["Origin-Host", mar.originHost], ["Origin-Realm", mar.originRealm],
    ["Destination-Realm", mar.destinationRealm], ["User-Name", mar.userName], ["Public-Identity", mar.publicIdentity],
    ["SIP-Auth-Data-Item", [["SIP-Authentication-Scheme", "Digest-AKAv1-MD5"]]], ["SIP-Number-Auth-Items", 1], ["Server-Name", mar.serverName],
  ],
});
const refMaa = () => ({
  header: refHeader(false),
  body: [
    ["Session-Id", mar.sessionId], vsai, ["Result-Code", 2001], ["Auth-Session-State", 1], ["Origin-Host", maa.originHost],
    ["Origin-Realm", maa.originRealm], ["User-Name", maa.userName], ["Public-Identity", maa.publicIdentity], ["SIP-Number-Auth-Items", 1],
    ["SIP-Auth-Data-Item", [["SIP-Item-Number", 1], ["SIP-Authentication-Scheme", "Digest-AKAv1-MD5"], ["SIP-Authenticate", RAND_AUTN],
      ["SIP-Authorization", XRES], ["Confidentiality-Key", CK], ["Integrity-Key", IK]]],
  ],
});

// --- one iteration = build + encode + decode (+ typed read for ours) ---------------------------
const oursMar = () => {
  const bytes = encodeMessage(buildMar(mar, ids));
  const d = decodeMessage(bytes);
  if (!d.ok) throw new Error(d.error.reason);
  const r = readMar(d.value);
  if (!r.ok) throw new Error(r.error.reason);
  return bytes.length;
};
const oursMaa = () => {
  const bytes = encodeMessage(buildMaa(marRequest, maa));
  const d = decodeMessage(bytes);
  if (!d.ok) throw new Error(d.error.reason);
  const r = readMaa(d.value);
  if (!r.ok) throw new Error(r.error.reason);
  return bytes.length;
};
const refRun = (make) => () => {
  const bytes = ref.encodeMessage(make());
  const m = ref.decodeMessage(bytes);
  return bytes.length + m.body.length;
};

// Sanity: identical bytes from both encoders, and each decodes the other's output.
for (const [ours, theirs] of [[encodeMessage(buildMar(mar, ids)), ref.encodeMessage(refMar())], [encodeMessage(buildMaa(marRequest, maa)), ref.encodeMessage(refMaa())]]) {
  if (!ours.equals(theirs)) throw new Error("the two encoders disagree on the message bytes");
  if (!decodeMessage(theirs).ok) throw new Error("ours cannot decode the reference's bytes");
  ref.decodeMessage(ours);
}

// The machine is shared (2 cores, many processes): besides wall-clock rates, each sample divides by the
// CPU time this process used (user + system, all its threads, GC included), i.e. the rate on one core.
const seconds = Number(process.argv[2] ?? 0.5);
function sample(fn) {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const deadline = t0 + seconds * 1000;
  let n = 0;
  let sink = 0;
  while (performance.now() < deadline) {
    for (let i = 0; i < 200; i++) sink += fn();
    n += 200;
  }
  if (sink === 0) throw new Error("no output");
  const cpu = process.cpuUsage(cpu0);
  return { wall: n / ((performance.now() - t0) / 1000), cpu: n / ((cpu.user + cpu.system) / 1e6) };
}
const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const cases = { MAR: { ours: oursMar, ref: refRun(refMar) }, MAA: { ours: oursMaa, ref: refRun(refMaa) } };
const results = {};
for (const [name, c] of Object.entries(cases)) {
  sample(c.ours);
  sample(c.ref); // warm-up
  const r = { ours: [], ref: [] };
  for (let round = 0; round < 5; round++) {
    r.ours.push(sample(c.ours));
    r.ref.push(sample(c.ref));
  }
  const pick = (xs, k) => median(xs.map((x) => x[k]));
  results[name] = { ours: pick(r.ours, "cpu"), ref: pick(r.ref, "cpu"), oursWall: pick(r.ours, "wall"), refWall: pick(r.ref, "wall") };
}

const fmt = (n) => Math.round(n).toLocaleString("en-US").padStart(9);
console.log(`Diameter encode+decode per second, one core (median of 5 x ${seconds}s samples, node ${process.version})`);
console.log("  ours: Cx builder -> encodeMessage -> decodeMessage -> typed reader (CCF validated)");
console.log("  npm diameter: message object -> encodeMessage -> decodeMessage (reference, adapted dictionary)");
console.log("  per CPU-second (one core) | wall clock (shared machine)");
for (const [name, r] of Object.entries(results)) {
  console.log(
    `${name}  ours ${fmt(r.ours)}/s  npm diameter ${fmt(r.ref)}/s  ratio ${(r.ours / r.ref).toFixed(2)}x` +
      `  | wall: ours ${fmt(r.oursWall)}/s  npm diameter ${fmt(r.refWall)}/s  ratio ${(r.oursWall / r.refWall).toFixed(2)}x`,
  );
}
const m = results.MAR;
const met = m.ours >= 100_000 && m.ours / m.ref >= 2;
console.log(`goal (MAR encode+decode >= 100,000 per CPU-second and >= 2x npm diameter): ${met ? "met" : "NOT met"}`);
