/**
 * Child process of the kill -9 test (run with vite-node): issues AKA vectors for one IMPI in a loop
 * through the MAR procedure and prints each vector's SQN once the MAA would have left. The parent
 * SIGKILLs it at a random moment and checks that a restarted HSS never reissues a printed SQN.
 */
import { silentLogger } from "@ims/runtime";
import { fakeAka } from "../cx/fake-aka.js";
import { handleMar } from "../cx/mar.js";
import { openHssDb } from "./open-db.js";

const [url, prefix, impi, impu] = process.argv.slice(2);
if (url === undefined || impi === undefined || impu === undefined) throw new Error("usage: url prefix impi impu");
const hss = await openHssDb({ url, ...(prefix === undefined || prefix === "-" ? {} : { tablePrefix: prefix }) });
const ctx = { hss, homeRealm: "x", aka: fakeAka(), logger: silentLogger() };
for (;;) {
  const maa = await handleMar(ctx, { userName: impi, publicIdentity: impu, serverName: "sip:s", numberAuthItems: 1, scheme: "Digest-AKAv1-MD5" });
  const item = maa.items[0];
  if (item?.kind !== "aka") throw new Error("no vector");
  process.stdout.write(`SQN ${Buffer.from(item.authenticate.subarray(16, 22)).toString("hex")}\n`);
}
