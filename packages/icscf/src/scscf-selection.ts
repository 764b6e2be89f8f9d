/**
 * S-CSCF selection from Server-Capabilities (TS 29.228 §6.7, TS 24.229 §5.3.1.2), the way Kamailio's
 * ims_icscf s_cscf / s_cscf_capabilities tables do it: only S-CSCFs that have every mandatory
 * capability qualify; among them the one with the most optional capabilities wins, ties broken by
 * configuration order. Server-Names listed in the capabilities come first, in their order.
 */
export interface ConfiguredScscf {
  /** SIP URI of the S-CSCF, e.g. sip:scscf1.domain.imsprovider.org:6060. */
  readonly uri: string;
  readonly capabilities: readonly number[];
}

export interface ServerCapabilities {
  readonly mandatory: readonly number[];
  readonly optional: readonly number[];
  readonly serverNames: readonly string[];
}

/** Candidate S-CSCF URIs, best first; the I-CSCF tries them in this order. */
export function rankScscfs(capabilities: ServerCapabilities, configured: readonly ConfiguredScscf[]): string[] {
  const ranked = configured
    .map((s, order) => {
      const have = new Set(s.capabilities);
      const qualifies = capabilities.mandatory.every((c) => have.has(c));
      const score = capabilities.optional.filter((c) => have.has(c)).length;
      return { uri: s.uri, qualifies, score, order };
    })
    .filter((s) => s.qualifies)
    .sort((a, b) => b.score - a.score || a.order - b.order)
    .map((s) => s.uri);
  const named = capabilities.serverNames.filter((n) => n.length > 0);
  return [...new Set([...named, ...ranked])];
}
