import { ok, type Result } from "@ims/runtime";
import { AKA_LENGTHS, field } from "./bytes.js";
import { computeOpc } from "./milenage.js";
import type { AkaError } from "./errors.js";

const HEX32 = /^[0-9a-fA-F]{32}$/;

/**
 * The project's K convention (DESIGN.md): a secret of 32 hex digits is K itself; any other secret is
 * used as K by taking its UTF-8 octets zero-padded or truncated to 16 (as FHoSS `HexCodec.getBytes(k, 16)`
 * and PJSUA `--use-ims --password` do).
 */
export function keyFromSecret(secret: string): Buffer {
  if (HEX32.test(secret)) return Buffer.from(secret, "hex");
  const k = Buffer.alloc(AKA_LENGTHS.k);
  Buffer.from(secret, "utf8").copy(k, 0, 0, AKA_LENGTHS.k);
  return k;
}

/** Operator variant: OPc provisioned directly, or OP from which OPc is derived. */
export type OperatorKey = { readonly opc: Uint8Array | string } | { readonly op: Uint8Array | string };

/** OPc for K, given either OPc or OP (TS 35.206 §4.1). */
export function resolveOpc(k: Uint8Array | string, key: OperatorKey): Result<Buffer, AkaError<"aka-malformed">> {
  if ("opc" in key) {
    const opc = field("opc", key.opc);
    if (!opc.ok) return opc;
    const kb = field("k", k);
    return kb.ok ? ok(opc.value) : kb;
  }
  return computeOpc(k, key.op);
}
