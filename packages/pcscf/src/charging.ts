import { randomHex } from "@ims/runtime";
import { serializePChargingVector } from "@ims/sip";

/**
 * A fresh icid-value (RFC 7315 §4.6: globally unique across time and space): the node name and
 * 16 random bytes in hex, so the capture shows who generated it.
 */
export function newIcid(node: string): string {
  return `${node}-${randomHex(16)}`;
}

/**
 * The P-Charging-Vector the P-CSCF inserts in a REGISTER (TS 24.229 §5.2.2.1): icid-value,
 * icid-generated-at (our advertised host) and orig-ioi (type 1 IOI: the network the P-CSCF is in).
 */
export function registerChargingVector(icid: string, generatedAt: string, origIoi: string): string {
  return serializePChargingVector({ icidValue: icid, icidGeneratedAt: generatedAt, origIoi });
}

/** RFC 3261 token: what serializePChargingVector writes without quotes. */
const TOKEN = /^[A-Za-z0-9\-.!%*_+`'~]+$/;

/**
 * `registerChargingVector` for one P-CSCF: the parameters after icid-value are the same in every
 * REGISTER, so they are written once and a fresh icid-value is put in front of them.
 */
export function registerChargingVectorOf(generatedAt: string, origIoi: string): (icid: string) => string {
  const probe = "x";
  const rest = registerChargingVector(probe, generatedAt, origIoi).slice(`icid-value=${probe}`.length);
  return (icid) => (TOKEN.test(icid) ? `icid-value=${icid}${rest}` : registerChargingVector(icid, generatedAt, origIoi));
}
