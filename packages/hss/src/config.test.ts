import { describe, expect, it } from "vitest";
import { parseHssConfig } from "./config.js";

describe("HSS configuration", () => {
  it("fills the lab defaults and derives the Origin-Host from the realm", () => {
    const c = parseHssConfig({ token: "12345678" }, {});
    expect(c).toMatchObject({ address: "127.0.0.77", diameterPort: 3868, httpPort: 8080, realm: "domain.imsprovider.org", host: "hss.domain.imsprovider.org", database: "var/hss.sqlite" });
  });
  it("lets HSS_DB_URL choose MySQL/MariaDB", () => {
    expect(parseHssConfig({ token: "12345678" }, { HSS_DB_URL: "mysql://u:p@db:3306/hss" }).database).toBe("mysql://u:p@db:3306/hss");
  });
  it.each([
    [{ token: "short" }, "token"],
    [{ token: "12345678", diameterPort: 70000 }, "diameterPort"],
    [{ token: "12345678", address: "localhost" }, "address"],
    [{ token: "12345678", realm: "bad realm" }, "realm"],
    [{ token: "12345678", extra: 1 }, "extra"],
  ])("names the wrong key (%o)", (input, key) => {
    expect(() => parseHssConfig(input, {})).toThrow(key);
  });
});
