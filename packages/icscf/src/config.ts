import type { ConfiguredScscf } from "./scscf-selection.js";

/** What an I-CSCF needs to know; the lab maps its config file onto this. */
export interface IcscfConfig {
  /** Node name, e.g. "icscf". */
  readonly name: string;
  /** Home domain, e.g. "domain.imsprovider.org". */
  readonly domain: string;
  readonly sip: {
    readonly address: string;
    readonly port: number;
    /** Host names that also mean this node (its FQDN). */
    readonly hosts?: readonly string[];
  };
  readonly diameter: {
    /** Origin-Host, e.g. icscf.domain.imsprovider.org. */
    readonly host: string;
    readonly realm: string;
    readonly hss: { readonly host: string; readonly address: string; readonly port: number };
    /** Per-request timeout in ms (default 3000). */
    readonly requestTimeout?: number;
  };
  /** The S-CSCFs this I-CSCF may choose from (Kamailio's s_cscf / s_cscf_capabilities tables). */
  readonly scscfs: readonly ConfiguredScscf[];
  /**
   * The trust domain (TS 24.229 §4.4): a P-Asserted-Identity arriving from any other address is
   * removed (RFC 3325 §5). Absent: every source is trusted.
   */
  readonly trustedAddresses?: readonly string[];
}
