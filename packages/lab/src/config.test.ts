import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { clientSettings } from "./client-settings.js";
import { loadLabConfig, parseLabConfig } from "./config.js";
import { labNodes } from "./nodes.js";
import { labZoneConfig } from "./zone.js";

const labJson = fileURLToPath(new URL("../../../config/lab.json", import.meta.url));

describe("lab config", () => {
  it("loads the shipped config/lab.json with the DESIGN.md addresses", () => {
    const c = loadLabConfig(labJson);
    expect(c.domain).toBe("domain.imsprovider.org");
    expect(c.pcscf[0]?.address).toBe("127.0.0.33");
    expect(c.scscf[0]?.port).toBe(6060);
    expect(c.icscf.port).toBe(4060);
    expect(c.hss.diameterPort).toBe(3868);
    expect(c.dns.address).toBe("127.0.0.66");
  });

  it("names the wrong key in the error", () => {
    const c = JSON.parse(JSON.stringify(loadLabConfig(labJson))) as Record<string, unknown>;
    (c["pcscf"] as Array<Record<string, unknown>>)[0]!["port"] = 70_000;
    expect(() => parseLabConfig(c, "lab.json")).toThrow(/lab.json: pcscf\.0\.port/);
  });

  it("rejects unknown keys and bad addresses", () => {
    const c = JSON.parse(JSON.stringify(loadLabConfig(labJson))) as Record<string, unknown>;
    c["dns"] = { name: "ns", address: "127.0.0.300", port: 53 };
    c["extra"] = true;
    expect(() => parseLabConfig(c)).toThrow(/dns\.address: must be an IPv4 address/);
    expect(() => parseLabConfig(c)).toThrow(/Unrecognized key/);
  });
});

describe("advertisedAddress", () => {
  it("moves the first P-CSCF to the LAN address in the node table, the zone and the client settings", () => {
    const { baseDir, ...json } = loadLabConfig(labJson);
    const c = parseLabConfig({ ...json, advertisedAddress: "192.168.1.20" }, "lab.json", baseDir);
    expect(labNodes(c).find((n) => n.role === "pcscf")?.address).toBe("192.168.1.20");
    expect(labZoneConfig(c).nodes.find((n) => n.name === "pcscf1")?.address).toBe("192.168.1.20");
    expect(clientSettings(c)).toContain("SIP Proxy: 192.168.1.20:5060");
    const loopback = loadLabConfig(labJson);
    expect(clientSettings(loopback)).toContain("SIP Proxy: 127.0.0.33:5060");
    expect(clientSettings(loopback)).toContain("--nameserver=127.0.0.66");
  });
});
