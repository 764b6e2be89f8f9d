import { describe, expect, it } from "vitest";
import { avp, avpValue, createRequest, decodeAddress, decodeMessage, encodeAddress, encodeMessage, getValue, rawAvp } from "./index.js";
import { checkValue, decodeValue, encodeValue } from "./values.js";

const ids = { hopByHop: 1, endToEnd: 2 };

describe("base data types (RFC 6733 §4.2, §4.3)", () => {
  it("fixed-size types round-trip at their extremes", () => {
    const cases = [
      ["Integer32", -0x80000000, "80000000"],
      ["Integer32", 0x7fffffff, "7fffffff"],
      ["Unsigned32", 0xffffffff, "ffffffff"],
      ["Enumerated", 2, "00000002"],
      ["Integer64", -1n, "ffffffffffffffff"],
      ["Unsigned64", 0xfedcba9876543210n, "fedcba9876543210"],
      ["Float32", 1.5, "3fc00000"],
      ["Float64", -2.25, "c002000000000000"],
    ] as const;
    for (const [type, value, hex] of cases) {
      const bytes = encodeValue(type, value);
      expect(Buffer.from(bytes).toString("hex"), type).toBe(hex);
      expect(decodeValue(type, bytes), type).toBe(value);
      expect(checkValue(type, bytes)).toBeUndefined();
      expect(checkValue(type, bytes.subarray(1))).toBe("length");
    }
  });

  it("refuses to encode out-of-range numbers (a programmer error)", () => {
    expect(() => encodeValue("Unsigned32", -1)).toThrow();
    expect(() => encodeValue("Integer32", 2 ** 31)).toThrow();
    expect(() => encodeValue("Unsigned32", 1.5)).toThrow();
  });

  it("Time is NTP seconds, with the RFC 4330 era rule after 2036", () => {
    const t = new Date("2026-11-26T05:00:00Z");
    const bytes = encodeValue("Time", t);
    expect(Buffer.from(bytes).readUInt32BE(0)).toBe(t.getTime() / 1000 + 2_208_988_800);
    expect(decodeValue("Time", bytes)).toEqual(t);
    const after = new Date("2040-01-01T00:00:00Z");
    expect(decodeValue("Time", encodeValue("Time", after))).toEqual(after);
  });

  it("UTF8String, DiameterIdentity, DiameterURI, OctetString", () => {
    expect(decodeValue("UTF8String", encodeValue("UTF8String", "héllo ☎"))).toBe("héllo ☎");
    expect(checkValue("UTF8String", Buffer.from([0x61, 0xff]))).toBe("value");
    expect(checkValue("UTF8String", Buffer.from("é"))).toBeUndefined();
    expect(decodeValue("DiameterURI", encodeValue("DiameterURI", "aaa://hss.d:3868;transport=tcp"))).toBe("aaa://hss.d:3868;transport=tcp");
    const octets = Buffer.from([0, 1, 2, 255]);
    expect(Buffer.from(decodeValue("OctetString", encodeValue("OctetString", octets)) as Uint8Array)).toEqual(octets);
  });

  it("Address: IPv4, IPv6 (compressed, embedded IPv4), other families kept raw", () => {
    expect(Buffer.from(encodeAddress("127.0.0.11") ?? []).toString("hex")).toBe("00017f00000b");
    expect(Buffer.from(encodeAddress("2001:db8::1") ?? []).toString("hex")).toBe("000220010db8000000000000000000000001");
    expect(decodeAddress(encodeAddress("2001:db8::1") ?? new Uint8Array())).toBe("2001:db8::1");
    expect(decodeAddress(encodeAddress("::") ?? new Uint8Array())).toBe("::");
    expect(decodeAddress(encodeAddress("::ffff:1.2.3.4") ?? new Uint8Array())).toBe("::ffff:102:304");
    expect(decodeAddress(encodeAddress("fe80:0:0:1::2:3") ?? new Uint8Array())).toBe("fe80::1:0:0:2:3"); // RFC 5952: the first of equal runs
    expect(encodeAddress("not an address")).toBeUndefined();
    expect(decodeAddress(Buffer.from([0, 8, 1, 2, 3]))).toBeUndefined();
    expect(checkValue("Address", Buffer.from([0, 8, 1, 2, 3]))).toBeUndefined();
    expect(checkValue("Address", Buffer.from([0, 2, 1, 2, 3]))).toBe("length");
  });

  it("every type survives a message round trip through the dictionary", () => {
    const m = createRequest(
      "ACR",
      [
        avp("Session-Id", "s;1"),
        avp("Accounting-Sub-Session-Id", 12345678901234567890n),
        avp("Event-Timestamp", new Date("2026-01-01T00:00:00Z")),
        avp("Host-IP-Address", "::1"),
        avp("Redirect-Host", "aaa://x.d"),
        avp("Class", Buffer.from([9, 9])),
        avp("Accounting-Record-Type", 1),
        avp("Registration-Time-Out", new Date("2030-05-05T05:05:05Z")),
      ],
      ids,
      { applicationId: 3 },
    );
    const r = decodeMessage(encodeMessage(m));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(getValue(r.value, "Accounting-Sub-Session-Id")).toBe(12345678901234567890n);
    expect(getValue(r.value, "Event-Timestamp")).toEqual(new Date("2026-01-01T00:00:00Z"));
    expect(getValue(r.value, "Host-IP-Address")).toBe("::1");
    expect(getValue(r.value, "Redirect-Host")).toBe("aaa://x.d");
    expect(getValue(r.value, "Registration-Time-Out")).toEqual(new Date("2030-05-05T05:05:05Z"));
    expect(r.value.applicationId).toBe(3);
    expect(avpValue(rawAvp(1, Buffer.from("bob")))).toBe("bob");
    expect(avpValue(rawAvp(4242, Buffer.from("?")))).toBeUndefined();
  });

  it("sets V and M from the tables, and M can be overridden", () => {
    expect(avp("Public-Identity", "sip:a@d")).toMatchObject({ code: 601, vendorId: 10415, flags: 0xc0 });
    expect(avp("Product-Name", "x").flags).toBe(0);
    expect(avp("Origin-Host", "x", { mandatory: false }).flags).toBe(0);
    expect(avp("Product-Name", "x", { mandatory: true }).flags).toBe(0x40);
  });
});
