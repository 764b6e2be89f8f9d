/**
 * The little of SDP (RFC 4566) a media relay needs: where each media stream's peer wants RTP and
 * RTCP (c=, m= port, a=rtcp of RFC 3605), and a rewrite that points those at the relay while
 * keeping every other byte — other lines, their order, line endings — as it was.
 */
import { err, ok, type Endpoint, type Result, type TaggedError } from "@ims/runtime";

export interface SdpMedia {
  readonly index: number;
  /** "audio", "video", ... */
  readonly type: string;
  readonly port: number;
  readonly protocol: string;
  readonly formats: readonly string[];
  /** Where the peer wants RTP; undefined for a rejected (port 0) stream. */
  readonly rtp: Endpoint | undefined;
  /** Where the peer wants RTCP: a=rtcp when given, else RTP port + 1 (RFC 3550 §11). */
  readonly rtcp: Endpoint | undefined;
  /** Clock rates by payload type, from a=rtpmap and the static table. */
  readonly clockRates: ReadonlyMap<number, number>;
}

export interface SdpError extends TaggedError<"sdp"> {}

/** Static payload types' clock rates, RFC 3551 Table 4 (audio) and 5 (video). */
export const STATIC_CLOCK_RATES = {
  0: 8000, 3: 8000, 4: 8000, 5: 8000, 6: 16000, 7: 8000, 8: 8000, 9: 8000, 10: 44100, 11: 44100,
  12: 8000, 13: 8000, 14: 90000, 15: 8000, 16: 11025, 17: 22050, 18: 8000,
  25: 90000, 26: 90000, 28: 90000, 31: 90000, 32: 90000, 33: 90000, 34: 90000,
} as const satisfies Record<number, number>;

interface Line {
  text: string;
  eol: string;
}

function splitLines(sdp: string): Line[] {
  const lines: Line[] = [];
  const re = /([^\r\n]*)(\r\n|\n|\r|$)/g;
  for (;;) {
    const m = re.exec(sdp);
    if (m === null || (m[0] === "" && re.lastIndex >= sdp.length)) break;
    lines.push({ text: m[1]!, eol: m[2]! });
    if (m[2] === "") break;
  }
  return lines;
}

function connectionAddress(value: string): string | undefined {
  // c=<nettype> <addrtype> <connection-address>[/ttl[/n]]  (RFC 4566 §5.7)
  const parts = value.split(" ");
  if (parts.length !== 3 || parts[0] !== "IN" || (parts[1] !== "IP4" && parts[1] !== "IP6")) return undefined;
  const addr = parts[2]!.split("/")[0]!;
  return addr === "" ? undefined : addr;
}

function parsePort(s: string): number | undefined {
  if (!/^\d{1,5}$/.test(s)) return undefined;
  const n = Number(s);
  return n <= 65535 ? n : undefined;
}

/** Reads the media streams of an SDP body. */
export function parseSdp(sdp: string): Result<SdpMedia[], SdpError> {
  const lines = splitLines(sdp);
  if (lines.length === 0 || !lines[0]!.text.startsWith("v=")) return err({ tag: "sdp", reason: "SDP does not start with v=" });
  let sessionAddr: string | undefined;
  interface Building {
    type: string; port: number; protocol: string; formats: string[];
    addr: string | undefined; rtcpPort: number | undefined; rtcpAddr: string | undefined;
    rates: Map<number, number>;
  }
  const media: Building[] = [];
  for (const { text } of lines) {
    if (text === "") continue;
    const cur = media[media.length - 1];
    if (text.startsWith("m=")) {
      const f = text.slice(2).split(" ");
      const port = parsePort(f[1]?.split("/")[0] ?? "");
      if (f.length < 4 || port === undefined) return err({ tag: "sdp", reason: `bad media line "${text}"` });
      const rates = new Map<number, number>();
      for (const fmt of f.slice(3)) {
        const rate = (STATIC_CLOCK_RATES as Record<string, number | undefined>)[fmt];
        if (rate !== undefined) rates.set(Number(fmt), rate);
      }
      media.push({ type: f[0]!, port, protocol: f[2]!, formats: f.slice(3), addr: undefined, rtcpPort: undefined, rtcpAddr: undefined, rates });
    } else if (text.startsWith("c=")) {
      const addr = connectionAddress(text.slice(2));
      if (addr === undefined) return err({ tag: "sdp", reason: `bad connection line "${text}"` });
      if (cur === undefined) sessionAddr = addr;
      else cur.addr = addr;
    } else if (text.startsWith("a=rtcp:") && cur !== undefined) {
      const f = text.slice(7).split(" ");
      const port = parsePort(f[0]!);
      if (port === undefined) return err({ tag: "sdp", reason: `bad rtcp attribute "${text}"` });
      cur.rtcpPort = port;
      if (f.length === 4) cur.rtcpAddr = f[3];
    } else if (text.startsWith("a=rtpmap:") && cur !== undefined) {
      const m = /^a=rtpmap:(\d+) [^/]+\/(\d+)/.exec(text);
      if (m !== null) cur.rates.set(Number(m[1]), Number(m[2]));
    }
  }
  const out: SdpMedia[] = [];
  for (const [index, m] of media.entries()) {
    const addr = m.addr ?? sessionAddr;
    if (m.port !== 0 && addr === undefined) return err({ tag: "sdp", reason: `media ${index} has no connection address` });
    const live = m.port !== 0 && addr !== undefined;
    out.push({
      index, type: m.type, port: m.port, protocol: m.protocol, formats: m.formats, clockRates: m.rates,
      rtp: live ? { address: addr, port: m.port } : undefined,
      rtcp: live ? { address: m.rtcpAddr ?? addr, port: m.rtcpPort ?? m.port + 1 } : undefined,
    });
  }
  return ok(out);
}

export interface RewriteTarget {
  /** The relay's address written into c= (and a=rtcp when it carries an address). */
  readonly address: string;
  /** Relay ports per media index; undefined leaves that media (e.g. a rejected one) alone. */
  readonly ports: ReadonlyArray<{ readonly rtp: number; readonly rtcp: number } | undefined>;
}

/**
 * Points c= lines, m= ports and a=rtcp at the relay. A session-level c= is rewritten, and a
 * media-level c= of a stream left alone keeps its address. Other bytes are unchanged.
 */
export function rewriteSdp(sdp: string, target: RewriteTarget): string {
  const lines = splitLines(sdp);
  let index = -1;
  let mediaTouched = true; // session level: rewrite c=
  const out: string[] = [];
  for (const line of lines) {
    let { text } = line;
    if (text.startsWith("m=")) {
      index++;
      const ports = target.ports[index];
      mediaTouched = ports !== undefined;
      if (ports !== undefined) {
        const f = text.split(" ");
        const [, count] = f[1]!.split("/");
        f[1] = count === undefined ? String(ports.rtp) : `${ports.rtp}/${count}`;
        text = f.join(" ");
      }
    } else if (text.startsWith("c=") && mediaTouched && connectionAddress(text.slice(2)) !== undefined) {
      text = `c=IN IP4 ${target.address}`;
    } else if (text.startsWith("a=rtcp:") && index >= 0) {
      const ports = target.ports[index];
      if (ports !== undefined) {
        const hasAddr = text.slice(7).split(" ").length === 4;
        text = hasAddr ? `a=rtcp:${ports.rtcp} IN IP4 ${target.address}` : `a=rtcp:${ports.rtcp}`;
      }
    }
    out.push(text, line.eol);
  }
  return out.join("");
}
