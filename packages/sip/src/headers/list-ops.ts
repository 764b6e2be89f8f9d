import { headerLine, isKey } from "../message/header-line.js";
import { headerKey } from "./names.js";
import { splitList } from "./lex.js";
import type { SipMessage } from "../message/types.js";

/**
 * Remove and return the first value of a list header (the top Via, the first Route), which may
 * be the first of several comma-separated values on one line (RFC 3261 §7.3.1). Returns
 * undefined when there is no such header.
 */
export function removeFirstValue(msg: SipMessage, name: string): string | undefined {
  const key = headerKey(name);
  const hs = msg.headers;
  for (let i = 0; i < hs.length; i++) {
    const h = hs[i]!;
    if (!isKey(h, key)) continue;
    const items = splitList(h.value);
    const first = items.shift()!;
    if (items.length === 0) hs.splice(i, 1);
    else hs[i] = headerLine(h.name, items.join(", "));
    return first;
  }
  return undefined;
}

/** The first value of a list header without removing it. */
export function firstValue(msg: { readonly headers: SipMessage["headers"] }, name: string): string | undefined {
  const key = headerKey(name);
  for (const h of msg.headers) if (isKey(h, key)) return splitList(h.value)[0];
  return undefined;
}
