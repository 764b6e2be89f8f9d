/**
 * Building UA requests (RFC 3261 §8.1.1) and the ACK of a 2xx (§13.2.2.4), for the lab's scripted
 * UEs, the S-CSCF's own requests and tests. Sending is `SipStack.request` / `sendRequest`.
 */
import { getCSeq, getContacts, getFirstVia } from "../headers/index.js";
import {
  type SipRequest,
  type SipResponse,
  createRequest,
  getHeader,
  getHeaders,
  newCallId,
  newTag,
} from "../message/index.js";
import { serializeUri } from "../uri/index.js";
import { routeSetFromResponse } from "./routing.js";

export interface NewRequest {
  readonly method: string;
  readonly uri: string;
  /** From name-addr without tag ("<sip:a@x>"); a tag is added unless `fromTag` is given. */
  readonly from: string;
  readonly fromTag?: string;
  /** To name-addr (with a tag for an in-dialog request). */
  readonly to: string;
  readonly callId?: string;
  readonly cseq?: number;
  readonly contact?: string;
  /** Route values, in order (a preloaded route or a dialog's route set). */
  readonly routes?: readonly string[];
  readonly headers?: readonly (readonly [string, string])[];
  readonly body?: Buffer | string;
  readonly contentType?: string;
}

/** A request without Via: the stack adds it (with a fresh branch) when it sends. */
export function buildRequest(r: NewRequest): SipRequest {
  const headers: (readonly [string, string])[] = [
    ["Max-Forwards", "70"],
    ...(r.routes ?? []).map((v) => ["Route", v] as const),
    ["From", `${r.from};tag=${r.fromTag ?? newTag()}`],
    ["To", r.to],
    ["Call-ID", r.callId ?? newCallId()],
    ["CSeq", `${r.cseq ?? 1} ${r.method}`],
  ];
  if (r.contact !== undefined) headers.push(["Contact", r.contact]);
  headers.push(...(r.headers ?? []));
  return createRequest({
    method: r.method,
    uri: r.uri,
    headers,
    ...(r.body === undefined ? {} : { body: r.body }),
    ...(r.contentType === undefined ? {} : { contentType: r.contentType }),
  });
}

/**
 * The ACK for a 2xx to `invite` (§13.2.2.4): a new transaction (new branch, added by the stack),
 * sent to the remote target (Contact of the 2xx) along the route set (Record-Route reversed),
 * same CSeq number, To with the tag of the 2xx.
 */
export function ackFor2xx(invite: SipRequest, response: SipResponse): SipRequest {
  const contacts = getContacts(response);
  const target = Array.isArray(contacts) && contacts[0] !== undefined ? serializeUri(contacts[0].uri) : invite.uri;
  const routes = routeSetFromResponse(getHeaders(response, "record-route"));
  return createRequest({
    method: "ACK",
    uri: target,
    headers: [
      ["Max-Forwards", "70"],
      ...routes.map((r) => ["Route", r] as const),
      ["From", getHeader(invite, "from") ?? ""],
      ["To", getHeader(response, "to") ?? ""],
      ["Call-ID", getHeader(invite, "call-id") ?? ""],
      ["CSeq", `${getCSeq(invite)?.seq ?? 1} ACK`],
    ],
  });
}

/** True when the message already carries a Via (the stack then leaves it alone). */
export const hasVia = (req: SipRequest): boolean => getFirstVia(req) !== undefined;
