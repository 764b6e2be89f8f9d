import * as crypto from "node:crypto";

type OneShotHash = (algorithm: string, data: string, outputEncoding: "hex") => string;
/** crypto.hash (Node >= 20.12): one call and no Hash object per digest (a MAR computes one). */
const oneShot = (crypto as unknown as { hash?: OneShotHash }).hash;

/** RFC 2617 §3.2.2.2: HA1 = MD5(username ":" realm ":" password), lower-case hex. */
export function digestHa1(username: string, realm: string, password: string): string {
  const text = `${username}:${realm}:${password}`;
  return oneShot !== undefined ? oneShot("md5", text, "hex") : crypto.createHash("md5").update(text, "utf8").digest("hex");
}

/** The Digest realm of an IMPI: its domain part (user@realm), else the home realm. */
export function realmOf(impi: string, homeRealm: string): string {
  const at = impi.lastIndexOf("@");
  return at >= 0 && at < impi.length - 1 ? impi.slice(at + 1) : homeRealm;
}
