/** A SIP answer decided by a procedure, sent by the caller (`ctx.respond`). */
export interface SipReply {
  readonly status: number;
  readonly reason?: string;
  readonly headers?: readonly (readonly [string, string])[];
}

export const reply = (status: number, reason?: string, headers?: readonly (readonly [string, string])[]): SipReply => ({
  status,
  ...(reason === undefined ? {} : { reason }),
  ...(headers === undefined ? {} : { headers }),
});
