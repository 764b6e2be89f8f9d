import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { nodeLogger } from "./logger.js";

function capture(): { stream: Writable; lines: () => string[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      chunks.push(chunk.toString());
      cb();
    },
  });
  return { stream, lines: () => chunks.join("").trim().split("\n") };
}

describe("logger", () => {
  it("tags lines with the node name", () => {
    const out = capture();
    nodeLogger("scscf1", { destination: out.stream, level: "debug" }).debug("hello");
    const line = JSON.parse(out.lines()[0] ?? "{}") as Record<string, unknown>;
    expect(line["node"]).toBe("scscf1");
    expect(line["msg"]).toBe("hello");
  });

  it("redacts secret keys at the top level and one level down", () => {
    const out = capture();
    const log = nodeLogger("hss", { destination: out.stream });
    log.info({ password: "apass", subscriber: { k: "00112233", opc: "cafe", impi: "a@x" } }, "provisioned");
    const text = out.lines().join("\n");
    expect(text).not.toContain("apass");
    expect(text).not.toContain("00112233");
    expect(text).not.toContain("cafe");
    expect(text).toContain("a@x");
  });
});
