import { isIPv4, isIPv6 } from "node:net";

/** RFC 6733 §4.3.1 Address: 2-octet IANA address family (1 IPv4, 2 IPv6) then the address bytes. */
export const ADDRESS_FAMILY = { IPv4: 1, IPv6: 2 } as const;

/** Encodes "a.b.c.d" or an IPv6 text address; undefined if it is neither. */
export function encodeAddress(text: string): Uint8Array | undefined {
  if (isIPv4(text)) {
    const b = Buffer.alloc(6);
    b[1] = ADDRESS_FAMILY.IPv4;
    const parts = text.split(".");
    for (let i = 0; i < 4; i++) b[2 + i] = Number(parts[i]);
    return b;
  }
  if (!isIPv6(text)) return undefined;
  const b = Buffer.alloc(18);
  b[1] = ADDRESS_FAMILY.IPv6;
  const words = ipv6Words(text);
  for (let i = 0; i < 8; i++) {
    const w = words[i] ?? 0;
    b[2 + 2 * i] = w >> 8;
    b[3 + 2 * i] = w & 0xff;
  }
  return b;
}

function ipv6Words(text: string): number[] {
  let head = text;
  const tail: number[] = [];
  // Embedded IPv4 (::ffff:1.2.3.4).
  const lastColon = text.lastIndexOf(":");
  const last = text.slice(lastColon + 1);
  if (last.includes(".")) {
    const p = last.split(".").map(Number);
    tail.push(((p[0] ?? 0) << 8) | (p[1] ?? 0), ((p[2] ?? 0) << 8) | (p[3] ?? 0));
    head = text.slice(0, lastColon + 1);
    if (!head.endsWith("::")) head = head.slice(0, -1);
  }
  const parse = (s: string): number[] => (s === "" ? [] : s.split(":").map((x) => parseInt(x, 16)));
  const dbl = head.indexOf("::");
  let words: number[];
  if (dbl >= 0) {
    const left = parse(head.slice(0, dbl));
    const right = parse(head.slice(dbl + 2));
    const fill = 8 - tail.length - left.length - right.length;
    words = [...left, ...new Array<number>(Math.max(0, fill)).fill(0), ...right];
  } else {
    words = parse(head);
  }
  return [...words, ...tail];
}

/** Text of an IPv4/IPv6 Address payload; undefined for other families or a wrong length. */
export function decodeAddress(data: Uint8Array): string | undefined {
  if (data.length < 2) return undefined;
  const family = ((data[0] ?? 0) << 8) | (data[1] ?? 0);
  if (family === ADDRESS_FAMILY.IPv4 && data.length === 6) {
    return `${data[2]}.${data[3]}.${data[4]}.${data[5]}`;
  }
  if (family === ADDRESS_FAMILY.IPv6 && data.length === 18) {
    const words: string[] = [];
    for (let i = 0; i < 8; i++) words.push((((data[2 + 2 * i] ?? 0) << 8) | (data[3 + 2 * i] ?? 0)).toString(16));
    return compressIpv6(words);
  }
  return undefined;
}

function compressIpv6(words: string[]): string {
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (words[i] !== "0") {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === "0") j++;
    if (j - i > bestLen && j - i > 1) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (bestStart < 0) return words.join(":");
  return `${words.slice(0, bestStart).join(":")}::${words.slice(bestStart + bestLen).join(":")}`;
}

/** Length check of an Address payload (RFC 6733 §4.3.1): false → DIAMETER_INVALID_AVP_LENGTH. */
export function addressLengthOk(data: Uint8Array): boolean {
  if (data.length < 2) return false;
  const family = ((data[0] ?? 0) << 8) | (data[1] ?? 0);
  if (family === ADDRESS_FAMILY.IPv4) return data.length === 6;
  if (family === ADDRESS_FAMILY.IPv6) return data.length === 18;
  return true;
}
