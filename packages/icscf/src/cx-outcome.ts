import { type CxError, CX_EXPERIMENTAL_RESULT, type CxResult } from "@ims/ims";

/** A SIP answer the I-CSCF gives instead of forwarding. */
export interface Refusal {
  readonly status: number;
  readonly reason: string;
}

const X = CX_EXPERIMENTAL_RESULT;

/**
 * TS 24.229 §5.3.1.2 / §5.3.2.2: a negative Cx answer becomes 403 (registration) or 404/480
 * (terminating requests); the reason phrase says what the HSS said, so a user reading a client log
 * knows whether the account, the password or the network is at fault.
 */
export function refusalForRegistration(result: CxResult): Refusal | undefined {
  if (result.code >= 2000 && result.code < 3000) return undefined;
  if (result.kind === "experimental") {
    switch (result.code) {
      case X.ERROR_USER_UNKNOWN:
        return { status: 403, reason: "Forbidden - user unknown to the HSS" };
      case X.ERROR_IDENTITIES_DONT_MATCH:
        return { status: 403, reason: "Forbidden - public and private identities do not match" };
      case X.ERROR_ROAMING_NOT_ALLOWED:
        return { status: 403, reason: "Forbidden - roaming not allowed from this visited network" };
      default:
        return { status: 403, reason: `Forbidden - HSS refused the registration (${result.code})` };
    }
  }
  if (result.code === 5003) return { status: 403, reason: "Forbidden - registration not authorized (barred or cannot register)" };
  if (result.code === 3004 || result.code === 5012 || result.code === 3002) {
    return { status: 480, reason: "Temporarily Unavailable - HSS too busy or unable to comply" };
  }
  return { status: 403, reason: `Forbidden - HSS refused the registration (${result.code})` };
}

export function refusalForTerminating(result: CxResult): Refusal | undefined {
  if (result.code >= 2000 && result.code < 3000) return undefined;
  if (result.kind === "experimental" && result.code === X.ERROR_USER_UNKNOWN) {
    return { status: 404, reason: "Not Found - user unknown to the HSS" };
  }
  if (result.kind === "experimental" && result.code === X.ERROR_IDENTITY_NOT_REGISTERED) {
    return { status: 480, reason: "Temporarily Unavailable - user not registered" };
  }
  return { status: 480, reason: `Temporarily Unavailable - HSS answered ${result.code}` };
}

/** No Cx answer at all. */
export function refusalForCxError(e: CxError): Refusal {
  if (e.tag === "cx-malformed") return { status: 500, reason: "Server Internal Error - unreadable answer from the HSS" };
  return { status: 480, reason: "Temporarily Unavailable - HSS not reachable over Cx" };
}
