/**
 * How many heap bytes a value keeps alive on its own: `make` builds it (and whatever it was cut
 * from, inside its own scope), then the value is dropped and the heap measured again after a full
 * collection. Used to check that stored strings do not keep a whole message text alive (a
 * substring is a view into the string it was cut from in V8).
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function bytesFreedByDropping(make: () => unknown): Promise<number> {
  let kept: unknown = make();
  // A RegExp remembers the last string it ran on: ran on a throwaway string, it holds nothing of ours.
  /x/.test("x");
  await tick();
  gc();
  const before = process.memoryUsage().heapUsed;
  kept = undefined;
  void kept;
  await tick();
  gc();
  return before - process.memoryUsage().heapUsed;
}

/** 12 header lines of 15,000 octets: a message text of 180 KB, which a view into it would keep. */
export const PADDING_LINES: readonly string[] = Array.from({ length: 12 }, (_, i) => `X-Padding-${i}: ${"p".repeat(15_000)}`);
