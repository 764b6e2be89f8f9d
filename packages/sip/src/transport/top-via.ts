/**
 * Editing the top Via (the first value of the first Via line), on top of the message layer's typed
 * Via (`getFirstVia`, `serializeVia`): what §18.2.1 and proxies (§16.6 step 8, §16.7 step 3) do.
 */
import { type Via, getFirstVia, getVias, parseVia, removeFirstValue, splitList } from "../headers/index.js";
import { type SipMessage, isHeader } from "../message/index.js";

export { getFirstVia as getTopVia };

/** Replaces the top Via value with `value`, keeping the other values of its line. */
export function replaceTopVia(msg: SipMessage, value: string): void {
  const i = msg.headers.findIndex((h) => isHeader(h, "via"));
  if (i < 0) return;
  const h = msg.headers[i]!;
  const items = splitList(h.value);
  items[0] = value;
  msg.headers[i] = { name: h.name, value: items.join(", ") };
}

/** Removes the top Via value (the whole line when it held only one) and returns it parsed. */
export function popTopVia(msg: SipMessage): Via | undefined {
  const v = removeFirstValue(msg, "via");
  if (v === undefined) return undefined;
  const parsed = parseVia(v);
  return parsed.ok ? parsed.value[0] : undefined;
}

/** Number of Via values (0 when absent or malformed). */
export function countVias(msg: SipMessage): number {
  return getVias(msg)?.length ?? 0;
}
