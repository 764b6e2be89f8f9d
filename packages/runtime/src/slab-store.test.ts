import { describe, expect, it } from "vitest";
import { SlabStore } from "./slab-store.js";

const bytes = (n: number, fill: number) => Buffer.alloc(n, fill);

describe("SlabStore", () => {
  it("returns what was added, byte for byte, across slab boundaries", () => {
    const store = new SlabStore();
    const kept = Array.from({ length: 600 }, (_, i) => {
      const data = bytes(700 + (i % 50), i % 251);
      return { data, ...store.add(data) };
    });
    const slabs = new Set(kept.map((k) => k.slab));
    expect(slabs.size).toBeGreaterThan(1); // 600 × ~700 B does not fit one 256 KiB slab
    for (const k of kept) expect(k.slab.bytes.subarray(k.offset, k.offset + k.data.length).equals(k.data)).toBe(true);
  });

  it("reuses a slab once every entry in it was released, and not before", () => {
    const store = new SlabStore();
    const first = Array.from({ length: 300 }, () => store.add(bytes(1000, 1)));
    const firstSlab = first[0]!.slab;
    const inFirst = first.filter((e) => e.slab === firstSlab);
    expect(inFirst.length).toBe(262); // 256 KiB / 1000 B
    // every entry of the first slab released but one: it is not reused while slabs are taken
    for (const e of first.slice(1)) store.release(e.slab);
    const more = Array.from({ length: 600 }, () => store.add(bytes(1000, 2)));
    expect(more.some((e) => e.slab === firstSlab)).toBe(false);
    store.release(firstSlab);
    const after = Array.from({ length: 300 }, () => store.add(bytes(1000, 3)));
    expect(after.some((e) => e.slab === firstSlab)).toBe(true);
  });

  it("gives an entry over a quarter of a slab a slab of its own", () => {
    const store = new SlabStore();
    const small = store.add(bytes(100, 1));
    const big = store.add(bytes(70_000, 7));
    expect(big.slab).not.toBe(small.slab);
    expect(big.slab.shared).toBe(false);
    expect(big.slab.bytes.length).toBe(70_000);
    expect(store.add(bytes(100, 1)).slab).toBe(small.slab); // the shared slab goes on filling
  });
});
