import { type Dictionary, standardDictionary } from "../dictionary/index.js";
import { getValue } from "./read.js";
import { type DiameterHeader, type DiameterMessage, CMD_FLAG } from "./types.js";

/** "MAR", "MAA", "CEA"... from the dictionary, or "cmd-999-req" / "cmd-999-ans" when unknown. */
export function commandName(h: DiameterHeader, dict: Dictionary = standardDictionary): string {
  const request = (h.flags & CMD_FLAG.R) !== 0;
  const c = dict.command(h.commandCode);
  if (c === undefined) return `cmd-${h.commandCode}-${request ? "req" : "ans"}`;
  return request ? c.request : c.answer;
}

/**
 * One log line's worth of a message: command, flags, ids, Session-Id and the result. Only these
 * fields, never AVP values that may be secret (SIP-Authorization, CK/IK, Digest-HA1, User-Data).
 */
export function summarize(msg: DiameterMessage, dict: Dictionary = standardDictionary): string {
  const flags = ["R", "P", "E", "T"].filter((_, i) => (msg.flags & (0x80 >> i)) !== 0).join("");
  const parts = [
    commandName(msg, dict),
    `flags=${flags === "" ? "-" : flags}`,
    `app=${msg.applicationId}`,
    `hbh=0x${msg.hopByHop.toString(16)}`,
    `e2e=0x${msg.endToEnd.toString(16)}`,
  ];
  const session = getValue(msg, "Session-Id", dict);
  if (session !== undefined) parts.push(`session=${session}`);
  const rc = getValue(msg, "Result-Code", dict);
  if (rc !== undefined) parts.push(`result=${rc}`);
  const er = getValue(msg, "Experimental-Result", dict);
  if (er !== undefined) parts.push(`experimental=${getValue(er, "Experimental-Result-Code", dict) ?? "?"}`);
  return parts.join(" ");
}
