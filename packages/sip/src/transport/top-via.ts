/**
 * Editing the top Via (the first value of the first Via line), on top of the message layer's typed
 * Via (`getFirstVia`, `serializeVia`): what §18.2.1 and proxies (§16.6 step 8, §16.7 step 3) do.
 */
import { type Via, getFirstVia, getVias, parsedHeader, parseVia, removeFirstValue, splitList } from "../headers/index.js";
import { headerLine, isKey } from "../message/header-line.js";
import { type SipMessage, isHeader } from "../message/index.js";

export { getFirstVia as getTopVia };

/** Replaces the top Via value with `value`, keeping the other values of its line. */
export function replaceTopVia(msg: SipMessage, value: string): void {
  const i = msg.headers.findIndex((h) => isHeader(h, "via"));
  if (i < 0) return;
  const h = msg.headers[i]!;
  if (h.value.indexOf(",") < 0) {
    msg.headers[i] = headerLine(h.name, value);
    return;
  }
  const items = splitList(h.value);
  items[0] = value;
  msg.headers[i] = headerLine(h.name, items.join(", "));
}

/** Removes the top Via value (the whole line when it held only one) and returns it parsed. */
export function popTopVia(msg: SipMessage): Via | undefined {
  const hs = msg.headers;
  for (let i = 0; i < hs.length; i++) {
    const h = hs[i]!;
    if (!isKey(h, "via")) continue;
    // The usual case, a line holding one Via: drop the line and reuse its cached parse.
    if (h.value.indexOf(",") >= 0) break;
    // shifted down by hand: splice would allocate an array of the removed line
    for (let k = i + 1; k < hs.length; k++) hs[k - 1] = hs[k]!;
    hs.pop();
    const parsed = parsedHeader(h, parseVia);
    return parsed.ok ? parsed.value[0] : undefined;
  }
  const v = removeFirstValue(msg, "via");
  if (v === undefined) return undefined;
  const parsed = parseVia(v);
  return parsed.ok ? parsed.value[0] : undefined;
}

/** Number of Via values (0 when absent or malformed). */
export function countVias(msg: SipMessage): number {
  return getVias(msg)?.length ?? 0;
}
