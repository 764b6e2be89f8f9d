import { FakeClock, type SlabStore } from "@ims/runtime";
import { describe, expect, it } from "vitest";
import type { Destination } from "../transport/types.js";
import { CompletedServers, type Expiring, ExpiringQueue } from "./completed.js";

const peer: Destination = { transport: "udp", address: "127.0.0.33", port: 5060 };
const bytes = (n: number, fill: number) => Buffer.alloc(n, fill);

describe("ExpiringQueue", () => {
  it("expires entries in order after the TTL; a key set again keeps its newer entry; every entry is passed", () => {
    const clock = new FakeClock();
    const passed: Expiring[] = [];
    const q = new ExpiringQueue<Expiring>(clock, 1000, (e) => passed.push(e));
    const a1 = { key: "a", at: q.deadline() };
    q.set(a1);
    clock.advance(600);
    const a2 = { key: "a", at: q.deadline() };
    q.set(a2);
    q.set({ key: "b", at: q.deadline() });
    clock.advance(400); // a1 expires; "a" still maps to a2
    expect(passed).toEqual([a1]);
    expect(q.get("a")).toBe(a2);
    clock.advance(600);
    expect(q.size).toBe(0);
    expect(passed.map((e) => e.key)).toEqual(["a", "a", "b"]);
  });

  it("keeps nothing with a TTL of 0 (reliable transport)", () => {
    const q = new ExpiringQueue<Expiring>(new FakeClock(), 0);
    expect(q.set({ key: "a", at: q.deadline() })).toBe(false);
    expect(q.has("a")).toBe(false);
  });
});

describe("CompletedServers", () => {
  it("answers with a copy of the stored response until Timer J, then forgets it", () => {
    const clock = new FakeClock();
    const done = new CompletedServers(clock, 32_000);
    const response = Buffer.from("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 127.0.0.33;branch=z9hG4bK1\r\nContent-Length: 0\r\n\r\n", "latin1");
    done.set("z9hG4bK1 REGISTER", response, peer);
    response.fill(0); // the caller's buffer is reused after set
    const got = done.response("z9hG4bK1 REGISTER");
    expect(got?.bytes.toString("latin1")).toMatch(/^SIP\/2\.0 200 OK\r\n/);
    expect(got?.source).toBe(peer);
    got!.bytes.fill(0); // a retransmission path may do what it likes with its copy
    expect(done.response("z9hG4bK1 REGISTER")?.bytes.toString("latin1")).toMatch(/^SIP\/2\.0 200 OK/);
    clock.advance(31_999);
    expect(done.size).toBe(1);
    clock.advance(1);
    expect(done.size).toBe(0);
    expect(done.response("z9hG4bK1 REGISTER")).toBeUndefined();
  });

  it("stores tens of thousands in a bounded number of slabs as they expire", () => {
    const clock = new FakeClock();
    const done = new CompletedServers(clock, 32_000);
    const slabs = new Set<unknown>();
    const store = (done as unknown as { bytes: SlabStore }).bytes;
    const add = store.add.bind(store);
    store.add = (data) => {
      const r = add(data);
      slabs.add(r.slab);
      return r;
    };
    // 2,000 responses of 800 B a second for 100 s: 32 s of them (51 MB) are live at any moment
    for (let t = 0; t < 10_000; t++) {
      for (let i = 0; i < 20; i++) done.set(`k${t}-${i}`, bytes(800, (t + i) % 256), peer);
      clock.advance(10);
    }
    expect(done.size).toBe(3199 * 20); // those set in the last 32 s; the ones set exactly 32 s ago just went
    expect(done.response("k9999-19")?.bytes.equals(bytes(800, (9999 + 19) % 256))).toBe(true);
    expect(done.response("k6799-0")).toBeUndefined(); // 32 s old
    // the live ones need ~196 slabs; without reuse, 100 s would have needed ~612
    expect(slabs.size).toBeLessThan(260);
  });
});
