import { describe, expect, it } from "vitest";
import { timingSafeEqualString } from "./secret.js";

describe("timingSafeEqualString", () => {
  it("is true only for identical strings", () => {
    expect(timingSafeEqualString("6629fae49393a05397450978507c4ef1", "6629fae49393a05397450978507c4ef1")).toBe(true);
    expect(timingSafeEqualString("6629fae49393a05397450978507c4ef1", "6629fae49393a05397450978507c4ef2")).toBe(false);
    expect(timingSafeEqualString("abc", "abcd")).toBe(false);
    expect(timingSafeEqualString("", "")).toBe(true);
  });
});
