import { keyOf } from "./header-line.js";
import { ok, type Result } from "@ims/runtime";
import { parsedHeader } from "../headers/accessors.js";
import { parseContact, parseNameAddr, parseNameAddrList } from "../headers/name-addr.js";
import { SINGLE_VALUE_HEADERS } from "../headers/names.js";
import { parseCallId, parseContentType, parseCSeq, parseDeltaSeconds, parseMaxForwards } from "../headers/scalars.js";
import { parseVia } from "../headers/via.js";
import { checkUri, hasUriHeaders } from "../uri/parse.js";
import type { HeaderParseError } from "../headers/lex.js";
import { parseError, type SipParseError } from "./parse-error.js";
import type { SipHeader, SipMessage } from "./types.js";

/** Methods this stack knows (RFC 3261 + 3262, 3265/6665, 3311, 3428, 3515, 3903, 6086). */
export const KNOWN_METHODS = [
  "INVITE", "ACK", "BYE", "CANCEL", "OPTIONS", "REGISTER",
  "PRACK", "SUBSCRIBE", "NOTIFY", "PUBLISH", "INFO", "REFER", "MESSAGE", "UPDATE",
] as const;
export type KnownMethod = (typeof KNOWN_METHODS)[number];
const KNOWN = new Set<string>(KNOWN_METHODS);
export const isKnownMethod = (m: string): m is KnownMethod => KNOWN.has(m);

/** RFC 3261 §8.1.1: headers every request and response needs to be processed. */
const MANDATORY = ["via", "from", "to", "call-id", "cseq"] as const;

type Checker = (value: string) => Result<unknown, HeaderParseError>;

/** Headers whose syntax is checked here (the ones the stack acts on). */
const CHECKED = new Map<string, Checker>(Object.entries({
  via: parseVia,
  from: parseNameAddr,
  to: parseNameAddr,
  "call-id": parseCallId,
  cseq: parseCSeq,
  "max-forwards": parseMaxForwards,
  contact: parseContact,
  expires: parseDeltaSeconds,
  "content-type": parseContentType,
  route: parseNameAddrList,
  "record-route": parseNameAddrList,
} satisfies Record<string, Checker>));

/** One lookup per header line: its slot in `seen`, whether it may repeat, how to check it. */
interface Rule {
  readonly slot: number;
  readonly single: boolean;
  readonly check: Checker | undefined;
  /** In a response: checked on its first line only (Via), on every line, or not at all. */
  readonly inResponse: "first" | "all" | "none";
}

/**
 * What a response is checked for: only what an element acts on when it receives one (RFC 3261
 * §17.1.3, §16.7, §18.1.2: the top Via, From, To, Call-ID, CSeq). The rest of a response is relayed
 * or read through getters that treat malformed values as absent, and a malformed response is
 * dropped anyway, never answered: checking its Contact, Route or other Vias would only cost time.
 */
const RESPONSE_CHECKS: Readonly<Record<string, "first" | "all">> = { via: "first", from: "all", to: "all", "call-id": "all", cseq: "all" };

const RULES = new Map<string, Rule>();
for (const key of new Set<string>([...MANDATORY, ...SINGLE_VALUE_HEADERS, ...CHECKED.keys()])) {
  RULES.set(key, {
    slot: RULES.size,
    single: (SINGLE_VALUE_HEADERS as readonly string[]).includes(key),
    check: CHECKED.get(key),
    inResponse: RESPONSE_CHECKS[key] ?? "none",
  });
}
const CSEQ_SLOT = RULES.get("cseq")!.slot;

/** Lengths of the names above (and 1 for compact forms): other lines are skipped without a lookup. */
const RELEVANT_LENGTH = new Uint8Array(64);
RELEVANT_LENGTH[1] = 1;
for (const k of RULES.keys()) RELEVANT_LENGTH[k.length] = 1;

const MANDATORY_SLOTS = MANDATORY.map((k) => [k, RULES.get(k)!.slot] as const);

/**
 * The checks an element makes before acting on a parsed message (RFC 3261 §8.2, §16.3; RFC 4475
 * §3.1.2, §3.3): mandatory headers present, single-value headers not repeated, Via, From, To,
 * Call-ID, CSeq, Max-Forwards, Contact, Expires, Content-Type, Route and Record-Route well formed,
 * CSeq method equal to the request method, a SIP/SIPS Request-URI well formed and without headers.
 * Unknown headers and URI schemes are not errors here (the application answers 416 for those).
 * A response is checked for less: see RESPONSE_CHECKS.
 */
export function validateMessage<M extends SipMessage>(msg: M): Result<M, SipParseError> {
  const seen = SEEN;
  try {
    const fault = check(msg, seen);
    if (fault === undefined) return ok(msg);
    const partial =
      msg.kind === "request" ? { kind: msg.kind, method: msg.method, headers: msg.headers } : { kind: msg.kind, headers: msg.headers };
    return { ok: false, error: parseError(fault.status, fault.reason, partial) };
  } finally {
    seen.fill(undefined);
  }
}

/** The first line seen of each rule's header, during one call (validation is synchronous: one array, emptied after each call). */
const SEEN: Array<SipHeader | undefined> = new Array<SipHeader | undefined>(RULES.size).fill(undefined);

const fail = (status: 400 | 501, reason: string): { status: 400 | 501; reason: string } => ({ status, reason });

function check(msg: SipMessage, seen: Array<SipHeader | undefined>): { status: 400 | 501; reason: string } | undefined {
  const request = msg.kind === "request";
  const hs = msg.headers;
  for (let i = 0; i < hs.length; i++) {
    const h = hs[i]!;
    if (RELEVANT_LENGTH[h.name.length] !== 1) continue;
    const key = keyOf(h);
    const rule = RULES.get(key);
    if (rule === undefined) continue;
    const prev = seen[rule.slot];
    if (prev === undefined) seen[rule.slot] = h;
    else if (rule.single && !(key === "content-length" && prev.value === h.value)) {
      return fail(400, `more than one ${h.name} header`);
    }
    if (rule.check !== undefined && (request || rule.inResponse === "all" || (rule.inResponse === "first" && prev === undefined))) {
      const r = parsedHeader(h, rule.check);
      if (!r.ok) return fail(400, `malformed ${h.name} header: ${r.error.reason}`);
    }
  }
  for (let i = 0; i < MANDATORY_SLOTS.length; i++) {
    const [m, slot] = MANDATORY_SLOTS[i]!;
    if (seen[slot] === undefined) return fail(400, `missing ${m === "call-id" ? "Call-ID" : m === "cseq" ? "CSeq" : m[0]!.toUpperCase() + m.slice(1)} header`);
  }
  if (msg.kind === "request") {
    const cseq = parsedHeader(seen[CSEQ_SLOT]!, parseCSeq);
    if (cseq.ok && cseq.value.method !== msg.method) {
      // RFC 4475 §3.1.2.18: 501 is preferred when the method is unknown
      return fail(isKnownMethod(msg.method) ? 400 : 501, `CSeq method ${cseq.value.method} does not match ${msg.method}`);
    }
    // checked in place: the URI is parsed by whoever reads it (getRequestUri), not built here
    const bad = checkUri(msg.uri, 0, msg.uri.length);
    if (bad !== undefined) return fail(400, `malformed Request-URI: ${bad}`);
    if (hasUriHeaders(msg.uri)) return fail(400, "Request-URI must not contain headers");
  }
  return undefined;
}
