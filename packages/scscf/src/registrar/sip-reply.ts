/** A SIP answer decided by a procedure, sent by the caller (`ctx.respond`). */
export interface SipReply {
  readonly status: number;
  readonly reason?: string;
  readonly headers?: readonly (readonly [string, string])[];
}

/** The reply with only the fields given (no spread: replies are made for every REGISTER). */
export const reply = (status: number, reason?: string, headers?: readonly (readonly [string, string])[]): SipReply =>
  reason === undefined
    ? headers === undefined
      ? { status }
      : { status, headers }
    : headers === undefined
      ? { status, reason }
      : { status, reason, headers };
