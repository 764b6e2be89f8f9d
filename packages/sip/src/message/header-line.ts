import { COMPACT_FORMS, headerKey } from "../headers/names.js";
import type { SipHeader } from "./types.js";

/**
 * The SipHeader the parser and the helpers create: immutable, with its canonical key and the last
 * typed parse cached in private fields (invisible to spreads, JSON and deep equality). Plain
 * `{name, value}` objects are accepted everywhere too; they are just not cached.
 */
export class HeaderLine implements SipHeader {
  readonly name: string;
  readonly value: string;
  #key: string | undefined;
  #parser: unknown;
  #result: unknown;

  constructor(name: string, value: string) {
    this.name = name;
    this.value = value;
    this.#key = undefined;
    this.#parser = undefined;
    this.#result = undefined;
  }

  get key(): string {
    return (this.#key ??= headerKey(this.name));
  }

  /** `parser(value)`, computed once per parser (one slot: the last parser used). */
  parsed<T>(parser: (value: string) => T): T {
    if (this.#parser === parser) return this.#result as T;
    const r = parser(this.value);
    this.#parser = parser;
    this.#result = r;
    return r;
  }
}

/** Canonical key of a header line. */
export function keyOf(h: SipHeader): string {
  return h instanceof HeaderLine ? h.key : headerKey(h.name);
}

export function headerLine(name: string, value: string): HeaderLine {
  return new HeaderLine(name, value);
}

const HAS_COMPACT = new Set<string>(Object.values(COMPACT_FORMS));

/**
 * True when `h` is a header with canonical key `key`. Rejects by name length first (a header is
 * either spelled at the key's length or is a one-letter compact form), so that looking a header
 * up does not compute the key of every other line.
 */
export function isKey(h: SipHeader, key: string): boolean {
  const n = h.name.length;
  if (n !== key.length && (n !== 1 || !HAS_COMPACT.has(key))) return false;
  return keyOf(h) === key;
}
