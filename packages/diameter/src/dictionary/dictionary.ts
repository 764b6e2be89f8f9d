import { BASE_AVPS } from "./base-avps.js";
import { CX_AVPS, CX_REFERENCED_AVPS } from "./cx-avps.js";
import { ANSWER_MESSAGE_CCF, BASE_COMMANDS, CX_COMMANDS } from "./commands.js";
import { GROUPED_AVPS } from "./grouped-avps.js";
import { type CcfRule, parseCcf } from "./ccf.js";
import type { AvpDefinition, AvpValueOfType, CommandDefinition, GroupedDefinition } from "./types.js";

/** Every AVP the standard dictionary knows: base, Cx/Dx and the AVPs Cx borrows. */
export const ALL_AVPS = [...BASE_AVPS, ...CX_AVPS, ...CX_REFERENCED_AVPS] as const;
export const ALL_COMMANDS = [...BASE_COMMANDS, ...CX_COMMANDS] as const;

export type AvpName = (typeof ALL_AVPS)[number]["name"];
export type AvpTypeOf<N extends AvpName> = Extract<(typeof ALL_AVPS)[number], { readonly name: N }>["type"];
/** The value type of an AVP by name: `AvpValue<"Origin-Host">` is string, `AvpValue<"Result-Code">` number. */
export type AvpValue<N extends AvpName> = AvpValueOfType[AvpTypeOf<N>];
/** Request abbreviations: "CER", "DWR", ..., "UAR", "MAR", "PPR". */
export type CommandAbbrev = (typeof ALL_COMMANDS)[number]["request"];

const SMALL_CODE = 1024;
const VENDOR_3GPP = 10415;

/** Flag bits (RFC 6733 §4.1) an AVP is sent with, per its table row. */
export const AVP_FLAG = { V: 0x80, M: 0x40, P: 0x20 } as const;

/** A dictionary row with what the codec derives from it once. */
export interface AvpEntry extends AvpDefinition {
  /** Flags byte to send: V when vendorId != 0, M when the rule is MUST. */
  readonly sendFlags: number;
  /** Member rules of a Grouped AVP (undefined: not grouped, or no format known). */
  readonly members: readonly CcfRule[] | undefined;
  /** Position in this dictionary (0..size-1), for array-indexed tables. */
  readonly id: number;
}

export interface CommandEntry extends CommandDefinition {
  readonly requestRules: readonly CcfRule[];
  readonly answerRules: readonly CcfRule[];
}

/** Lookup tables built from data tables; `standardDictionary` holds base + Cx. */
export class Dictionary {
  private readonly byName = new Map<string, AvpEntry>();
  private readonly ietf = new Map<number, AvpEntry>();
  /** Fast path for IETF and 3GPP codes below SMALL_CODE. */
  private readonly ietfSmall: (AvpEntry | undefined)[] = new Array<AvpEntry | undefined>(SMALL_CODE).fill(undefined);
  private readonly tgppSmall: (AvpEntry | undefined)[] = new Array<AvpEntry | undefined>(SMALL_CODE).fill(undefined);
  /** Number of AVP entries (ids are 0..size-1). */
  readonly size: number;
  private readonly vendor = new Map<number, Map<number, AvpEntry>>();
  private readonly commands = new Map<number, CommandEntry>();
  private readonly commandsByAbbrev = new Map<string, CommandEntry>();
  readonly answerMessageRules: readonly CcfRule[] = parseCcf(ANSWER_MESSAGE_CCF);

  constructor(
    avps: readonly AvpDefinition[],
    commands: readonly CommandDefinition[],
    grouped: readonly GroupedDefinition[],
  ) {
    const groupRules = new Map<string, readonly CcfRule[]>();
    for (const g of grouped) groupRules.set(`${g.vendorId}:${g.code}`, parseCcf(g.ccf));
    avps.forEach((d, id) => {
      const entry: AvpEntry = {
        ...d,
        sendFlags: (d.vendorId !== 0 ? AVP_FLAG.V : 0) | (d.m === "MUST" ? AVP_FLAG.M : 0),
        members: d.type === "Grouped" ? groupRules.get(`${d.vendorId}:${d.code}`) : undefined,
        id,
      };
      this.byName.set(d.name, entry);
      if (d.code < SMALL_CODE && d.vendorId === 0) this.ietfSmall[d.code] = entry;
      if (d.code < SMALL_CODE && d.vendorId === VENDOR_3GPP) this.tgppSmall[d.code] = entry;
      if (d.vendorId === 0) this.ietf.set(d.code, entry);
      else {
        let m = this.vendor.get(d.vendorId);
        if (m === undefined) this.vendor.set(d.vendorId, (m = new Map()));
        m.set(d.code, entry);
      }
    });
    this.size = avps.length;
    for (const c of commands) {
      const entry: CommandEntry = { ...c, requestRules: parseCcf(c.requestCcf), answerRules: parseCcf(c.answerCcf) };
      this.commands.set(c.code, entry);
      this.commandsByAbbrev.set(c.request, entry);
      this.commandsByAbbrev.set(c.answer, entry);
    }
  }

  avp(code: number, vendorId: number): AvpEntry | undefined {
    if (code < SMALL_CODE) {
      if (vendorId === 0) return this.ietfSmall[code];
      if (vendorId === VENDOR_3GPP) return this.tgppSmall[code];
    }
    return vendorId === 0 ? this.ietf.get(code) : this.vendor.get(vendorId)?.get(code);
  }

  avpByName(name: string): AvpEntry | undefined {
    return this.byName.get(name);
  }

  command(code: number): CommandEntry | undefined {
    return this.commands.get(code);
  }

  /** By request or answer abbreviation ("MAR", "MAA"). */
  commandByAbbrev(abbrev: string): CommandEntry | undefined {
    return this.commandsByAbbrev.get(abbrev);
  }
}

export const standardDictionary = new Dictionary(ALL_AVPS, ALL_COMMANDS, GROUPED_AVPS);
