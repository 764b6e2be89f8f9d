import { type Avp, avp, getValue } from "@ims/diameter";
import { type Mutable, optAvp, setOpt } from "./common.js";

/** TS 29.229 §6.3.19 Charging-Information: the charging function addresses (DiameterURI). */
export interface ChargingInformation {
  readonly primaryEventChargingFunctionName?: string;
  readonly secondaryEventChargingFunctionName?: string;
  readonly primaryChargingCollectionFunctionName?: string;
  readonly secondaryChargingCollectionFunctionName?: string;
}

export function chargingInformationAvp(c: ChargingInformation): Avp {
  return avp("Charging-Information", [
    ...optAvp(c.primaryEventChargingFunctionName, (v) => avp("Primary-Event-Charging-Function-Name", v)),
    ...optAvp(c.secondaryEventChargingFunctionName, (v) => avp("Secondary-Event-Charging-Function-Name", v)),
    ...optAvp(c.primaryChargingCollectionFunctionName, (v) => avp("Primary-Charging-Collection-Function-Name", v)),
    ...optAvp(c.secondaryChargingCollectionFunctionName, (v) => avp("Secondary-Charging-Collection-Function-Name", v)),
  ]);
}

export function readChargingInformation(m: readonly Avp[]): ChargingInformation {
  const o: Mutable<ChargingInformation> = {};
  setOpt(o, "primaryEventChargingFunctionName", getValue(m, "Primary-Event-Charging-Function-Name"));
  setOpt(o, "secondaryEventChargingFunctionName", getValue(m, "Secondary-Event-Charging-Function-Name"));
  setOpt(o, "primaryChargingCollectionFunctionName", getValue(m, "Primary-Charging-Collection-Function-Name"));
  setOpt(o, "secondaryChargingCollectionFunctionName", getValue(m, "Secondary-Charging-Collection-Function-Name"));
  return o;
}
