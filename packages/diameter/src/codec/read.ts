import { ImsError } from "@ims/runtime";
import {
  type AvpName,
  type AvpValue,
  type AvpValueOfType,
  type AvpDataType,
  type Dictionary,
  standardDictionary,
} from "../dictionary/index.js";
import { type Avp, type AvpContainer, membersOf } from "./types.js";
import { decodeValue } from "./values.js";
import { DecodedAvp } from "./decoded-avp.js";

function entry(name: string, dict: Dictionary): { code: number; vendorId: number; type: AvpDataType } {
  const def = dict.avpByName(name);
  if (def === undefined) throw new ImsError("diameter-read", `unknown AVP ${name}`);
  return def;
}

/** First AVP of that name among the container's direct members. */
export function findAvp(c: AvpContainer, name: AvpName, dict: Dictionary = standardDictionary): Avp | undefined {
  const { code, vendorId } = entry(name, dict);
  const avps = membersOf(c);
  for (let i = 0; i < avps.length; i++) {
    const a = avps[i] as Avp;
    if (a.code === code && a.vendorId === vendorId) return a;
  }
  return undefined;
}

/** All AVPs of that name among the container's direct members, in order. */
export function findAvps(c: AvpContainer, name: AvpName, dict: Dictionary = standardDictionary): Avp[] {
  const { code, vendorId } = entry(name, dict);
  return membersOf(c).filter((a) => a.code === code && a.vendorId === vendorId);
}

function valueOf(a: Avp, type: AvpDataType): AvpValueOfType[AvpDataType] | undefined {
  if (type === "Grouped") return a.avps ?? undefined;
  return a instanceof DecodedAvp ? a.valueAs(type) : decodeValue(type, a.data);
}

/**
 * Typed value of the first AVP of that name: `getValue(msg, "Origin-Host")` is `string | undefined`,
 * `getValue(msg, "Result-Code")` `number | undefined`, a Grouped AVP gives its member AVPs.
 */
export function getValue<N extends AvpName>(c: AvpContainer, name: N, dict: Dictionary = standardDictionary): AvpValue<N> | undefined {
  const { code, vendorId, type } = entry(name, dict);
  const avps = membersOf(c);
  for (let i = 0; i < avps.length; i++) {
    const a = avps[i] as Avp;
    if (a.code === code && a.vendorId === vendorId) return valueOf(a, type) as AvpValue<N> | undefined;
  }
  return undefined;
}

/** Typed values of every AVP of that name, in order. */
export function getValues<N extends AvpName>(c: AvpContainer, name: N, dict: Dictionary = standardDictionary): AvpValue<N>[] {
  const { code, vendorId, type } = entry(name, dict);
  const out: AvpValue<N>[] = [];
  for (const a of membersOf(c)) {
    if (a.code !== code || a.vendorId !== vendorId) continue;
    const v = valueOf(a, type);
    if (v !== undefined) out.push(v as AvpValue<N>);
  }
  return out;
}

/** Value of any AVP by its dictionary entry; undefined when unknown to the dictionary. */
export function avpValue(a: Avp, dict: Dictionary = standardDictionary): AvpValueOfType[AvpDataType] | undefined {
  const def = dict.avp(a.code, a.vendorId);
  return def === undefined ? undefined : valueOf(a, def.type);
}

/** Dictionary name of an AVP, or "vendor:code" when unknown. */
export function avpName(a: Avp, dict: Dictionary = standardDictionary): string {
  return dict.avp(a.code, a.vendorId)?.name ?? `${a.vendorId}:${a.code}`;
}
