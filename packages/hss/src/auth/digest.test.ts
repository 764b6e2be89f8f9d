import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { digestHa1, realmOf } from "./digest.js";

describe("SIP Digest HA1", () => {
  it("is MD5(user:realm:password) in lower-case hex (RFC 2617 §3.5 example), UTF-8 encoded", () => {
    expect(digestHa1("Mufasa", "testrealm@host.com", "Circle Of Life")).toBe("939e7578ed9e3c518a452acee763bce9");
    const expected = createHash("md5").update("jörg@d:d:pässwörd€", "utf8").digest("hex");
    expect(digestHa1("jörg@d", "d", "pässwörd€")).toBe(expected);
  });
  it("takes the realm from the IMPI's domain, else the home realm", () => {
    expect(realmOf("alice@domain.imsprovider.org", "home")).toBe("domain.imsprovider.org");
    expect(realmOf("alice", "home")).toBe("home");
    expect(realmOf("alice@", "home")).toBe("home");
  });
});
