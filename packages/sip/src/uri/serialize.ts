import type { Uri } from "./types.js";

function params(p: ReadonlyMap<string, string | null>): string {
  let s = "";
  for (const [k, v] of p) s += v === null ? `;${k}` : `;${k}=${v}`;
  return s;
}

/** The text of a URI (components written as stored, so still escaped as received). */
export function serializeUri(uri: Uri): string {
  switch (uri.kind) {
    case "sip": {
      let s = `${uri.scheme}:`;
      if (uri.user !== undefined) s += uri.password !== undefined ? `${uri.user}:${uri.password}@` : `${uri.user}@`;
      s += uri.host;
      if (uri.port !== undefined) s += `:${uri.port}`;
      s += params(uri.params);
      if (uri.headers.length > 0) s += `?${uri.headers.map(([n, v]) => `${n}=${v}`).join("&")}`;
      return s;
    }
    case "tel":
      return `tel:${uri.number}${params(uri.params)}`;
    case "absolute":
      return `${uri.scheme}:${uri.opaque}`;
  }
}
