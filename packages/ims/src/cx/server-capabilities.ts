import { type Avp, avp, getValues } from "@ims/diameter";

/** TS 29.229 §6.3.4 Server-Capabilities: what the I-CSCF uses to pick an S-CSCF. */
export interface ServerCapabilities {
  readonly mandatory: readonly number[];
  readonly optional: readonly number[];
  readonly serverNames: readonly string[];
}

export function serverCapabilitiesAvp(c: ServerCapabilities): Avp {
  return avp("Server-Capabilities", [
    ...c.mandatory.map((n) => avp("Mandatory-Capability", n)),
    ...c.optional.map((n) => avp("Optional-Capability", n)),
    ...c.serverNames.map((s) => avp("Server-Name", s)),
  ]);
}

export function readServerCapabilities(members: readonly Avp[]): ServerCapabilities {
  return {
    mandatory: getValues(members, "Mandatory-Capability"),
    optional: getValues(members, "Optional-Capability"),
    serverNames: getValues(members, "Server-Name"),
  };
}
