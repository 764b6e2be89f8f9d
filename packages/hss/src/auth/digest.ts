import { createHash } from "node:crypto";

/** RFC 2617 §3.2.2.2: HA1 = MD5(username ":" realm ":" password), lower-case hex. */
export function digestHa1(username: string, realm: string, password: string): string {
  return createHash("md5").update(`${username}:${realm}:${password}`, "utf8").digest("hex");
}

/** The Digest realm of an IMPI: its domain part (user@realm), else the home realm. */
export function realmOf(impi: string, homeRealm: string): string {
  const at = impi.lastIndexOf("@");
  return at >= 0 && at < impi.length - 1 ? impi.slice(at + 1) : homeRealm;
}
