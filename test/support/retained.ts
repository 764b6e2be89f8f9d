/**
 * How many heap bytes a value keeps alive on its own: `make` builds it (and whatever it was cut
 * from, inside its own scope), then the value is dropped and the heap measured again after a full
 * collection. Used to check that stored strings do not keep a whole message text alive (a
 * substring is a view into the string it was cut from in V8).
 *
 * Only V8's large-object space is counted: a text of more than 128 KiB lives there, one object per
 * page, freed during the collection itself, so the figure does not wait on lazy sweeping.
 */
import { getHeapSpaceStatistics, setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

const largeObjects = (): number => getHeapSpaceStatistics().find((s) => s.space_name === "large_object_space")?.space_used_size ?? 0;

async function settledLargeObjects(): Promise<number> {
  await tick();
  gc();
  await tick();
  gc();
  return largeObjects();
}

export async function bytesFreedByDropping(make: () => unknown): Promise<number> {
  // Run once first: the first, interpreted run of V8's string code may copy where optimized code
  // makes a view, and views are what this is here to catch.
  for (let i = 0; i < 3; i++) make();
  let kept: unknown = make();
  // A RegExp remembers the last string it ran on: ran on a throwaway string, it holds nothing of ours.
  /x/.test("x");
  const before = await settledLargeObjects();
  kept = undefined;
  void kept;
  return before - (await settledLargeObjects());
}

/** 12 header lines of 15,000 octets: a message text of 180 KB (a large object), which a view into it would keep. */
export const PADDING_LINES: readonly string[] = Array.from({ length: 12 }, (_, i) => `X-Padding-${i}: ${"p".repeat(15_000)}`);
