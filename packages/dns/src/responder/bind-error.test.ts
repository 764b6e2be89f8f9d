import { describe, expect, it } from "vitest";
import { explainBindError, SETCAP_COMMAND } from "./bind-error.js";

describe("explainBindError", () => {
  it("tells an unprivileged user how to bind port 53", () => {
    const e = explainBindError(Object.assign(new Error("bind EACCES"), { code: "EACCES" }), "127.0.0.66", 53, "udp");
    expect(e.tag).toBe("dns-bind");
    expect(e.message).toContain("127.0.0.66:53/udp");
    expect(e.message).toContain("need privilege");
    expect(e.message).toContain(SETCAP_COMMAND);
    expect(e.message).toContain("5353");
  });

  it("suggests another port when 5353 itself is taken", () => {
    const e = explainBindError({ code: "EADDRINUSE" }, "127.0.0.66", 5353, "tcp");
    expect(e.message).toContain("5354");
  });

  it("passes other errors through with the address", () => {
    expect(explainBindError(new Error("boom"), "127.0.0.66", 53, "udp").message).toContain("127.0.0.66:53/udp: boom");
  });
});
