import { describe, expect, it } from "vitest";
import { FakeClock } from "@ims/runtime";
import { type Expiring, TimeoutQueue } from "./timeout-queue.js";

interface E extends Expiring {
  readonly name: string;
}
const entry = (name: string): E => ({ name, deadline: 0, settled: false });

describe("TimeoutQueue", () => {
  it("times out each entry at its own deadline, per timeout length, and never a settled one", () => {
    const clock = new FakeClock();
    const out: string[] = [];
    const q = new TimeoutQueue<E>(clock, (e) => out.push(`${e.name}@${clock.now()}`));
    const a = entry("a");
    const b = entry("b");
    const c = entry("c");
    q.add(a, 1_000);
    clock.advance(100);
    q.add(b, 1_000);
    q.add(c, 300);
    q.settle(a, 1_000);
    clock.advance(2_000);
    expect(out).toEqual(["c@400", "b@1100"]);
    expect(clock.pending()).toBe(0);
  });

  it("uses one timer per timeout length, however many entries, and empties as answers come in order", () => {
    const clock = new FakeClock();
    const out: string[] = [];
    const q = new TimeoutQueue<E>(clock, (e) => out.push(e.name));
    const es = Array.from({ length: 100 }, (_, i) => entry(`e${i}`));
    for (const e of es) q.add(e, 5_000);
    expect(clock.pending()).toBe(1);
    for (const e of es.slice(0, 99)) q.settle(e, 5_000);
    clock.advance(5_000);
    expect(out).toEqual(["e99"]);
  });

  it("an entry added from the timeout callback gets its own full timeout", () => {
    const clock = new FakeClock();
    const out: string[] = [];
    const late = entry("late");
    const q: TimeoutQueue<E> = new TimeoutQueue<E>(clock, (e) => {
      out.push(`${e.name}@${clock.now()}`);
      if (e.name === "first") q.add(late, 1_000);
    });
    q.add(entry("first"), 1_000);
    clock.advance(1_500);
    expect(out).toEqual(["first@1000"]);
    clock.advance(500);
    expect(out).toEqual(["first@1000", "late@2000"]);
  });
});
