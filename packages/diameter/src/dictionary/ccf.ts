/**
 * Command Code Format rules (RFC 6733 §3.2), parsed from the one-line CCF strings of the tables:
 * `<X>` fixed, `{X}` required once, `n*m{X}` / `*[X]` repeated, `[X]` optional once, `*[AVP]` any other AVP.
 */
export interface CcfRule {
  readonly name: string;
  readonly min: number;
  /** Infinity for "*". */
  readonly max: number;
  /** `<X>`: fixed position. */
  readonly fixed: boolean;
}

const TOKEN = /(?:(\d*)\*(\d*))?([<{[])([A-Za-z0-9-]+)[>}\]]/g;

/** Parses a CCF line; trailing commentary in parentheses is ignored. Never throws. */
export function parseCcf(ccf: string): readonly CcfRule[] {
  const cut = ccf.indexOf("(");
  const text = cut < 0 ? ccf : ccf.slice(0, cut);
  const rules: CcfRule[] = [];
  for (const m of text.matchAll(TOKEN)) {
    const [, lo, hi, open, name] = m;
    if (name === undefined) continue;
    const repeated = m[0].includes("*");
    const required = open !== "[";
    const min = repeated ? (lo === undefined || lo === "" ? (required ? 1 : 0) : Number(lo)) : required ? 1 : 0;
    const max = repeated ? (hi === undefined || hi === "" ? Infinity : Number(hi)) : 1;
    rules.push({ name, min, max, fixed: open === "<" });
  }
  return rules;
}
